import { ConfigurationError } from '@upgrade-actions/common';
import { describeTarget, parseTarget, serviceProxyPath, type Target } from '@upgrade-actions/probe';

describe('probe targets', () => {
  test.each([
    ['http://web.shop.svc:8080/healthz', { kind: 'url', url: 'http://web.shop.svc:8080/healthz' }],
    ['https://example.com', { kind: 'url', url: 'https://example.com/' }],
    [
      'web:8080/healthz',
      { kind: 'service', service: 'web', namespace: null, port: '8080', path: '/healthz', scheme: 'http' },
    ],
    [
      'web.shop:http/ready',
      { kind: 'service', service: 'web', namespace: 'shop', port: 'http', path: '/ready', scheme: 'http' },
    ],
    [
      'https:api:443',
      { kind: 'service', service: 'api', namespace: null, port: '443', path: '/', scheme: 'https' },
    ],
    [
      'web:80/a/b?x=1',
      { kind: 'service', service: 'web', namespace: null, port: '80', path: '/a/b?x=1', scheme: 'http' },
    ],
  ])('%s is %j', (text, want) => expect(parseTarget(text)).toEqual(want));

  test.each([
    ['ftp://host/file', /uses ftp; use http:\/\/ or https:\/\//],
    ['http://', /is not a valid URL/],
    ['web', /neither a URL .* nor a service/],
    ['Web:80/x', /neither a URL/],
    ['web:0/x', /neither a URL/],
    ['web:70000/x', /neither a URL/],
    ['web:Bad_Port/x', /neither a URL/],
    ['a.b.c:80', /neither a URL/],
  ])('%s is a configuration error naming urls', (text, message) => {
    expect(() => parseTarget(text)).toThrow(ConfigurationError);
    expect(() => parseTarget(text)).toThrow(message);
    expect(() => parseTarget(text)).toThrow(/^urls: /);
  });

  test.each([
    ['web:8080/healthz', 'default', '/api/v1/namespaces/default/services/web:8080/proxy/healthz'],
    ['web.shop:http/ready', 'default', '/api/v1/namespaces/shop/services/web:http/proxy/ready'],
    ['https:api:443', 'prod', '/api/v1/namespaces/prod/services/https:api:443/proxy/'],
  ])('service %s in namespace %s is reached at %s, as kubectl get --raw does', (text, ns, want) => {
    expect(serviceProxyPath(parseTarget(text) as Extract<Target, { kind: 'service' }>, ns)).toBe(want);
  });

  test('credentials in a URL never reach the printed target', () => {
    expect(describeTarget(parseTarget('https://user:secret@example.com/health'))).toBe(
      'https://example.com/health',
    );
  });
});
