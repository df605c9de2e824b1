import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/action-parser';
import { repoRoot } from './harness/run-action';

/**
 * The workflows in .github/workflows run only on GitHub (kind on real runners, check-dist), so
 * GitHub's own parser checks them here: a typo would otherwise surface only after a push.
 */
const workflowDir = path.join(repoRoot, '.github', 'workflows');
const exampleDir = path.join(repoRoot, 'examples', 'workflows');
const workflows = [
  ...readdirSync(workflowDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => path.join(workflowDir, f)),
  // The sample workflows the docs show: users copy them, so GitHub's parser checks them too.
  ...(existsSync(exampleDir)
    ? readdirSync(exampleDir)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => path.join(exampleDir, f))
    : []),
].map((f) => path.relative(repoRoot, f));

const actionFiles = [
  'action.yml',
  ...readdirSync(repoRoot, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && d.name !== 'node_modules')
    .map((d) => path.join(d.name, 'action.yml')),
].filter((f) => existsSync(path.join(repoRoot, f)));

test.each(workflows)('workflow %s parses without errors under GitHub’s workflow schema', (file) => {
  const content = readFileSync(path.join(repoRoot, file), 'utf8');
  const result = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
  expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
  expect(result.value).toBeDefined();
});

test.each(actionFiles)('%s parses without errors under GitHub’s action schema', (file) => {
  const content = readFileSync(path.join(repoRoot, file), 'utf8');
  const result = parseAction({ name: file, content }, new NoOperationTraceWriter());
  expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
});

test('the check is not vacuous: a workflow with a misspelt key is reported', () => {
  const content = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz:\n      - run: echo hi\n';
  const result = parseWorkflow({ name: 'bad.yml', content }, new NoOperationTraceWriter());
  expect(result.context.errors.getErrors().length).toBeGreaterThan(0);
});
