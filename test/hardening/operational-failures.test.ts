/**
 * Operational failures (issue #19, hardening): every action that talks to a cluster, run from dist/ as the
 * runner runs it, against a cluster it cannot use — a refused port, a host that does not resolve, a TLS
 * certificate it must not trust (unknown authority, wrong name), an API server that answers 403 as RBAC
 * does — and the report files and images that cannot be written or pulled. Each run must end on its own
 * with exit 1 and exactly one `::error::` line saying what failed and what to check, no stack trace outside
 * `::debug::`, and no credential of the kubeconfig anywhere in the log, outputs or summary.
 *
 * The actions come from their definitions (actions/<name>/inputs.ts with a `kubeconfig` input) and the
 * report inputs from the `checkOutputFile` calls of their entries: a new one is covered the day it lands,
 * and fails here until it says how to reach its cluster (`REACH`).
 */
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@upgrade-actions/common';
import { R, startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import type { ActionDefinition, InputSchema } from '@upgrade-actions/toolkit';
import { appYaml } from '../harness/manifests';
import { repoRoot, runAction, type ActionRun } from '../harness/run-action';

type AnyAction = ActionDefinition<Record<string, InputSchema<unknown>>, Record<string, string>>;

/** The credential every kubeconfig here carries: it must never be printed. */
const TOKEN = 'opfail-bearer-7Q9xK2mV4pL8sN3w';
const USER = 'system:serviceaccount:ci:deployer';

const definitions: [string, AnyAction][] = await Promise.all(
  readdirSync(path.join(repoRoot, 'actions'))
    .filter((n) => existsSync(path.join(repoRoot, 'actions', n, 'inputs.ts')))
    .sort()
    .map(async (n): Promise<[string, AnyAction]> => {
      const mod = (await import(path.join(repoRoot, 'actions', n, 'inputs.ts'))) as Record<string, unknown>;
      const def = Object.values(mod).find(
        (v) => typeof v === 'object' && v !== null && 'inputs' in v && 'outputs' in v,
      );
      return [n, def as AnyAction];
    }),
);

/**
 * kind-cluster's `kubeconfig` is where it writes the cluster it creates; it never reads one
 * (its failures are in kind-cluster-preflight.test.ts).
 */
const WRITES_ITS_KUBECONFIG = new Set(['kind-cluster']);

/**
 * patch-sweep reads the cluster's version only for a report beside the sweep: a cluster it cannot reach
 * is a warning there, so that patches are not held back (checked below).
 */
const CLUSTER_IS_ADVISORY = new Set(['patch-sweep']);

/** Actions that read a kubeconfig and need the cluster: the cluster failures apply to each. */
const CLUSTER_ACTIONS = definitions
  .filter(
    ([n, def]) => 'kubeconfig' in def.inputs && !WRITES_ITS_KUBECONFIG.has(n) && !CLUSTER_IS_ADVISORY.has(n),
  )
  .map(([n]) => n);

/** Report inputs: the first argument of `checkOutputFile(…, '<input>', …)` in each entry. */
const REPORT_INPUTS: [string, string][] = definitions.flatMap(([n]) => {
  const main = path.join(repoRoot, 'actions', n, 'main.ts');
  if (!existsSync(main)) return [];
  return [...readFileSync(main, 'utf8').matchAll(/checkOutputFile\(\s*[^,]+,\s*'([a-z-]+)'/g)].map(
    (m): [string, string] => [n, m[1]],
  );
});

// A short progress deadline (3 real seconds at the simulator's speed) for the image that cannot be pulled.
const deployment = (name: string, image: string) =>
  appYaml(
    { name, namespace: 'shop', replicas: 1, progressDeadlineSeconds: 60, image, container: 'app' },
    { portName: 'http' },
  );

const release = JSON.stringify({
  version: 'v1',
  namespace: 'shop',
  workloads: [{ kind: 'Deployment', name: 'web', namespace: 'shop', revisionBefore: 1, revisionAfter: 2 }],
});

/**
 * The least each action needs to make its first request to the cluster (files are in the workspace).
 * A kubeconfig-reading action without an entry fails the first test.
 */
const REACH: Record<string, Record<string, string>> = {
  deploy: { manifests: 'web.yaml', timeout: '30s' },
  rollback: { workloads: 'deployment/web', namespace: 'shop', timeout: '30s', 'lock-timeout': '5s' },
  'health-probe': { release },
  'smoke-test': { image: 'smoke:ok', namespace: 'shop', 'job-timeout': '30s' },
  canary: { manifests: 'web.yaml', steps: '50,100', 'step-interval': '1s', 'analysis-interval': '1s' },
  promote: { manifests: 'web.yaml', validation: '1s', watch: '1s', 'scale-down-delay': '0s' },
  'api-check': {},
  verify: { manifests: 'web.yaml', timeout: '30s' },
};

let work: string;
let refusedPort: number;
let tls: TlsServer;
let tlsPort: number;
let certPem: string;
/** The simulator whose every resource request is denied to USER. */
let denying: KubeSim;
/** A working cluster whose kubelet cannot pull `web:missing`. */
let sim: KubeSim;

/** A kubeconfig for `server`, with the bearer token that must stay secret. */
function kubeconfig(name: string, server: string, cluster: Record<string, string> = {}): string {
  const file = path.join(work, `${name}.kubeconfig`);
  const extra = Object.entries(cluster)
    .map(([k, v]) => `\n    ${k}: ${v}`)
    .join('');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- name: ${name}
  cluster:
    server: ${server}${extra}
users:
- name: ${USER}
  user:
    token: ${TOKEN}
contexts:
- name: ${name}
  context: {cluster: ${name}, user: "${USER}", namespace: shop}
current-context: ${name}
`,
  );
  return file;
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'opfail-'));
  refusedPort = await freePort();
  // A self-signed certificate for the name `localhost` only: untrusted without it as CA, and the wrong
  // name for https://127.0.0.1 with it.
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost',
    '-keyout', path.join(work, 'tls.key'), '-out', path.join(work, 'tls.crt'),
  ]); // prettier-ignore
  certPem = readFileSync(path.join(work, 'tls.crt'), 'utf8');
  tls = createTlsServer({ key: readFileSync(path.join(work, 'tls.key')), cert: certPem }, (_q, s) =>
    s.writeHead(500).end(),
  );
  await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
  tlsPort = (tls.address() as { port: number }).port;

  denying = await startKubeSim({ controllers: false });
  denying.faults.set({ forbiddenUser: USER });
  sim = await startKubeSim({
    speed: 20,
    controllers: { events: true, scenario: { 'web:missing': { pullError: true } } },
  });
  sim.store.create(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
}, 60_000);

afterAll(async () => {
  await new Promise((r) => tls?.close(r));
  await denying?.stop();
  await sim?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** A workspace of its own for one run, with the manifests REACH names. */
function workspace(image = 'web:v1'): string {
  const ws = mkdtempSync(path.join(work, 'ws-'));
  writeFileSync(path.join(ws, 'web.yaml'), deployment('web', image));
  return ws;
}

const STACK_FRAME = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at \S+:\d+:\d+$/;
const ERROR_HEADER = /^(\w*Error|Error)( \[\w+\])?: /;

/**
 * What is wrong with a run that met an operational failure, as sentences (none: it is what users need):
 * exit 1 on its own, exactly one `::error::` line containing each of `says`, no stack outside `::debug::`,
 * and no credential of the kubeconfig in the log, the outputs or the summary.
 */
function problemsOf(r: ActionRun, says: RegExp[]): string[] {
  const problems: string[] = [];
  const errorLines = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
  if (errorLines.length !== 1)
    problems.push(`${errorLines.length} ::error:: lines: ${errorLines.join(' | ')}`);
  if (r.signal !== null || r.code !== 1) problems.push(`ended with code ${r.code}, signal ${r.signal}`);
  const message = r.failedMessage ?? '';
  for (const s of says)
    if (!s.test(message)) problems.push(`error ${JSON.stringify(message)} does not match ${s}`);
  // Stacks only in ::debug:: lines (whose newlines are escaped, so every frame is on the debug line).
  const normal = [...r.stdout.split('\n'), ...r.stderr.split('\n')].filter((l) => !l.startsWith('::debug::'));
  const stack = normal.filter((l) => STACK_FRAME.test(l) || ERROR_HEADER.test(l));
  if (stack.length) problems.push(`stack outside ::debug::: ${stack.join(' | ')}`);
  // The runner consumes ::add-mask:: lines; everything else must be free of the credential.
  const shown = [
    ...normal.filter((l) => !l.startsWith('::add-mask::')),
    r.summary,
    ...Object.values(r.outputs),
  ];
  if (shown.join('\n').includes(TOKEN)) problems.push('the kubeconfig token is printed');
  return problems;
}

function expectActionable(r: ActionRun, says: RegExp[]): void {
  expect({ problems: problemsOf(r, says), stdout: r.stdout }).toEqual({ problems: [], stdout: r.stdout });
}

/** The failures of a cluster the action cannot use: the kubeconfig, and what the error must say. */
const clusterFailures = (): [string, () => string, () => RegExp[]][] => [
  [
    'a refused connection',
    () => kubeconfig('refused', `http://127.0.0.1:${refusedPort}`),
    () => [
      new RegExp(`127\\.0\\.0\\.1:${refusedPort}`),
      /refused/,
      /Check the server of cluster "refused" in kubeconfig/,
    ],
  ],
  [
    'a host that does not resolve',
    () => kubeconfig('dns', 'https://api.cluster.invalid:6443'),
    () => [/api\.cluster\.invalid: no such host/, /Check the server of cluster "dns" in kubeconfig/, /DNS/],
  ],
  [
    'a certificate signed by an unknown authority',
    () => kubeconfig('untrusted', `https://127.0.0.1:${tlsPort}`),
    () => [new RegExp(`127\\.0\\.0\\.1:${tlsPort}`), /unknown authority/, /certificate-authority/],
  ],
  [
    'a certificate for another host name',
    () =>
      kubeconfig('wrong-name', `https://127.0.0.1:${tlsPort}`, {
        'certificate-authority-data': Buffer.from(certPem).toString('base64'),
      }),
    () => [new RegExp(`127\\.0\\.0\\.1:${tlsPort}`), /altnames/, /tls-server-name/],
  ],
  [
    'a 403 from the API server',
    () => kubeconfig('forbidden', denying.url),
    () => [
      new RegExp(`is forbidden: User "${USER}" cannot \\w+ resource "[a-z/]+" in API group "[a-z.]*"`),
      /Check the RBAC permissions of the kubeconfig user: grant \w+ on [a-z/]+ \(kubectl auth can-i /,
    ],
  ],
];

test('every action that reads a kubeconfig says here how it reaches its cluster', () => {
  expect(CLUSTER_ACTIONS.length).toBeGreaterThanOrEqual(8);
  expect([...CLUSTER_IS_ADVISORY].every((n) => definitions.some(([d]) => d === n))).toBe(true);
  expect(CLUSTER_ACTIONS.filter((n) => !(n in REACH))).toEqual([]);
  expect(REPORT_INPUTS).toEqual(
    expect.arrayContaining([
      ['api-check', 'sarif-file'],
      ['smoke-test', 'junit-path'],
    ]),
  );
});

// Each failure against every cluster action at once (one process each): the suite stays within a minute.
test.each(clusterFailures())(
  '%s: every cluster action prints one error line saying what failed and what to check',
  async (_what, config, says) => {
    const file = config();
    const runs = await Promise.all(
      CLUSTER_ACTIONS.map(async (action) => {
        const r = await runAction(action, {
          workspace: workspace(),
          inputs: { ...REACH[action], kubeconfig: file },
          timeoutMs: 60_000,
        });
        return [action, problemsOf(r, says())] as const;
      }),
    );
    expect(Object.fromEntries(runs.filter(([, p]) => p.length > 0))).toEqual({});
  },
  120_000,
);

describe.each(REPORT_INPUTS)('%s', (action, input) => {
  test(`${input} in a directory that cannot be made (read-only /proc): one error line naming the input`, async () => {
    const ws = workspace();
    symlinkSync('/proc/self', path.join(ws, 'ro'));
    const r = await runAction(action, {
      workspace: ws,
      inputs: {
        ...REACH[action],
        kubeconfig: sim.kubeconfigPath,
        ...(action === 'smoke-test' ? { image: 'smoke:ok' } : {}),
        [input]: 'ro/reports/out.xml',
      },
      timeoutMs: 60_000,
    });
    expectActionable(r, [new RegExp(`^${input}: `), /ro\/reports\/out\.xml|proc/]);
  }, 90_000);
});

test('deploy: an image the cluster cannot pull fails naming the image and why', async () => {
  const r = await runAction('deploy', {
    workspace: workspace('web:missing'),
    inputs: { ...REACH.deploy, kubeconfig: sim.kubeconfigPath },
    timeoutMs: 60_000,
  });
  expectActionable(r, [/image "web:missing" cannot be pulled/, /ErrImagePull|ImagePullBackOff/]);
}, 90_000);

test('smoke-test: a Job image the cluster cannot pull fails naming the image', async () => {
  const r = await runAction('smoke-test', {
    workspace: workspace(),
    inputs: { ...REACH['smoke-test'], image: 'web:missing', kubeconfig: sim.kubeconfigPath },
    timeoutMs: 60_000,
  });
  expectActionable(r, [/web:missing/, /pull/i]);
}, 90_000);

test('patch-sweep: a cluster it cannot reach is one warning saying what to check, and the sweep goes on', async () => {
  const ws = workspace();
  const r = await runAction('patch-sweep', {
    workspace: ws,
    // Nothing to sweep (no image references), so that only the cluster is met.
    inputs: {
      paths: 'nothing-here',
      'dry-run': 'true',
      kubeconfig: kubeconfig('advisory', 'https://api.cluster.invalid:6443'),
    },
    timeoutMs: 60_000,
  });
  const warnings = r.annotations.filter((a) => a.level === 'warning' && /Kubernetes version/.test(a.message));
  expect(warnings.map((w) => w.message)).toEqual([
    expect.stringMatching(
      /api\.cluster\.invalid: no such host.*Check the server of cluster "advisory" in kubeconfig/,
    ),
  ]);
  expect(r.annotations.filter((a) => a.level === 'error')).toEqual([]);
  expect(r.stdout).not.toContain(TOKEN);
}, 90_000);

test('patch-sweep: a registry it cannot reach (refused, DNS) is one error line naming the registry and what to check', async () => {
  const cases: [string, RegExp[]][] = [
    [
      `127.0.0.1:${refusedPort}/acme/web:1.0.0`,
      [new RegExp(`cannot reach registry 127\\.0\\.0\\.1:${refusedPort}`)],
    ],
    [
      'registry.invalid/acme/web:1.0.0',
      [/cannot reach registry registry\.invalid at https:\/\/registry\.invalid \(ENOTFOUND\)/],
    ],
  ];
  const runs = await Promise.all(
    cases.map(async ([image, says]) => {
      const ws = mkdtempSync(path.join(work, 'sweep-'));
      writeFileSync(
        path.join(ws, 'pod.yaml'),
        `apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {containers: [{name: a, image: "${image}"}]}\n`,
      );
      const r = await runAction('patch-sweep', {
        workspace: ws,
        inputs: { paths: 'pod.yaml', 'dry-run': 'true' },
        timeoutMs: 60_000,
      });
      return [image, problemsOf(r, [...says, /pod\.yaml:4/, /check the name and the network/])] as const;
    }),
  );
  expect(Object.fromEntries(runs.filter(([, p]) => p.length > 0))).toEqual({});
}, 90_000);
