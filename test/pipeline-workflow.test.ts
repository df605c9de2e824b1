import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './harness/run-action';

// The reusable pipeline wires every action by name, input and output: GitHub's parser (workflows.test.ts)
// checks the syntax, this checks the wiring against the real action.yml files, so a renamed input or
// output breaks here and not on a user's run.

type Step = {
  id?: string;
  name?: string;
  uses?: string;
  with?: Record<string, unknown>;
  if?: string;
  run?: string;
};
type Job = {
  needs?: string | string[];
  outputs?: Record<string, string>;
  steps?: Step[];
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: Record<string, string>;
};
const load = (file: string) => parse(readFileSync(path.join(repoRoot, file), 'utf8'));
const pipeline = load('.github/workflows/upgrade-pipeline.yml');
const call = pipeline.on.workflow_call;
const jobs: Record<string, Job> = pipeline.jobs;
const needsOf = (j: Job) => (j.needs === undefined ? [] : Array.isArray(j.needs) ? j.needs : [j.needs]);

/** Our own actions: `org/upgrade-actions@v1` is the root action, `org/upgrade-actions/<name>@v1` the others. */
function ours(
  uses: string,
): { inputs: Record<string, { required?: boolean }>; outputs: Record<string, unknown> } | undefined {
  const m = /^org\/upgrade-actions(?:\/([a-z-]+))?@v1$/.exec(uses);
  if (!m) return undefined;
  const file = m[1] ? path.join(m[1], 'action.yml') : 'action.yml';
  expect(existsSync(path.join(repoRoot, file))).toBe(true);
  const a = load(file);
  return { inputs: a.inputs ?? {}, outputs: a.outputs ?? {} };
}

const expressions = (value: unknown): string[] => JSON.stringify(value).match(/\$\{\{[^}]*\}\}/g) ?? [];

test('every step of ours passes only inputs its action declares, and gives every required one', () => {
  let checked = 0;
  for (const [name, job] of Object.entries(jobs)) {
    for (const step of job.steps ?? []) {
      if (!step.uses) continue;
      const action = ours(step.uses);
      if (!action) {
        // Third-party actions are pinned by version, as their READMEs show.
        expect({ job: name, uses: step.uses }).toEqual({ job: name, uses: expect.stringMatching(/@v?\d/) });
        continue;
      }
      checked++;
      for (const key of Object.keys(step.with ?? {}))
        expect({ job: name, uses: step.uses, key, declared: key in action.inputs }).toMatchObject({
          declared: true,
        });
      for (const [key, meta] of Object.entries(action.inputs))
        if (meta.required)
          expect({ job: name, uses: step.uses, key, given: key in (step.with ?? {}) }).toMatchObject({
            given: true,
          });
    }
  }
  expect(checked).toBeGreaterThanOrEqual(12);
});

test('needs, job outputs, step outputs, inputs and secrets all refer to something that exists', () => {
  for (const [name, job] of Object.entries(jobs)) {
    for (const n of needsOf(job))
      expect({ job: name, needs: n, exists: n in jobs }).toMatchObject({ exists: true });
    const ids = new Map((job.steps ?? []).filter((s) => s.id).map((s) => [s.id!, s]));
    for (const e of expressions(job)) {
      for (const [, dep, out] of e.matchAll(/needs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        expect({ job: name, dep, listed: needsOf(job).includes(dep) }).toMatchObject({ listed: true });
        expect({ job: name, dep, out, declared: out in (jobs[dep].outputs ?? {}) }).toMatchObject({
          declared: true,
        });
      }
      for (const [, id, out] of e.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        const step = ids.get(id);
        expect({ job: name, step: id, exists: !!step }).toMatchObject({ exists: true });
        const action = step?.uses ? ours(step.uses) : undefined;
        if (action)
          expect({ job: name, step: id, out, declared: out in action.outputs }).toMatchObject({
            declared: true,
          });
      }
      for (const [, input] of e.matchAll(/inputs\.([\w-]+)/g))
        expect({ job: name, input, declared: input in call.inputs }).toMatchObject({ declared: true });
      for (const [, secret] of e.matchAll(/secrets\.([\w-]+)/g))
        expect({ job: name, secret, declared: secret in call.secrets }).toMatchObject({ declared: true });
    }
  }
  for (const [name, o] of Object.entries(call.outputs as Record<string, { value: string }>))
    for (const [, job, out] of o.value.matchAll(/jobs\.([\w-]+)\.outputs\.([\w-]+)/g))
      expect({ output: name, job, out, declared: out in (jobs[job]?.outputs ?? {}) }).toMatchObject({
        declared: true,
      });
});

test('the example caller passes only declared inputs and secrets, and every required input', () => {
  const caller = load('examples/workflows/pipeline-caller.yml');
  const job: Job = Object.values(caller.jobs as Record<string, Job>)[0];
  expect(job.uses).toBe('org/upgrade-actions/.github/workflows/upgrade-pipeline.yml@v1');
  for (const key of Object.keys(job.with ?? {}))
    expect({ key, declared: key in call.inputs }).toMatchObject({ declared: true });
  for (const [key, meta] of Object.entries(call.inputs as Record<string, { required?: boolean }>))
    if (meta.required) expect({ key, given: key in (job.with ?? {}) }).toMatchObject({ given: true });
  for (const key of Object.keys(job.secrets ?? {}))
    expect({ key, declared: key in call.secrets }).toMatchObject({ declared: true });
  // The example app the caller names exists.
  for (const f of [
    'examples/app/deploy/web.yaml',
    'examples/app/smoke.yaml',
    'examples/app/load-test.js',
    'examples/app/Dockerfile',
  ])
    expect(existsSync(path.join(repoRoot, f))).toBe(true);
});

test('production needs testing needs development: the stages run in order, production behind its Environment', () => {
  expect(needsOf(jobs.testing)).toContain('development');
  expect(needsOf(jobs.production)).toContain('testing');
  expect((jobs.production as { environment?: string }).environment).toBe('production');
});

// The load-test gate is shell run on the runner: run it here on summaries as k6 --summary-export writes them.
describe('the load-test gate', () => {
  const gate = jobs.verify.steps!.find((s) => s.name?.startsWith('Load test gate'))!;
  const k6 = jobs.verify.steps!.find((s) => s.uses?.startsWith('grafana/k6-action@'))!;
  const run = (metrics: object) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'k6-gate-'));
    const summary = path.join(dir, 'k6-summary.json');
    writeFileSync(summary, JSON.stringify({ metrics }));
    const r = spawnSync('bash', ['-e', '-c', gate.run!], {
      env: {
        ...process.env,
        SUMMARY: summary,
        MIN_RPS: String(call.inputs['load-test-min-rps'].default),
        MAX_FAILED: String(call.inputs['load-test-max-failed'].default),
      },
      encoding: 'utf8',
    });
    return { status: r.status, out: r.stdout };
  };

  test('reads the summary the k6 step exports, with the seed floor as defaults', () => {
    expect(k6.with?.flags).toContain('--summary-export ${{ runner.temp }}/k6-summary.json');
    expect(gate.if).toBe(k6.if);
    expect(call.inputs['load-test-min-rps'].default).toBe(5000);
  });

  test('passes at 5000 requests/s with no failures, fails just below or with 1% failed', async () => {
    const ok = run({ http_reqs: { count: 300000, rate: 5000 }, http_req_failed: { value: 0 } });
    expect(ok.status).toBe(0);
    expect(ok.out).toContain('k6: 5000 requests/s');
    const slow = run({ http_reqs: { count: 299000, rate: 4983.3 }, http_req_failed: { value: 0 } });
    expect(slow.status).toBe(1);
    expect(slow.out).toMatch(/^::error::load test below the floor: 4983.3 requests\/s \(needs >= 5000\)/m);
    const failing = run({ http_reqs: { count: 300000, rate: 5200 }, http_req_failed: { value: 0.01 } });
    expect(failing.status).toBe(1);
    expect(run({}).status).toBe(1);
  });
});
