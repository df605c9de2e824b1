import { wrapError } from '@upgrade-actions/common';
import { startLocalRegistry, type LocalRegistry } from '@upgrade-actions/registry';
import type { DemoContext } from './stage';

/**
 * Runs `f` against a real registry on loopback, stopped afterwards. When docker-registry is not installed
 * the stage ends with one ✗ line saying what to install (when it does not start, with its log under it):
 * the other stages still run.
 */
export async function withDemoRegistry(
  ctx: DemoContext,
  f: (registry: LocalRegistry) => Promise<boolean>,
): Promise<boolean> {
  let registry: LocalRegistry;
  try {
    registry = await startLocalRegistry();
  } catch (e) {
    // Not installed, or it would not start: the stage cannot run, the rest of the demo still can.
    const [first, ...log] = wrapError(e).message.split('\n');
    ctx.say(`✗ ${first}`);
    for (const line of log) ctx.say(`  ${line}`);
    return false;
  }
  ctx.say(`registry ${registry.url}: docker-registry (distribution 2.8) with its storage in a temp folder`);
  try {
    return await f(registry);
  } finally {
    await registry.stop();
  }
}

/** `sha256:0123456789ab…`: enough of a digest to tell them apart in the story. */
export const shortDigest = (d: string) => `${d.slice(0, 19)}…`;
