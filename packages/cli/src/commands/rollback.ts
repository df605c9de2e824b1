import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError, parseDuration } from '@upgrade-actions/common';
import { KubeClient, loadClusterAccess } from '@upgrade-actions/kube';
import { parseRelease } from '@upgrade-actions/release';
import {
  parseWorkloads,
  releaseTargets,
  rollback,
  rolledBackJson,
  runIdentity,
} from '@upgrade-actions/rollback';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';

const USAGE = `upgrade-actions rollback (--release FILE | TYPE/NAME ...) [options]

Rolls back each workload of a release (or the named ones) with kubectl rollout undo semantics, under
a Lease per workload, waits for the restored rollouts, verifies them and marks the failed revision.
A second run is a no-op. Prints the rolled-back workloads as JSON; exits 1 when one did not recover.

      --release FILE         the deploy step's release descriptor ('-': standard input)
  -n, --namespace NS         namespace of workloads named without one (default: the context's)
      --to-revision N        revision to restore (default: the one before the release / the previous)
      --reason TEXT          recorded in the failed-revision mark (default "rollback requested")
      --kubeconfig FILE      kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
      --context NAME         kubeconfig context
      --timeout D            limit for each restored rollout (default 5m; 0: none)
      --lock-timeout D       how long to wait for another run's Lease (default 2m)
      --no-wait              do not wait for the restored rollouts`;

export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'Roll back a release or workloads: undo, wait, verify, mark the failed revision (idempotent)',
  usage: USAGE,
  flags: {
    'to-revision': '--to-revision',
    namespace: '--namespace',
    kubeconfig: '--kubeconfig',
    context: '--context',
    release: '--release',
  },
  async run(ctx) {
    const { values: v, positionals } = parseCommandArgs(
      {
        args: ctx.argv,
        allowPositionals: true,
        options: {
          release: { type: 'string' },
          namespace: { type: 'string', short: 'n' },
          'to-revision': { type: 'string' },
          reason: { type: 'string' },
          kubeconfig: { type: 'string' },
          context: { type: 'string' },
          timeout: { type: 'string' },
          'lock-timeout': { type: 'string' },
          'no-wait': { type: 'boolean' },
        },
      },
      USAGE,
    );
    if (!v.release === (positionals.length === 0)) {
      throw new ConfigurationError('rollback: give --release FILE or workloads as TYPE/NAME, one of the two');
    }
    const toRevision = Number(v['to-revision'] ?? '0');
    if (!/^\d+$/.test(v['to-revision'] ?? '0')) {
      throw new ConfigurationError(`--to-revision: must be a whole number >= 0, got "${v['to-revision']}"`);
    }
    const release = v.release
      ? parseRelease(
          v.release === '-'
            ? readFileSync(0, 'utf8')
            : readFileSync(path.resolve(ctx.cwd, v.release), 'utf8'),
          `--release ${v.release}`,
        )
      : undefined;
    const access = loadClusterAccess({
      path: v.kubeconfig,
      context: v.context,
      env: ctx.env,
      inCluster: 'auto',
    });
    const targets = release
      ? releaseTargets(release)
      : parseWorkloads(positionals, v.namespace ?? access.namespace, 'rollback');
    const client = new KubeClient(access);
    try {
      const result = await rollback({
        client,
        targets,
        toRevision,
        reason: v.reason ?? 'rollback requested',
        identity: runIdentity(ctx.env),
        wait: !v['no-wait'],
        timeoutMs: parseDuration(v.timeout ?? '5m', 'timeout'),
        lockTimeoutMs: parseDuration(v['lock-timeout'] ?? '2m', 'lock-timeout'),
        logger: ctx.logger,
      });
      ctx.stdout(JSON.stringify(rolledBackJson(result)) + '\n');
      return result.outcomes.some((o) => o.action === 'failed') ? 1 : 0;
    } finally {
      client.close();
    }
  },
};
