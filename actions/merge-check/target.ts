import { ConfigurationError } from '@upgrade-actions/common';

/** What to merge, and the pull request to comment on when there is one. */
export interface MergeTarget {
  base: string;
  head: string;
  /** How messages name base and head: the event's branch names when the SHAs came from it, else as given. */
  baseName: string;
  headName: string;
  pullRequest?: { owner: string; repo: string; number: number; title: string };
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** `refs/heads/main` → `main`: the branch name people know. */
const branch = (ref: string): string => ref.replace(/^refs\/heads\//, '');

/**
 * Base and head from the inputs, else from the event: `pull_request` and `pull_request_target` carry
 * `pull_request.base.sha` / `head.sha`, `merge_group` carries `merge_group.base_sha` / `head_sha`.
 * Other events (push, workflow_dispatch) need both inputs. What comes from the event is merged by
 * SHA (the commit the event saw) and named by its branch (`base.ref`, `head.ref`; `base_ref`,
 * `head_ref`) in messages. Pure: the event is data.
 */
export function resolveTarget(
  inputs: { base: string; head: string },
  event: Json,
  eventName: string,
  repository = '',
): MergeTarget {
  let base = inputs.base.trim();
  let head = inputs.head.trim();
  let baseName = base;
  let headName = head;
  let pullRequest: MergeTarget['pullRequest'];
  const [owner, repo] = (str(obj(event.repository).full_name) || repository).split('/');

  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const pr = obj(event.pull_request);
    if (!base) [base, baseName] = [str(obj(pr.base).sha), branch(str(obj(pr.base).ref))];
    if (!head) [head, headName] = [str(obj(pr.head).sha), branch(str(obj(pr.head).ref))];
    if (typeof pr.number === 'number' && owner && repo)
      pullRequest = { owner, repo, number: pr.number, title: str(pr.title) };
  } else if (eventName === 'merge_group') {
    const mg = obj(event.merge_group);
    if (!base) [base, baseName] = [str(mg.base_sha), branch(str(mg.base_ref))];
    if (!head) [head, headName] = [str(mg.head_sha), branch(str(mg.head_ref))];
  }
  const missing = [!base && 'base', !head && 'head'].filter(Boolean) as string[];
  if (missing.length)
    throw new ConfigurationError(
      `${missing.join(' and ')}: required when the event (${eventName || 'none'}) is not a pull_request, ` +
        'pull_request_target or merge_group carrying them; give a branch, tag or commit SHA',
    );
  // An event without branch names (or an odd one) is named by its SHA, as before.
  return { base, head, baseName: baseName || base, headName: headName || head, pullRequest };
}
