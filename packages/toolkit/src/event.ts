import { readFileSync } from 'node:fs';

/** The webhook payload of the event that started the workflow (GITHUB_EVENT_PATH), or {} when absent. */
export function readEvent(env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const p = env.GITHUB_EVENT_PATH;
  if (!p) return {};
  try {
    return JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export function eventName(env: NodeJS.ProcessEnv = process.env): string {
  return env.GITHUB_EVENT_NAME ?? '';
}
