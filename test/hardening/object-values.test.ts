/**
 * Values that end up in Kubernetes objects are checked before any write (issue #19, hardening): every
 * action input and a few CLI flags that name an object, or become part of one, meet invalid values; each
 * run exits 1 with one `::error::` naming the input and quoting what is accepted in apimachinery's words,
 * and the simulator sees no write at all. Valid edge cases (63 characters exactly, names whose made
 * `-canary`/`-preview` names just fit) are accepted. Everything runs from dist/ as the runner runs it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { R, startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { runBuiltCli } from '../harness/cli';
import { appYaml } from '../harness/manifests';
import { runAction, type ActionRun } from '../harness/run-action';

// apimachinery's messages (pkg/util/validation), word for word.
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const IMAGE_MSG = 'expected [registry/]name[:tag][@sha256:<64 hex>]';
const D = 'sha256:' + 'ab'.repeat(32);

type Kind = 'label' | 'subdomain' | 'route' | 'image' | 'images' | 'workload';
/** What an input is, how a value is written into it, and what an error about it must quote. */
const KINDS: Record<Kind, { wrap: (v: string) => string; accepted: string[]; tooLong: string }> = {
  label: {
    wrap: (v) => v,
    accepted: [LABEL_MSG, 'must be no more than 63 characters'],
    tooLong: 'a'.repeat(64),
  },
  subdomain: {
    wrap: (v) => v,
    accepted: [SUBDOMAIN_MSG, 'must be no more than 253 characters'],
    tooLong: 'a'.repeat(254),
  },
  /** istio's `name[/route]`: the name part is the VirtualService's. */
  route: {
    wrap: (v) => v,
    accepted: [SUBDOMAIN_MSG, 'must be no more than 253 characters'],
    tooLong: 'a'.repeat(254),
  },
  image: { wrap: (v) => v, accepted: [IMAGE_MSG], tooLong: `ghcr.io/${'a'.repeat(250)}:1` },
  images: { wrap: (v) => `web=${v}`, accepted: [IMAGE_MSG], tooLong: `ghcr.io/${'a'.repeat(250)}:1` },
  workload: {
    wrap: (v) => `deployment/${v}`,
    accepted: [
      SUBDOMAIN_MSG,
      'must be no more than 253 characters',
      'must be TYPE/NAME or NAMESPACE/TYPE/NAME',
    ],
    tooLong: 'a'.repeat(254),
  },
};

const SLASH = 'a/b';
/** The invalid values every such input meets (the too-long one is per kind). */
const HOSTILE: [string, string][] = [
  ['uppercase', 'Web'],
  ['leading -', '-web'],
  ["'/' inside", SLASH],
  ['a space', 'a b'],
  ['command substitution', '$(id)'],
  ['a shell command', 'x; touch /tmp/p'],
  ['unicode', 'wëb'],
];
/** Where '/' separates parts of the value (image paths, TYPE/NAME, name/route) it is not invalid by itself. */
const SLASH_IS_SYNTAX = new Set<Kind>(['route', 'image', 'images', 'workload']);
/** Whether `value` is a case for an input of `kind`. */
const applies = (value: string, kind: Kind) => !(value === SLASH && SLASH_IS_SYNTAX.has(kind));

interface Target {
  action: string;
  /** Valid values for the other inputs, so the run fails only on the inputs under test. */
  base: Record<string, string>;
  inputs: Record<string, Kind>;
  /** A boolean input: made invalid in the edge run, so the step stops at its inputs after accepting ours. */
  boolean: string;
  /** Valid edge values of the inputs under test. */
  edges: Record<string, string>;
}

const TARGETS: Target[] = [
  {
    action: 'deploy',
    base: { manifests: 'app.yaml' },
    inputs: { namespace: 'label', images: 'images' },
    boolean: 'wait',
    edges: {
      namespace: 'n'.repeat(63),
      images: `ghcr.io/acme/web=localhost:5000/acme/web:${'t'.repeat(128)}@${D}`,
    },
  },
  {
    action: 'canary',
    base: { manifests: 'app.yaml' },
    inputs: {
      namespace: 'label',
      images: 'images',
      service: 'label',
      ingress: 'subdomain',
      'virtual-service': 'route',
      'http-route': 'subdomain',
    },
    boolean: 'forbid-latest',
    edges: {
      namespace: 'n'.repeat(63),
      images: 'nginx:1.27',
      service: 's'.repeat(56), // + "-canary" = 63
      ingress: `${'i'.repeat(100)}.${'i'.repeat(145)}`, // 246 + "-canary" = 253
      'virtual-service': `${'v'.repeat(253)}/primary`,
      'http-route': 'h'.repeat(253),
    },
  },
  {
    action: 'promote',
    base: { manifests: 'app.yaml' },
    inputs: { namespace: 'label', images: 'images', service: 'label' },
    boolean: 'forbid-latest',
    edges: { namespace: 'n'.repeat(63), images: '{"nginx": "nginx:1.27"}', service: 's'.repeat(55) }, // + "-preview" = 63
  },
  {
    action: 'rollback',
    base: {},
    inputs: { namespace: 'label', workloads: 'workload' },
    boolean: 'wait',
    edges: {
      namespace: 'n'.repeat(63),
      workloads: `${'n'.repeat(63)}/deployment/${'w'.repeat(253)}\nsts/db`,
    },
  },
  {
    action: 'smoke-test',
    base: {},
    inputs: { namespace: 'label', image: 'image' },
    boolean: 'fail',
    edges: { namespace: 'n'.repeat(63), image: `[::1]:5000/team/smoke:v1@${D}` },
  },
  {
    action: 'verify',
    base: { manifests: 'app.yaml' },
    inputs: { namespace: 'label', images: 'images' },
    boolean: 'forbid-latest',
    edges: {
      namespace: 'n'.repeat(63),
      images: 'registry.example.com/acme/web=registry.example.com/acme/web:v2',
    },
  },
];

const APP = appYaml({ replicas: 1, image: 'nginx:1.27' });

let sim: KubeSim;
let dir: string;
/** Writes the simulator saw: requests that are not reads, and store events. */
const writes: string[] = [];
let unsubscribe: () => void;
const nonReads = () =>
  sim.requests
    .filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method))
    .map((r) => `${r.method} ${r.path}`);

beforeAll(async () => {
  sim = await startKubeSim({ speed: 20, controllers: { events: false } });
  dir = mkdtempSync(path.join(tmpdir(), 'object-values-'));
  writeFileSync(path.join(dir, 'app.yaml'), APP);
  unsubscribe = sim.store.subscribe((e) =>
    writes.push(`${e.type} ${e.resource.resource}/${e.object.metadata.name}`),
  );
});

afterAll(async () => {
  unsubscribe?.();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `tasks` two at a time (the machine is shared): start-up, not the cluster, is what takes the time. */
async function pooled<T>(tasks: (() => Promise<T>)[], width = 3): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]();
      }
    }),
  );
  return out;
}

const run = (action: string, inputs: Record<string, string>) =>
  runAction(action, {
    inputs: { kubeconfig: sim.kubeconfigPath, ...inputs },
    workspace: dir,
    timeoutMs: 60_000,
  });

const errors = (r: ActionRun) => r.annotations.filter((a) => a.level === 'error');
/** The line of the failure about `input`. */
const lineOf = (r: ActionRun, input: string) =>
  (r.failedMessage ?? '').split('\n').find((l) => l.startsWith(`Input '${input}' `));

describe('action inputs that name or fill Kubernetes objects refuse invalid values before any write', () => {
  const cases = TARGETS.flatMap((t) =>
    [...HOSTILE, ['one character too long', '']].map(([label, value]) => ({ t, label, value })),
  );
  let results: ActionRun[];

  beforeAll(async () => {
    // One process per action and value, the value in every input under test at once: input parsing
    // reports every bad input together, so each input is still checked on its own line.
    results = await pooled(
      cases.map(({ t, value }) => () => {
        const inputs: Record<string, string> = { ...t.base };
        for (const [name, kind] of Object.entries(t.inputs)) {
          if (applies(value, kind)) inputs[name] = KINDS[kind].wrap(value || KINDS[kind].tooLong);
        }
        return run(t.action, inputs);
      }),
    );
  }, 120_000);

  test.each(cases.map((c, i) => [c.t.action, c.label, i] as const))('%s: %s', (_action, _label, i) => {
    const { t, value } = cases[i];
    const r = results[i];
    expect(r.code).toBe(1);
    // One error annotation, no stack trace.
    expect(errors(r)).toHaveLength(1);
    expect(`${r.stdout}\n${r.stderr}`.split('\n').filter((l) => /^\s+at /.test(l))).toEqual([]);
    for (const [name, kind] of Object.entries(t.inputs)) {
      if (!applies(value, kind)) continue;
      const line = lineOf(r, name);
      expect(line).toBeDefined();
      expect(KINDS[kind].accepted.some((a) => line!.includes(a))).toBe(true);
    }
    expect(nonReads()).toEqual([]);
    expect(writes).toEqual([]);
  });

  test.each(TARGETS.map((t) => [t.action, t] as const))(
    '%s accepts the edge values (63 characters exactly, made names that just fit)',
    async (_action, t) => {
      const r = await run(t.action, { ...t.base, ...t.edges, [t.boolean]: 'maybe' });
      expect(r.code).toBe(1);
      // Only the boolean was refused: every edge value passed its check.
      expect(r.failedMessage).toBe(`Input '${t.boolean}' must be true or false, got "maybe"`);
    },
  );

  test.each([
    [
      'canary',
      'service',
      's'.repeat(57),
      '"sssssssssssssssssssssssssssssssssssssssssssssssssssssssss-canary" is a DNS-1123 label too',
    ],
    ['promote', 'service', 's'.repeat(56), '-preview" is a DNS-1123 label too'],
    ['canary', 'ingress', 'i'.repeat(247), '-canary" is a DNS-1123 subdomain too'],
  ])('%s refuses a %s valid alone whose made name would not be: %s', async (action, input, value, said) => {
    const r = await run(action, { manifests: 'app.yaml', [input]: value });
    expect(r.code).toBe(1);
    expect(lineOf(r, input)).toContain(said);
    expect(lineOf(r, input)).toContain('must be no more than');
    expect(nonReads()).toEqual([]);
  });
});

describe('names made from the manifests are checked before the first write', () => {
  test('deploy refuses a release whose second object carries an invalid label value, and applies nothing', async () => {
    writeFileSync(
      path.join(dir, 'bad-label.yaml'),
      `${APP}---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, labels: {team: "payments/core"}}
data: {a: b}
`,
    );
    const r = await run('deploy', { manifests: 'bad-label.yaml' });
    expect(r.code).toBe(1);
    expect(errors(r)).toHaveLength(1);
    expect(r.failedMessage).toContain(
      `ConfigMap "web-config": metadata.labels: Invalid value: "payments/core": ${LABEL_VALUE_MSG}`,
    );
    expect(nonReads()).toEqual([]);
    expect(writes).toEqual([]);
  });

  /** Writes `yaml`, runs `action` on it, and expects `message` with nothing written to the cluster. */
  async function expectRefused(action: string, file: string, yaml: string, message: string) {
    writeFileSync(path.join(dir, file), yaml);
    const r = await run(action, { manifests: file });
    expect(r.code).toBe(1);
    expect(r.failedMessage).toBe(message);
    expect(nonReads()).toEqual([]);
    expect(writes).toEqual([]);
  }

  test('promote refuses a Service whose <service>-preview would be longer than 63', async () => {
    const svc = 'p'.repeat(56);
    await expectRefused(
      'promote',
      'long-svc.yaml',
      appYaml({ replicas: 1, image: 'nginx:1.27' }, { name: svc, app: 'web' }),
      `service: "${svc}" must be a Service name short enough that "${svc}-preview" is a DNS-1123 label too: must be no more than 63 characters`,
    );
  });

  test('canary refuses a Deployment whose <name>-canary would be longer than 253', async () => {
    const name = 'd'.repeat(247);
    await expectRefused(
      'canary',
      'long-deploy.yaml',
      appYaml({ name, app: 'web', replicas: 1, image: 'nginx:1.27' }, { name: 'web' }),
      `manifests: "${name}" must be a Deployment name short enough that "${name}-canary" is a DNS-1123 subdomain too: must be no more than 253 characters`,
    );
  });

  test('a 63-character namespace is deployed to (accepted all the way to the cluster)', async () => {
    const ns = 'n'.repeat(63);
    sim.store.create(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const r = await run('deploy', {
      manifests: 'app.yaml',
      namespace: ns,
      wait: 'false',
      'api-check': 'false',
    });
    expect(r.failedMessage).toBeUndefined();
    expect(r.code).toBe(0);
    expect(sim.store.get(R.deployments, ns, 'web')).toBeDefined();
    expect(JSON.parse(r.outputs.release).namespace).toBe(ns);
  });
});

describe('the command line refuses the same values, naming the flag', () => {
  const cli = (...argv: string[]) =>
    runBuiltCli([...argv, '--kubeconfig', sim.kubeconfigPath], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir },
    });
  // The CLI can only write through the API: its non-read requests are counted. Store events are not: the
  // controllers are still settling the real deploy of the test before, and their writes land meanwhile.
  let before: number;
  beforeEach(() => {
    before = nonReads().length;
  });

  test.each([
    [
      ['deploy', '-f', 'app.yaml', '--namespace', 'Prod'],
      `error: --namespace: "Prod" must be a namespace name (a DNS-1123 label): ${LABEL_MSG}`,
    ],
    [
      ['deploy', '-f', 'app.yaml', '-n', 'n'.repeat(64)],
      'error: --namespace: "' +
        'n'.repeat(64) +
        '" must be a namespace name (a DNS-1123 label): must be no more than 63 characters',
    ],
    [
      ['deploy', '-f', 'app.yaml', '--image', 'web=x; touch /tmp/p'],
      `error: --image: reference for web "x; touch /tmp/p" is not a valid image reference (bad name component "x; touch "); ${IMAGE_MSG}`,
    ],
    [
      ['canary', '-f', 'app.yaml', '--service', 's'.repeat(57)],
      `error: --service: "${'s'.repeat(57)}" must be a Service name short enough that "${'s'.repeat(57)}-canary" is a DNS-1123 label too: must be no more than 63 characters`,
    ],
    [
      ['canary', '-f', 'app.yaml', '-n', '$(id)'],
      `error: --namespace: "$(id)" must be a namespace name (a DNS-1123 label): ${LABEL_MSG}`,
    ],
    [
      ['promote', '-f', 'app.yaml', '--service', 'web.v2'],
      'error: --service: "web.v2" must be a Service name (a DNS-1123 label): must not contain dots',
    ],
    [
      ['rollback', 'deployment/web', '--namespace=-shop'],
      `error: --namespace: "-shop" must be a namespace name (a DNS-1123 label): ${LABEL_MSG}`,
    ],
  ])('%j', async (argv, said) => {
    const r = await cli(...argv);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(said);
    expect(nonReads()).toHaveLength(before);
  });
});
