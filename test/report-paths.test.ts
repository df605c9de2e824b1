import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot, runAction } from './harness/run-action';
import { startTestApp, type TestApp } from './servers/test-app';

// The report files of api-check (`sarif-file`) and smoke-test (`junit-path`), from dist/ as the runner
// runs them: checked before the work, missing directories made, kept inside the workspace, and a report
// that cannot be written loses neither the outputs nor the summary.

let ws: string;
let app: TestApp;
// An absolute path outside the workspace, unique to this run: it must never be written.
const elsewhere = path.join(tmpdir(), `report-paths-elsewhere-${process.pid}.xml`);

beforeAll(async () => {
  app = await startTestApp();
  ws = mkdtempSync(path.join(tmpdir(), 'report-paths-'));
  cpSync(path.join(repoRoot, 'test', 'fixtures', 'manifests'), path.join(ws, 'deploy'), { recursive: true });
  writeFileSync(path.join(ws, 'a-file'), 'not a directory\n');
  mkdirSync(path.join(ws, 'a-dir'));
  // A report path that passes every check and still cannot be written: /proc refuses writes (EIO), root or not.
  symlinkSync('/proc/version', path.join(ws, 'unwritable'));
  writeFileSync(
    path.join(ws, 'smoke.yaml'),
    'tests:\n  - {name: health, request: {path: /healthy}, expect: {status: 200}}\n',
  );
});

beforeEach(() => app.reset());

afterAll(async () => {
  await app?.stop();
  // Only a regression would have written these; clean up after one too.
  rmSync(elsewhere, { force: true });
  rmSync(path.join(ws, '..', `${path.basename(ws)}-outside.xml`), { force: true });
  rmSync(ws, { recursive: true, force: true });
});

const actions = {
  'api-check': {
    input: 'sarif-file',
    inputs: { paths: 'deploy/**/*.json', 'fail-on': 'none' },
    did: (r: { outputs: Record<string, string> }) => expect(r.outputs['target-version']).toMatch(/^1\.\d+$/),
  },
  'smoke-test': {
    input: 'junit-path',
    inputs: { file: 'smoke.yaml' },
    did: (r: { outputs: Record<string, string> }) => expect(r.outputs.passed).toBe('1'),
  },
} as const;

const runWith = (action: keyof typeof actions, file: string) =>
  runAction(action, {
    workspace: ws,
    inputs: { ...actions[action].inputs, 'base-url': app.url, [actions[action].input]: file },
  });

describe.each(Object.keys(actions) as (keyof typeof actions)[])('%s', (action) => {
  const input = actions[action].input;

  test(`${input} in directories that do not exist yet: they are made and the report written`, async () => {
    const r = await runWith(action, `out/${action}/deep/report`);
    expect(r.failedMessage).toBeUndefined();
    expect(readFileSync(path.join(ws, 'out', action, 'deep', 'report'), 'utf8').length).toBeGreaterThan(0);
  });

  test.each([
    ['a directory', 'a-dir', `${input}: a-dir is a directory; give the path of a file`],
    [
      'a path under a file',
      'a-file/report',
      `${input}: a-file/report is under %WS%/a-file, which is a file, not a directory`,
    ],
    [
      'a relative path that leaves the workspace',
      '../%NAME%-outside.xml',
      `${input}: ../%NAME%-outside.xml is outside the workspace %WS%; give a path inside it (relative paths are resolved there)`,
    ],
    [
      'an absolute path outside the workspace',
      elsewhere,
      `${input}: ${elsewhere} is outside the workspace %WS%; give a path inside it (relative paths are resolved there)`,
    ],
  ])(`${input} that is %s fails before the work, naming the input`, async (_what, file, message) => {
    const name = path.basename(ws);
    const r = await runWith(action, file.replace('%NAME%', name));
    expect(r.code).toBe(1);
    expect(r.failedMessage).toBe(message.replaceAll('%WS%', ws).replace('%NAME%', name));
    expect(r.outputs).toEqual({});
    expect(existsSync(elsewhere)).toBe(false);
    expect(existsSync(path.join(ws, '..', `${name}-outside.xml`))).toBe(false);
    expect(r.stdout).not.toMatch(/^\s+at /m);
    if (action === 'smoke-test') expect(app.hits.get('/healthy') ?? 0).toBe(0);
  });

  test(`a ${input} that cannot be written: exit 1 naming it, the outputs and the summary written`, async () => {
    const r = await runWith(action, 'unwritable');
    expect(r.code).toBe(1);
    expect(r.failedMessage).toBe(
      `${input}: could not write ${path.join(ws, 'unwritable')}: EIO i/o error, write; the outputs and the summary were written`,
    );
    actions[action].did(r);
    expect(r.summary.length).toBeGreaterThan(0);
  });
});
