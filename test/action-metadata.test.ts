import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { inputMeta, type ActionDefinition, type InputSchema } from '@upgrade-actions/toolkit';
import { repoRoot } from './harness/run-action';

/**
 * Each action's zod definition (actions/<name>/inputs.ts) is the truth for its inputs and outputs;
 * the public metadata (<name>/action.yml, or the root action.yml for `verify`) must say exactly the same.
 */
const actionNames = readdirSync(path.join(repoRoot, 'actions')).filter((n) =>
  existsSync(path.join(repoRoot, 'actions', n, 'inputs.ts')),
);

function metadataFile(name: string): string {
  return name === 'verify' ? path.join(repoRoot, 'action.yml') : path.join(repoRoot, name, 'action.yml');
}

interface ActionYml {
  name: string;
  description: string;
  inputs?: Record<string, { description?: string; required?: boolean; default?: unknown }>;
  outputs?: Record<string, { description?: string }>;
  runs: { using: string; main: string; post?: string; 'post-if'?: string };
}

type AnyDefinition = ActionDefinition<Record<string, InputSchema<unknown>>, Record<string, string>>;

async function definitionOf(name: string): Promise<AnyDefinition> {
  const mod = (await import(path.join(repoRoot, 'actions', name, 'inputs.ts'))) as Record<string, unknown>;
  const def = Object.values(mod).find(
    (v) => typeof v === 'object' && v !== null && 'inputs' in v && 'outputs' in v,
  );
  if (!def) throw new Error(`actions/${name}/inputs.ts exports no action definition`);
  return def as AnyDefinition;
}

test('there is at least one action to check', () => {
  expect(actionNames.length).toBeGreaterThan(0);
});

describe.each(actionNames)('the %s action', (name) => {
  let yml: ActionYml;
  let def: AnyDefinition;
  beforeAll(async () => {
    yml = parse(readFileSync(metadataFile(name), 'utf8')) as ActionYml;
    def = await definitionOf(name);
  });

  test('action.yml declares exactly the inputs of its schema, with the same descriptions, defaults and required flags', () => {
    const declared = Object.entries(yml.inputs ?? {}).map(([k, v]) => ({
      name: k,
      description: v.description,
      required: v.required ?? false,
      default: v.default === undefined ? undefined : String(v.default),
    }));
    const fromSchema = Object.entries(def.inputs).map(([k, schema]) => {
      const m = inputMeta(schema);
      return { name: k, description: m.description, required: m.required ?? false, default: m.default };
    });
    expect(declared).toEqual(fromSchema);
  });

  test('action.yml declares exactly the outputs of its schema, with the same descriptions', () => {
    const declared = Object.fromEntries(
      Object.entries(yml.outputs ?? {}).map(([k, v]) => [k, v.description]),
    );
    expect(declared).toEqual(def.outputs);
  });

  test('runs on node24 from its committed bundle, with a post step exactly when it has post.ts', () => {
    expect(yml.runs.using).toBe('node24');
    const base = path.dirname(metadataFile(name));
    expect(path.resolve(base, yml.runs.main)).toBe(path.join(repoRoot, 'dist', name, 'index.js'));
    expect(existsSync(path.resolve(base, yml.runs.main))).toBe(true);
    const hasPost = existsSync(path.join(repoRoot, 'actions', name, 'post.ts'));
    expect(yml.runs.post === undefined ? undefined : path.resolve(base, yml.runs.post)).toBe(
      hasPost ? path.join(repoRoot, 'dist', name, 'post.js') : undefined,
    );
  });

  test('its name and description match the definition', () => {
    expect(yml.description).toBe(def.description);
  });
});
