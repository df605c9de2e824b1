import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './harness/run-action';

// "Every action page current": each action's page names every input and output its action.yml declares,
// so an input added without its documentation fails here rather than surprising a user.
// The root action.yml is the verify action (`uses: org/upgrade-actions@v1`); the others live in <name>/.
const actions = [
  'verify',
  ...readdirSync(path.join(repoRoot, 'actions'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(repoRoot, d.name, 'action.yml')))
    .map((d) => d.name),
];
const actionFile = (name: string) => path.join(repoRoot, name === 'verify' ? '' : name, 'action.yml');

test('there is an action page for every action', () => {
  expect(actions.length).toBe(readdirSync(path.join(repoRoot, 'actions')).length);
  for (const name of actions)
    expect({ name, page: existsSync(path.join(repoRoot, 'docs', `${name}.md`)) }).toEqual({
      name,
      page: true,
    });
});

describe.each(actions)('docs/%s.md', (name) => {
  const action = parse(readFileSync(actionFile(name), 'utf8'));
  const page = existsSync(path.join(repoRoot, 'docs', `${name}.md`))
    ? readFileSync(path.join(repoRoot, 'docs', `${name}.md`), 'utf8')
    : '';
  const named = (key: string) => page.includes(`\`${key}\``);

  test('names every input and output of action.yml', () => {
    const missing = [
      ...Object.keys(action.inputs ?? {})
        .filter((k) => !named(k))
        .map((k) => `input ${k}`),
      ...Object.keys(action.outputs ?? {})
        .filter((k) => !named(k))
        .map((k) => `output ${k}`),
    ];
    expect({ name, missing }).toEqual({ name, missing: [] });
  });

  test('its examples use the action by its published name', () => {
    for (const m of page.matchAll(/uses: org\/upgrade-actions\/([a-z-]+)@/g))
      expect(existsSync(path.join(repoRoot, m[1], 'action.yml'))).toBe(true);
  });
});
