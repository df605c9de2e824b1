import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, and the Node 24 binary that npm installs as a devDependency (actions run on node24). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const node24 = path.join(repoRoot, 'node_modules', '.bin', 'node');

export interface RunActionOptions {
  /** Inputs by their action.yml names; passed as INPUT_<NAME> exactly as the runner does. */
  inputs?: Record<string, string>;
  /** Webhook payload written to GITHUB_EVENT_PATH. */
  event?: unknown;
  eventName?: string;
  /** GITHUB_WORKSPACE and the process's working directory. */
  workspace?: string;
  env?: Record<string, string>;
  /** For the post phase: the state the main phase saved. */
  state?: Record<string, string>;
  timeoutMs?: number;
  /** Called with the child once it is running (e.g. to send it a signal). */
  onSpawn?: (child: import('node:child_process').ChildProcess) => void;
}

export interface ParsedAnnotation {
  level: 'error' | 'warning' | 'notice' | 'debug';
  message: string;
  properties: Record<string, string>;
}

export interface ActionRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  annotations: ParsedAnnotation[];
  summary: string;
  /** The `::group::` titles in order, to check progress is visible in the log. */
  groups: string[];
  failedMessage?: string;
}

/** Runs dist/<action>/index.js (or post.js) as a child process, the way the GitHub runner does. */
export async function runAction(
  action: string,
  opts: RunActionOptions = {},
  phase: 'main' | 'post' = 'main',
): Promise<ActionRun> {
  const file = path.join(repoRoot, 'dist', action, phase === 'main' ? 'index.js' : 'post.js');
  if (!existsSync(file)) throw new Error(`${file} does not exist: run npm run build`);
  return runScript(file, opts);
}

/** Runs any bundled action script (e.g. a fixture a test built) with the runner's environment. */
export async function runScript(file: string, opts: RunActionOptions = {}): Promise<ActionRun> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'runner-'));
  const files = {
    GITHUB_OUTPUT: path.join(tmp, 'output'),
    GITHUB_STEP_SUMMARY: path.join(tmp, 'summary'),
    GITHUB_STATE: path.join(tmp, 'state'),
    GITHUB_ENV: path.join(tmp, 'env'),
    GITHUB_PATH: path.join(tmp, 'path'),
    GITHUB_EVENT_PATH: path.join(tmp, 'event.json'),
  };
  for (const f of Object.values(files)) writeFileSync(f, '');
  writeFileSync(files.GITHUB_EVENT_PATH, JSON.stringify(opts.event ?? {}));
  const workspace = opts.workspace ?? tmp;

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmp,
    LANG: 'C.UTF-8',
    ...files,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: opts.eventName ?? 'workflow_dispatch',
    GITHUB_REPOSITORY: 'acme/app',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_RUN_ID: '1001',
    GITHUB_RUN_NUMBER: '7',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'test',
    GITHUB_SHA: '0000000000000000000000000000000000000000',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_TEMP: tmp,
    RUNNER_TOOL_CACHE: path.join(tmp, 'tool-cache'),
    ...opts.env,
  };
  for (const [k, v] of Object.entries(opts.inputs ?? {}))
    env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  for (const [k, v] of Object.entries(opts.state ?? {})) env[`STATE_${k}`] = v;

  const result = await new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    const child = spawn(node24, [file], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    opts.onSpawn?.(child);
  });

  const run: ActionRun = {
    ...result,
    outputs: parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    state: parseFileCommands(readFileSync(files.GITHUB_STATE, 'utf8')),
    annotations: parseAnnotations(result.stdout),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    groups: [...result.stdout.matchAll(/^::group::(.*)$/gm)].map((m) => m[1]),
  };
  run.failedMessage = run.annotations.find(
    (a) => a.level === 'error' && Object.keys(a.properties).length === 0,
  )?.message;
  rmSync(tmp, { recursive: true, force: true });
  return run;
}

/** Runs main, then post with the state main saved, as the runner does for actions with `post:`. */
export async function runActionWithPost(
  action: string,
  opts: RunActionOptions = {},
): Promise<{ main: ActionRun; post: ActionRun }> {
  const main = await runAction(action, opts, 'main');
  const post = await runAction(action, { ...opts, state: { ...main.state, ...opts.state } }, 'post');
  return { main, post };
}

/** Parses the `name<<delimiter\nvalue\ndelimiter` format of GITHUB_OUTPUT / GITHUB_STATE files. */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (m) {
      const [, name, delim] = m;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delim; i++) value.push(lines[i]);
      out[name] = value.join('\n');
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=');
      out[lines[i].slice(0, at)] = lines[i].slice(at + 1);
    }
  }
  return out;
}

function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function unescapeProperty(s: string): string {
  return s
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%');
}

/** Parses `::error file=a,line=3::message` workflow commands from stdout. */
export function parseAnnotations(stdout: string): ParsedAnnotation[] {
  const out: ParsedAnnotation[] = [];
  for (const m of stdout.matchAll(/^::(error|warning|notice|debug)( [^:]*)?::(.*)$/gm)) {
    const properties: Record<string, string> = {};
    for (const kv of (m[2] ?? '').trim().split(',').filter(Boolean)) {
      const at = kv.indexOf('=');
      properties[kv.slice(0, at)] = unescapeProperty(kv.slice(at + 1));
    }
    out.push({ level: m[1] as ParsedAnnotation['level'], message: unescapeData(m[3]), properties });
  }
  return out;
}
