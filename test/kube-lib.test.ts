import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { node24, repoRoot } from './harness/run-action';

// The built library is what an outside check imports by package name after `npm ci && npm run build`
// (`npm test` builds first). These run a fresh Node from the repo root, with no jest module mapping.
const calls = `
  const fp = m.resolveFenceposts('25%', '25%', 5);
  const st = m.rolloutStatus({ kind: 'Deployment', metadata: { name: 'web', generation: 1 }, spec: { replicas: 2 },
    status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 } }, {});
  let pinned;
  try { m.rolloutStatus({ kind: 'Deployment', metadata: { name: 'web', annotations: { 'deployment.kubernetes.io/revision': '2' } } }, { revision: 3 }); }
  catch (e) { pinned = e.message; }
  const tpl = (image) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } });
  const rs = (name, rev, image) => ({ kind: 'ReplicaSet', metadata: { name, annotations: { 'deployment.kubernetes.io/revision': rev } }, spec: { template: tpl(image) } });
  const plan = m.planRollback({ kind: 'Deployment', metadata: { name: 'web' }, spec: { template: tpl('b') } }, [rs('web-1', '1', 'a'), rs('web-2', '2', 'b')], {});
  console.log(JSON.stringify({ fp, st, pinned, result: plan.result, rs: plan.replicaSet, ops: plan.patch.map((p) => p.path) }));
`;

const expected = {
  fp: { surge: 2, unavailable: 1 },
  st: { message: 'deployment "web" successfully rolled out', done: true },
  pinned: 'desired revision (3) is different from the running revision (2)',
  result: 'rolled back',
  rs: 'web-1',
  ops: ['/spec/template', '/metadata/annotations'],
};

describe('the built @upgrade-actions/kube library', () => {
  beforeAll(() => {
    if (!existsSync(path.join(repoRoot, 'packages/kube/lib/index.js')))
      throw new Error('packages/kube/lib is missing: run `npm run build` first');
  });

  test('is importable by package name as ESM and its three functions answer', () => {
    const r = spawnSync(
      node24,
      ['--input-type=module', '-e', `import * as m from '@upgrade-actions/kube';${calls}`],
      {
        cwd: repoRoot,
        encoding: 'utf8',
      },
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(expected);
  });

  test('is requirable by package name as CommonJS with the same answers', () => {
    const r = spawnSync(node24, ['-e', `const m = require('@upgrade-actions/kube');${calls}`], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(expected);
  });
});
