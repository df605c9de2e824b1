import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationError } from '@upgrade-actions/common';
import {
  apiServerUrl,
  httpCheck,
  parseStatusSet,
  parseTarget,
  targetEndpoint,
  type ApiServerAccess,
} from '@upgrade-actions/probe';

const api = (server: string): ApiServerAccess => ({
  server,
  credentials: async () => ({
    headers: { Authorization: 'Bearer t0ken' },
    tls: { insecureSkipVerify: true },
  }),
  namespace: 'shop',
});

describe('targetEndpoint', () => {
  test('a URL goes as it is, with no API server credentials', () => {
    expect(targetEndpoint(parseTarget('http://127.0.0.1:8080/x'), api('https://k:6443'), 'urls')).toEqual({
      url: 'http://127.0.0.1:8080/x',
    });
  });

  test.each([
    [
      'web:80/healthz',
      'https://k:6443',
      'https://k:6443/api/v1/namespaces/shop/services/web:80/proxy/healthz',
    ],
    [
      'web.prod:http',
      'https://rancher.example.com/k8s/clusters/c-1/',
      'https://rancher.example.com/k8s/clusters/c-1/api/v1/namespaces/prod/services/web:http/proxy/',
    ],
  ])('service %s on server %s goes through the service proxy at %s', async (text, server, want) => {
    const e = targetEndpoint(parseTarget(text), api(server), 'base-url');
    expect(e.url).toBe(want);
    expect(await e.credentials!()).toEqual({
      headers: { Authorization: 'Bearer t0ken' },
      tls: { insecureSkipVerify: true },
    });
  });

  test('a service with no cluster fails naming the setting', () => {
    const f = () => targetEndpoint(parseTarget('web.shop:80'), undefined, 'smoke-base-url');
    expect(f).toThrow(ConfigurationError);
    expect(f).toThrow(/^smoke-base-url: target web\.shop:80\/ is a service; it needs a cluster/);
  });

  test('apiServerUrl keeps the path of a server behind a proxy', () => {
    expect(apiServerUrl('http://127.0.0.1:1/prefix', '/version')).toBe('http://127.0.0.1:1/prefix/version');
  });
});

test('a health check of a service reaches an API server that lives under a path prefix', async () => {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.url} ${req.headers.authorization}`);
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const { port } = server.address() as AddressInfo;
    const check = httpCheck(
      {
        name: 'web',
        target: parseTarget('web:80/healthz'),
        method: 'GET',
        headers: {},
        expectedStatus: parseStatusSet('200'),
        timeoutMs: 5000,
        tls: {},
      },
      api(`http://127.0.0.1:${port}/k8s/clusters/c-1`),
    );
    const r = await check.run(AbortSignal.timeout(5000));
    expect(r.ok).toBe(true);
    expect(seen).toEqual([
      '/k8s/clusters/c-1/api/v1/namespaces/shop/services/web:80/proxy/healthz Bearer t0ken',
    ]);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
