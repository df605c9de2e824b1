import { ConfigurationError } from '@upgrade-actions/common';

/** What to merge, and the pull request to comment on when there is one. */
export interface MergeTarget {
  base: string;
  head: string;
  pullRequest?: { owner: string; repo: string; number: number; title: string };
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Base and head from the inputs, else from the event: `pull_request` and `pull_request_target` carry
 * `pull_request.base.sha` / `head.sha`, `merge_group` carries `merge_group.base_sha` / `head_sha`.
 * Other events (push, workflow_dispatch) need both inputs. Pure: the event is data.
 */
export function resolveTarget(
  inputs: { base: string; head: string },
  event: Json,
  eventName: string,
  repository = '',
): MergeTarget {
  let base = inputs.base.trim();
  let head = inputs.head.trim();
  let pullRequest: MergeTarget['pullRequest'];
  const [owner, repo] = (str(obj(event.repository).full_name) || repository).split('/');

  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const pr = obj(event.pull_request);
    base ||= str(obj(pr.base).sha);
    head ||= str(obj(pr.head).sha);
    if (typeof pr.number === 'number' && owner && repo)
      pullRequest = { owner, repo, number: pr.number, title: str(pr.title) };
  } else if (eventName === 'merge_group') {
    const mg = obj(event.merge_group);
    base ||= str(mg.base_sha);
    head ||= str(mg.head_sha);
  }
  const missing = [!base && 'base', !head && 'head'].filter(Boolean) as string[];
  if (missing.length)
    throw new ConfigurationError(
      `${missing.join(' and ')}: required when the event (${eventName || 'none'}) is not a pull_request, ` +
        'pull_request_target or merge_group carrying them; give a branch, tag or commit SHA',
    );
  return { base, head, pullRequest };
}
