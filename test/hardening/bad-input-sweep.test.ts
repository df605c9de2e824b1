/**
 * The bad-input sweep (issue #12): every input of every action, the root action (verify) included,
 * meets empty, mistyped, out-of-range and hostile values. Cases come from each action's zod input
 * definition, and each bundle runs as the runner runs it, with no cluster and no network (every
 * endpoint is a refused port). Asserted for each run: it exits on its own, prints no stack trace outside
 * `::debug::`, names in its `::error::` every input whose schema rejects the value, and nothing reaches
 * a shell (the marker file that `touch` would create never appears).
 *
 * To keep it to a few minutes on 2 cores, one process runs one case with that value in every input of
 * the action at once: input parsing reports every bad input together, so each input is still checked.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inputMeta, type ActionDefinition, type InputSchema } from '@upgrade-actions/toolkit';
import { runAction, repoRoot } from '../harness/run-action';

type AnyAction = ActionDefinition<Record<string, InputSchema<unknown>>, Record<string, string>>;

/**
 * Every action with a definition (actions/<name>/inputs.ts) and a bundle: a new action, or a new input,
 * is swept the day it lands. verify is the root action.yml.
 */
const ACTIONS: [string, AnyAction][] = await Promise.all(
  readdirSync(path.join(repoRoot, 'actions'))
    .filter(
      (n) =>
        existsSync(path.join(repoRoot, 'actions', n, 'inputs.ts')) &&
        existsSync(path.join(repoRoot, 'actions', n, 'main.ts')),
    )
    .sort()
    .map(async (n): Promise<[string, AnyAction]> => {
      const mod = (await import(path.join(repoRoot, 'actions', n, 'inputs.ts'))) as Record<string, unknown>;
      const def = Object.values(mod).find(
        (v) => typeof v === 'object' && v !== null && 'inputs' in v && 'outputs' in v,
      );
      if (!def) throw new Error(`actions/${n}/inputs.ts exports no action definition`);
      return [n, def as AnyAction];
    }),
);

test('the sweep covers every action', () => {
  expect(ACTIONS.map(([n]) => n)).toEqual(
    expect.arrayContaining(['api-check', 'build-matrix', 'canary', 'deploy', 'verify']),
  );
});

let work: string;
let marker: string;
let refused: number;

/** The values every input meets; `MARKER` becomes a path that only a shell would create. */
function cases(): [string, string][] {
  return [
    ['empty', ''],
    ['wrong type', 'not-a-number-or-bool'],
    ['out of range (negative)', '-1'],
    ['out of range (huge)', '99999999999999999999'],
    ['command substitution', `$(touch ${marker})`],
    ['backticks', `\`touch ${marker}\``],
    ['semicolon', `x; touch ${marker}`],
    ['leading --', `--output=${marker}`],
    ['newlines', `a\nb; touch ${marker}\n--c`],
    ['5,000 chars', 'x'.repeat(5000)],
    ['unicode', 'ünï—código 🚀\u202e'],
  ];
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'sweep-'));
  marker = path.join(work, 'PWNED');
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  refused = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Inputs whose schema rejects `value` (an empty value takes the default; a required one is missing). */
function rejecting(def: AnyAction, value: string): string[] {
  return Object.entries(def.inputs)
    .filter(([, schema]) => {
      const meta = inputMeta(schema);
      if (value.trim() === '') return meta.required === true;
      return !schema.safeParse(value.replace(/\r\n/g, '\n')).success;
    })
    .map(([name]) => name);
}

describe.each(ACTIONS)('%s under bad input', (action, def) => {
  test.each(cases())('%s in every input', async (_label, value) => {
    const inputs = Object.fromEntries(Object.keys(def.inputs).map((name) => [name, value]));
    const dir = mkdtempSync(path.join(work, `${action}-`));
    const r = await runAction(action, {
      inputs,
      workspace: dir,
      timeoutMs: 60_000,
      env: {
        // No cluster, no network: anything that tries to connect is refused at once.
        KUBECONFIG: path.join(dir, 'no-kubeconfig'),
        HTTPS_PROXY: `http://127.0.0.1:${refused}`,
        HTTP_PROXY: `http://127.0.0.1:${refused}`,
        https_proxy: `http://127.0.0.1:${refused}`,
        http_proxy: `http://127.0.0.1:${refused}`,
      },
    });
    // Exited on its own (the harness kills with SIGKILL only on its timeout).
    expect(r.signal).toBeNull();
    expect(r.code).not.toBeNull();
    // No stack frame anywhere but in ::debug:: lines (which carry their newlines escaped).
    const frames = (r.stdout + '\n' + r.stderr).split('\n').filter((l) => /^\s+at /.test(l));
    expect(frames).toEqual([]);
    // Every input that rejects the value is named in the failure.
    const bad = rejecting(def, value);
    if (bad.length) {
      expect(r.code).toBe(1);
      for (const name of bad)
        expect(r.failedMessage).toMatch(new RegExp(`(Input '${name}'|supplied: ${name}$)`, 'm'));
    }
    // Nothing went through a shell.
    expect(existsSync(marker)).toBe(false);
  });
});
