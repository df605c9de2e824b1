import path from 'node:path';
import {
  enforceImagePolicy,
  kubeconfigSource,
  parseImageOverrides,
  prepareManifests,
} from '@upgrade-actions/deploy';
import { parseManifests } from '@upgrade-actions/kube';

const digest = 'sha256:' + 'b'.repeat(64);

describe('the images input', () => {
  test.each<[string, string, Record<string, string>]>([
    [
      'name=reference lines',
      `ghcr.io/acme/web=ghcr.io/acme/web@${digest}\n# comment\n\nnginx=nginx:1.27`,
      { 'ghcr.io/acme/web': `ghcr.io/acme/web@${digest}`, 'docker.io/library/nginx': 'nginx:1.27' },
    ],
    [
      'a bare reference with a tag names its own image',
      'ghcr.io/acme/api:2.1',
      { 'ghcr.io/acme/api': 'ghcr.io/acme/api:2.1' },
    ],
    [
      'a JSON object from a build step',
      `{"ghcr.io/acme/web": "ghcr.io/acme/web@${digest}"}`,
      { 'ghcr.io/acme/web': `ghcr.io/acme/web@${digest}` },
    ],
    [
      'names compared canonically',
      'docker.io/library/redis=redis:7',
      { 'docker.io/library/redis': 'redis:7' },
    ],
    ['empty', '  ', {}],
  ])('reads %s', (_name, text, want) => {
    expect(Object.fromEntries(parseImageOverrides(text))).toEqual(want);
  });

  test.each([
    ['{"web": 1}', 'images: expected a JSON object of image name to reference strings'],
    ['{"web": ', 'images: not valid JSON'],
    [
      'ghcr.io/acme/web',
      'images: "ghcr.io/acme/web" names no tag or digest; write name=reference or a reference with a tag or digest',
    ],
    ['web=Web:1', 'images: reference for web "Web:1" is not a valid image reference'],
    ['UPPER=web:1', 'images: name "UPPER" is not a valid image reference'],
  ])('refuses %s naming the input', (text, message) => {
    expect(() => parseImageOverrides(text)).toThrow(message);
  });
});

describe('preparing manifests', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, annotations: {team: shop}}
spec:
  template:
    spec:
      initContainers: [{name: migrate, image: "ghcr.io/acme/web:1.0"}]
      containers: [{name: web, image: "ghcr.io/acme/web:1.0"}, {name: proxy, image: "envoyproxy/envoy:v1.30"}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: jobs}
spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: r, image: "ghcr.io/acme/web:0.9"}]}}}}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c}
`;
  const manifests = parseManifests(text, 'app.yaml');
  const prepared = prepareManifests(manifests, {
    overrides: parseImageOverrides(`ghcr.io/acme/web=ghcr.io/acme/web@${digest}\nredis=redis:7`),
    changeCause: 'release 42',
  });

  test('replaces the image of every container and init container running the named image, CronJobs included', () => {
    const d = prepared.manifests[0].object as {
      spec: { template: { spec: { initContainers: { image: string }[]; containers: { image: string }[] } } };
    };
    expect(d.spec.template.spec.initContainers[0].image).toBe(`ghcr.io/acme/web@${digest}`);
    expect(d.spec.template.spec.containers.map((c) => c.image)).toEqual([
      `ghcr.io/acme/web@${digest}`,
      'envoyproxy/envoy:v1.30',
    ]);
    expect(JSON.stringify(prepared.manifests[1].object)).toContain(`ghcr.io/acme/web@${digest}`);
  });

  test('writes the change cause on workloads only, keeping their other annotations', () => {
    expect(prepared.manifests[0].object.metadata?.annotations).toEqual({
      team: 'shop',
      'kubernetes.io/change-cause': 'release 42',
    });
    expect(prepared.manifests[1].object.metadata?.annotations).toBeUndefined();
  });

  test('lists the workloads to follow with their images, and the overrides nothing used', () => {
    expect(prepared.workloads).toEqual([
      {
        kind: 'Deployment',
        name: 'web',
        namespace: '',
        images: {
          migrate: `ghcr.io/acme/web@${digest}`,
          web: `ghcr.io/acme/web@${digest}`,
          proxy: 'envoyproxy/envoy:v1.30',
        },
      },
    ]);
    expect(prepared.unusedOverrides).toEqual(['docker.io/library/redis']);
  });

  test('leaves the manifests it was given untouched', () => {
    expect(JSON.stringify(manifests[0].object)).toContain('"ghcr.io/acme/web:1.0"');
  });
});

describe('the production image policy', () => {
  test.each([
    [['web:1.0'], { forbidLatest: true, requireDigest: false }, null],
    [[`web@${digest}`], { forbidLatest: true, requireDigest: true }, null],
    [
      ['web'],
      { forbidLatest: true, requireDigest: false },
      'forbid-latest: image web uses the latest tag (no tag means latest)',
    ],
    [['web:latest'], { forbidLatest: false, requireDigest: false }, null],
    [
      ['web:1.0', 'api:2'],
      { forbidLatest: true, requireDigest: true },
      'require-digest: image web:1.0 has no digest; pin it as name@sha256:<digest>; image api:2 has no digest',
    ],
  ])('%j under %j', (images, policy, message) => {
    if (message === null) expect(() => enforceImagePolicy(images, policy)).not.toThrow();
    else expect(() => enforceImagePolicy(images, policy)).toThrow(message);
  });
});

describe('the kubeconfig input', () => {
  test.each([
    ['', '', { context: undefined, inCluster: 'auto' }],
    ['kube/config', 'prod', { path: path.resolve('/ws', 'kube/config'), context: 'prod' }],
    ['apiVersion: v1\nkind: Config', '', { content: 'apiVersion: v1\nkind: Config', context: undefined }],
  ])('%j with context %j', (value, context, want) => {
    expect(kubeconfigSource(value, context, '/ws')).toEqual(want);
  });
});
