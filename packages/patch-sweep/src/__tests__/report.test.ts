import { commitMessage, pullRequestBody, pullRequestTitle, updateRows } from '../report';

const updates = [
  { file: 'chart/values.yaml', line: 3, image: 'ghcr.io/acme/web', from: '2.1.0', to: '2.1.7' },
  { file: 'deploy/app.yaml', line: 12, image: 'ghcr.io/acme/web', from: '2.1.0', to: '2.1.7' },
  {
    file: 'deploy/a|b <x>.yaml',
    line: 9,
    image: 'nginx',
    from: '1.25.1-alpine',
    to: '1.25.5-alpine',
    digest: `sha256:${'ab'.repeat(32)}`,
  },
];

test('the table: image, from, to (with the pinned digest, shortened), file:line', () => {
  expect(updateRows(updates)).toEqual([
    ['ghcr.io/acme/web', '2.1.0', '2.1.7', 'chart/values.yaml:3'],
    ['ghcr.io/acme/web', '2.1.0', '2.1.7', 'deploy/app.yaml:12'],
    ['nginx', '1.25.1-alpine', '1.25.5-alpine@sha256:abababababab', 'deploy/a|b <x>.yaml:9'],
  ]);
});

test('the title counts images, not references', () => {
  expect(pullRequestTitle(updates)).toBe('Patch releases for 2 images');
  expect(pullRequestTitle(updates.slice(0, 1))).toBe('Patch releases for 1 image');
});

test('the body is a Markdown table whose cells cannot break it', () => {
  const body = pullRequestBody(updates);
  expect(body).toContain('| Image | From | To | File:line |\n| --- | --- | --- | --- |\n');
  expect(body).toContain(
    '| nginx | 1.25.1-alpine | 1.25.5-alpine@sha256:abababababab | deploy/a\\|b &lt;x&gt;.yaml:9 |',
  );
  expect(body.startsWith('<!-- upgrade-actions:patch-sweep -->\n')).toBe(true);
  expect(body).toContain('for 2 images in 3 references');
});

test('the commit message lists every bump', () => {
  expect(commitMessage(updates.slice(0, 2))).toBe(
    'Patch releases for 1 image\n\n- ghcr.io/acme/web 2.1.0 → 2.1.7 (chart/values.yaml:3)\n- ghcr.io/acme/web 2.1.0 → 2.1.7 (deploy/app.yaml:12)\n',
  );
});
