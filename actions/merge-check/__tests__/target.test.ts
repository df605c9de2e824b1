import { ConfigurationError } from '@upgrade-actions/common';
import { resolveTarget } from '../target';

const B = 'b'.repeat(40);
const H = 'h'.repeat(40).replace(/h/g, 'c');
const prEvent = {
  repository: { full_name: 'acme/app' },
  pull_request: {
    number: 7,
    title: 'Bump app to 1.2 $(rm -rf /)',
    base: { sha: B, ref: 'main' },
    head: { sha: H, ref: 'upgrade/app-1.2' },
  },
};

describe('what to merge', () => {
  test.each([
    [
      'pull_request',
      prEvent,
      { base: '', head: '' },
      { base: B, head: H, baseName: 'main', headName: 'upgrade/app-1.2' },
    ],
    [
      'pull_request_target',
      prEvent,
      { base: '', head: '' },
      { base: B, head: H, baseName: 'main', headName: 'upgrade/app-1.2' },
    ],
    [
      'pull_request',
      prEvent,
      { base: 'release/1.x', head: '' },
      { base: 'release/1.x', head: H, baseName: 'release/1.x', headName: 'upgrade/app-1.2' },
    ],
    [
      'pull_request',
      prEvent,
      { base: '', head: ' feature ' },
      { base: B, head: 'feature', baseName: 'main', headName: 'feature' },
    ],
    [
      'pull_request without branch names',
      { pull_request: { number: 7, base: { sha: B }, head: { sha: H } } },
      { base: '', head: '' },
      { base: B, head: H, baseName: B, headName: H },
    ],
    [
      'merge_group',
      {
        merge_group: {
          base_sha: B,
          head_sha: H,
          base_ref: 'refs/heads/main',
          head_ref: 'refs/heads/gh-readonly-queue/main/pr-7-' + B,
        },
      },
      { base: '', head: '' },
      { base: B, head: H, baseName: 'main', headName: 'gh-readonly-queue/main/pr-7-' + B },
    ],
    [
      'push',
      {},
      { base: 'main', head: 'HEAD' },
      { base: 'main', head: 'HEAD', baseName: 'main', headName: 'HEAD' },
    ],
    ['workflow_dispatch', {}, { base: 'main', head: 'feature' }, { base: 'main', head: 'feature' }],
  ])('a %s event with inputs %j merges %j', (name, event, inputs, want) => {
    expect(resolveTarget(inputs, event, name.replace(/ .*/, ''))).toMatchObject(want);
  });

  test('a pull request event names the pull request to comment on, with its title as data', () => {
    expect(resolveTarget({ base: '', head: '' }, prEvent, 'pull_request').pullRequest).toEqual({
      owner: 'acme',
      repo: 'app',
      number: 7,
      title: 'Bump app to 1.2 $(rm -rf /)',
    });
  });

  test('the repository falls back to GITHUB_REPOSITORY when the payload lacks it', () => {
    const { repository: _r, ...event } = prEvent;
    expect(resolveTarget({ base: '', head: '' }, event, 'pull_request', 'o/r').pullRequest).toMatchObject({
      owner: 'o',
      repo: 'r',
    });
  });

  test('a merge group has no pull request to comment on', () => {
    expect(
      resolveTarget({ base: '', head: '' }, { merge_group: { base_sha: B, head_sha: H } }, 'merge_group')
        .pullRequest,
    ).toBeUndefined();
  });

  test.each([
    [
      'push',
      {},
      { base: '', head: '' },
      /^base and head: required when the event \(push\) is not a pull_request/,
    ],
    ['push', {}, { base: 'main', head: '' }, /^head: required when the event \(push\)/],
    ['pull_request', { pull_request: { base: {} } }, { base: '', head: '' }, /^base and head: required/],
    ['', {}, { base: '', head: 'x' }, /^base: required when the event \(none\)/],
  ])('a %s event without %j is a configuration error', (name, event, inputs, message) => {
    expect(() => resolveTarget(inputs, event, name)).toThrow(ConfigurationError);
    expect(() => resolveTarget(inputs, event, name)).toThrow(message);
  });
});
