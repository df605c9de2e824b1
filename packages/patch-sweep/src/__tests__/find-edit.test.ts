import { applyBumps } from '../edit';
import { findImages } from '../find';

const manifests = `# the shop
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: "ghcr.io/acme/migrate:1.4.0"   # quoted, with a comment
      containers:
        - name: web
          image: nginx:1.25.1-alpine
        - name: sidecar
          image: localhost:5000/tools/envoy:1.30.2@sha256:${'a'.repeat(64)}
      ephemeralContainers:
        - name: debug
          image: 'busybox:1.36.0'
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: report }
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: report
              image: ghcr.io/acme/report:2.1.0
`;

test('finds every image field with its line, in a multi-document stream', () => {
  const sites = findImages(manifests, 'deploy/app.yaml');
  expect(sites.map((s) => [s.line, s.image, s.kind])).toEqual([
    [10, 'ghcr.io/acme/migrate:1.4.0', 'image'],
    [13, 'nginx:1.25.1-alpine', 'image'],
    [15, `localhost:5000/tools/envoy:1.30.2@sha256:${'a'.repeat(64)}`, 'image'],
    [18, 'busybox:1.36.0', 'image'],
    [30, 'ghcr.io/acme/report:2.1.0', 'image'],
  ]);
  expect(sites[2]).toMatchObject({
    repository: 'localhost:5000/tools/envoy',
    tag: '1.30.2',
    digest: `sha256:${'a'.repeat(64)}`,
  });
});

test('edits only the tags: every other byte stays, quotes and comments too', () => {
  const sites = findImages(manifests, 'app.yaml');
  const out = applyBumps(manifests, [
    { site: sites[0], to: '1.4.2' },
    { site: sites[1], to: '1.25.5-alpine' },
    { site: sites[3], to: '1.36.1' },
  ]);
  const expected = manifests
    .replace('"ghcr.io/acme/migrate:1.4.0"', '"ghcr.io/acme/migrate:1.4.2"')
    .replace('nginx:1.25.1-alpine', 'nginx:1.25.5-alpine')
    .replace("'busybox:1.36.0'", "'busybox:1.36.1'");
  expect(out).toBe(expected);
});

test('pin-digest writes tag@digest', () => {
  const sites = findImages(manifests, 'app.yaml');
  const d = `sha256:${'b'.repeat(64)}`;
  expect(applyBumps(manifests, [{ site: sites[4], to: '2.1.3', digest: d }])).toContain(
    `image: ghcr.io/acme/report:2.1.3@${d}`,
  );
});

test('Helm values: image maps and image strings', () => {
  const values = `replicaCount: 2
image:
  registry: ghcr.io
  repository: acme/web
  tag: "1.4.0" # pinned by the sweep
  pullPolicy: IfNotPresent
worker:
  image: ghcr.io/acme/worker:0.9.1
`;
  const sites = findImages(values, 'chart/values.yaml');
  expect(sites.map((s) => [s.line, s.image, s.kind])).toEqual([
    [5, 'ghcr.io/acme/web:1.4.0', 'helm'],
    [8, 'ghcr.io/acme/worker:0.9.1', 'image'],
  ]);
  expect(applyBumps(values, [{ site: sites[0], to: '1.4.1' }])).toBe(values.replace('"1.4.0"', '"1.4.1"'));
});

test('kustomization images: newTag, and a digest that moves with the tag', () => {
  const k = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [deploy.yaml]
images:
  - name: nginx
    newTag: 1.25.1
  - name: ghcr.io/acme/web
    newName: registry.local:5000/acme/web
    newTag: "2.0.0"
    digest: sha256:${'c'.repeat(64)}
`;
  const sites = findImages(k, 'kustomization.yaml');
  expect(sites.map((s) => [s.line, s.image, s.kind])).toEqual([
    [6, 'nginx:1.25.1', 'kustomize'],
    [9, 'registry.local:5000/acme/web:2.0.0', 'kustomize'],
  ]);
  const d = `sha256:${'d'.repeat(64)}`;
  expect(
    applyBumps(k, [
      { site: sites[0], to: '1.25.3' },
      { site: sites[1], to: '2.0.1', digest: d },
    ]),
  ).toBe(
    k
      .replace('newTag: 1.25.1', 'newTag: 1.25.3')
      .replace('"2.0.0"', '"2.0.1"')
      .replace(`sha256:${'c'.repeat(64)}`, d),
  );
});

test('a document that does not parse is skipped, not edited', () => {
  expect(findImages('image: [unclosed\n', 'bad.yaml')).toEqual([]);
});
