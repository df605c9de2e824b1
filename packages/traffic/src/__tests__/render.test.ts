import { renderCanaryIngress, type Ingress } from '../render-nginx';
import { renderVirtualService, type VirtualServiceSpec } from '../render-istio';
import { renderHTTPRoute, type HTTPRouteSpec } from '../render-gateway-api';
import { canaryService } from '../services';

const names = { namespace: 'shop', service: 'web', canaryService: 'web-canary' };

describe('renderCanaryIngress (ingress-nginx canary annotations)', () => {
  const stable: Ingress = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: 'web',
      namespace: 'shop',
      annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/' },
    },
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: ['web.example'], secretName: 'tls' }],
      rules: [
        {
          host: 'web.example',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
              {
                path: '/static',
                pathType: 'Prefix',
                backend: { service: { name: 'cdn', port: { number: 80 } } },
              },
            ],
          },
        },
        {
          host: 'other.example',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'other', port: { number: 80 } } },
              },
            ],
          },
        },
      ],
    },
  };
  const opts = { service: 'web', canaryService: 'web-canary', name: 'web-canary' };

  test('copies only the hosts and paths that send to the stable Service, pointed at the canary Service', () => {
    const ing = renderCanaryIngress(stable, opts, { weight: 10, matches: [] });
    expect(ing.metadata?.name).toBe('web-canary');
    expect(ing.spec).toEqual({
      ingressClassName: 'nginx',
      rules: [
        {
          host: 'web.example',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'web-canary', port: { number: 80 } } },
              },
            ],
          },
        },
      ],
    });
    expect(ing.metadata?.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/canary': 'true',
      'nginx.ingress.kubernetes.io/canary-weight': '10',
    });
    // Other annotations of the stable Ingress are not the canary's business (ingress-nginx ignores most on canaries).
    expect(ing.metadata?.annotations).not.toHaveProperty('nginx.ingress.kubernetes.io/rewrite-target');
    expect(ing.metadata?.annotations).not.toHaveProperty('nginx.ingress.kubernetes.io/canary-weight-total');
  });

  test('header and cookie matches use canary-by-header(-value) and canary-by-cookie', () => {
    const ing = renderCanaryIngress(stable, opts, {
      weight: 0,
      matches: [
        { kind: 'header', name: 'x-user-tier', value: 'premium' },
        { kind: 'cookie', name: 'canary' },
      ],
    });
    expect(ing.metadata?.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/canary-weight': '0',
      'nginx.ingress.kubernetes.io/canary-by-header': 'x-user-tier',
      'nginx.ingress.kubernetes.io/canary-by-header-value': 'premium',
      'nginx.ingress.kubernetes.io/canary-by-cookie': 'canary',
    });
  });

  test('a weight with decimals uses canary-weight-total', () => {
    const ing = renderCanaryIngress(stable, opts, { weight: 2.5, matches: [] });
    expect(ing.metadata?.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/canary-weight': '250',
      'nginx.ingress.kubernetes.io/canary-weight-total': '10000',
    });
  });

  test('two header matches are refused: ingress-nginx routes by one header', () => {
    expect(() =>
      renderCanaryIngress(stable, opts, {
        weight: 0,
        matches: [
          { kind: 'header', name: 'a', value: '1' },
          { kind: 'header', name: 'b', value: '2' },
        ],
      }),
    ).toThrow(/at most one header and one cookie/);
  });

  test('an Ingress that does not route to the Service is refused, naming it', () => {
    expect(() =>
      renderCanaryIngress(stable, { ...opts, service: 'api' }, { weight: 10, matches: [] }),
    ).toThrow('ingress: no rule of Ingress web sends traffic to Service api');
  });
});

describe('renderVirtualService (Istio)', () => {
  const original: VirtualServiceSpec = {
    hosts: ['web.example'],
    gateways: ['public'],
    http: [
      {
        name: 'api',
        match: [{ uri: { prefix: '/api' } }],
        route: [{ destination: { host: 'api', port: { number: 80 } } }],
      },
      {
        name: 'web',
        route: [{ destination: { host: 'web.shop.svc.cluster.local', port: { number: 80 } } }],
        timeout: '5s',
      },
    ],
  };

  test('weight 0 without matches is the original spec', () => {
    expect(renderVirtualService(original, names, { weight: 0, matches: [] })).toBe(original);
  });

  test('splits the route that sends to the Service between it and the canary Service (same host form)', () => {
    const spec = renderVirtualService(original, names, { weight: 10, matches: [] });
    expect(spec.http?.[0]).toEqual(original.http?.[0]);
    expect(spec.http?.[1]).toEqual({
      name: 'web',
      timeout: '5s',
      route: [
        { destination: { host: 'web.shop.svc.cluster.local', port: { number: 80 } }, weight: 90 },
        { destination: { host: 'web-canary.shop.svc.cluster.local', port: { number: 80 } }, weight: 10 },
      ],
    });
  });

  test("the seed's rule: x-user-tier premium → the canary, everyone else 90/10, the match first", () => {
    const spec = renderVirtualService(original, names, {
      weight: 10,
      matches: [{ kind: 'header', name: 'X-User-Tier', value: 'premium' }],
    });
    expect(spec.http?.map((r) => r.name)).toEqual(['api', 'upgrade-actions-canary-match-0', 'web']);
    expect(spec.http?.[1]).toMatchObject({
      match: [{ headers: { 'x-user-tier': { exact: 'premium' } } }],
      route: [{ destination: { host: 'web-canary.shop.svc.cluster.local', port: { number: 80 } } }],
    });
  });

  test('a cookie match is a regex on the cookie header that keeps the route’s own conditions', () => {
    const spec = renderVirtualService(
      { http: [{ match: [{ uri: { prefix: '/' } }], route: [{ destination: { host: 'web' } }] }] },
      names,
      { weight: 0, matches: [{ kind: 'cookie', name: 'canary' }] },
    );
    expect(spec.http?.[0].match).toEqual([
      { uri: { prefix: '/' }, headers: { cookie: { regex: '^(.*?;\\s*)?(canary=always)(;.*)?$' } } },
    ]);
  });

  test('a route already split between destinations is refused with the count', () => {
    expect(() =>
      renderVirtualService(
        {
          http: [
            {
              name: 'x',
              route: [
                { destination: { host: 'web' }, weight: 50 },
                { destination: { host: 'old' }, weight: 50 },
              ],
            },
          ],
        },
        names,
        { weight: 10, matches: [] },
      ),
    ).toThrow('route x must send all its traffic to one destination, Service web (it has 2)');
  });

  test('a host in another namespace is not the Service', () => {
    expect(() =>
      renderVirtualService(
        { http: [{ route: [{ destination: { host: 'web.other.svc.cluster.local' } }] }] },
        names,
        {
          weight: 10,
          matches: [],
        },
      ),
    ).toThrow('no http route sends to Service web');
  });
});

describe('renderHTTPRoute (Gateway API v1)', () => {
  const original: HTTPRouteSpec = {
    parentRefs: [{ name: 'public' }],
    rules: [
      { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'web', port: 80 }] },
      {
        matches: [{ path: { type: 'PathPrefix', value: '/api' } }],
        backendRefs: [{ name: 'api', port: 80 }],
      },
    ],
  };

  test('weighted backendRefs on every rule that sends to the Service', () => {
    const spec = renderHTTPRoute(original, names, { weight: 30, matches: [] });
    expect(spec.rules).toEqual([
      {
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [
          { name: 'web', port: 80, weight: 70 },
          { name: 'web-canary', port: 80, weight: 30 },
        ],
      },
      original.rules![1],
    ]);
  });

  test('a header match adds a rule with the header condition sending to the canary alone', () => {
    const spec = renderHTTPRoute(original, names, {
      weight: 10,
      matches: [{ kind: 'header', name: 'x-user-tier', value: 'premium' }],
    });
    expect(spec.rules?.[0]).toEqual({
      matches: [
        {
          path: { type: 'PathPrefix', value: '/' },
          headers: [{ type: 'Exact', name: 'x-user-tier', value: 'premium' }],
        },
      ],
      backendRefs: [{ name: 'web-canary', port: 80 }],
    });
    expect(spec.rules).toHaveLength(3);
  });

  test('a rule that already sends to two backends is refused', () => {
    expect(() =>
      renderHTTPRoute({ rules: [{ backendRefs: [{ name: 'web' }, { name: 'old' }] }] }, names, {
        weight: 10,
        matches: [],
      }),
    ).toThrow('rule #0 sends to 2 backends');
  });
});

test('canaryService: the stable ports, selecting the canary pods only', () => {
  const svc = canaryService(
    {
      metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
      spec: {
        type: 'LoadBalancer',
        selector: { app: 'web' },
        ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
        clusterIP: '10.0.0.1',
      },
    },
    'web-canary',
    { 'upgrade-actions.io/track': 'canary' },
  );
  expect(svc).toEqual({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'web-canary',
      namespace: 'shop',
      labels: { app: 'web', 'app.kubernetes.io/managed-by': 'upgrade-actions' },
    },
    spec: {
      type: 'ClusterIP',
      selector: { app: 'web', 'upgrade-actions.io/track': 'canary' },
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
    },
  });
});
