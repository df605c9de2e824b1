import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseDuration } from '@upgrade-actions/common';
import { deploy, parseImageOverrides } from '@upgrade-actions/deploy';
import { KubeClient, loadClusterAccess, loadManifests } from '@upgrade-actions/kube';
import { serializeRelease } from '@upgrade-actions/release';
import { runIdentity } from '@upgrade-actions/rollback';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';

const USAGE = `upgrade-actions deploy -f PATH [-f PATH ...] [options]

Checks everything first (image overrides and policy, API check at the cluster's version, server dry
run, failed-revision marks), applies in dependency order, follows every rollout with kubectl's
messages, and prints the release descriptor (JSON) on standard output. A failed rollout rolls the
release back and exits 1.

  -f, --filename PATH        manifest file, directory or glob (repeatable)
  -n, --namespace NS         namespace for objects that name none (default: the context's)
      --image NAME=REF       image override (repeatable), e.g. ghcr.io/acme/web=ghcr.io/acme/web@sha256:...
      --kubeconfig FILE      kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
      --context NAME         kubeconfig context
      --change-cause TEXT    recorded as kubernetes.io/change-cause
      --timeout D            limit for all rollouts together (default 5m; 0: none)
      --no-wait              do not follow the rollouts
      --client-side          kubectl client-side apply instead of server-side apply
      --field-manager NAME   default upgrade-actions
      --no-api-check         skip the API check preflight
      --no-rollback          do not roll back when a rollout fails
      --allow-latest         allow images tagged latest
      --require-digest       refuse images without a digest
      --allow-failed-revision  deploy a template a rollback marked failed
      --release-file FILE    write the release descriptor there instead of standard output`;

export const deployCommand: Command = {
  name: 'deploy',
  summary: 'Apply manifests, follow the rollouts, print the release descriptor; roll back on failure',
  usage: USAGE,
  flags: {
    'allow-failed-revision': '--allow-failed-revision',
    manifests: '--filename',
    images: '--image',
    namespace: '--namespace',
    timeout: '--timeout',
    'field-manager': '--field-manager',
    kubeconfig: '--kubeconfig',
    context: '--context',
  },
  async run(ctx) {
    const { values: v } = parseCommandArgs(
      {
        args: ctx.argv,
        options: {
          filename: { type: 'string', short: 'f', multiple: true },
          namespace: { type: 'string', short: 'n' },
          image: { type: 'string', multiple: true },
          kubeconfig: { type: 'string' },
          context: { type: 'string' },
          'change-cause': { type: 'string' },
          timeout: { type: 'string' },
          'no-wait': { type: 'boolean' },
          'client-side': { type: 'boolean' },
          'field-manager': { type: 'string' },
          'no-api-check': { type: 'boolean' },
          'no-rollback': { type: 'boolean' },
          'allow-latest': { type: 'boolean' },
          'require-digest': { type: 'boolean' },
          'allow-failed-revision': { type: 'boolean' },
          'release-file': { type: 'string' },
        },
      },
      USAGE,
    );
    const overrides = parseImageOverrides((v.image ?? []).join('\n'), '--image');
    const manifests = loadManifests(v.filename ?? [], { cwd: ctx.cwd });
    const timeoutMs = parseDuration(v.timeout ?? '5m', 'timeout');
    const access = loadClusterAccess({
      path: v.kubeconfig,
      context: v.context,
      env: ctx.env,
      inCluster: 'auto',
    });
    const client = new KubeClient(access);
    try {
      const r = await deploy({
        client,
        access,
        manifests,
        namespace: v.namespace ?? access.namespace,
        overrides,
        changeCause: v['change-cause'],
        fieldManager: v['field-manager'] ?? 'upgrade-actions',
        serverSide: !v['client-side'],
        kubectl: { kubeconfig: v.kubeconfig, context: v.context },
        wait: !v['no-wait'],
        timeoutMs,
        apiCheck: !v['no-api-check'],
        policy: { forbidLatest: !v['allow-latest'], requireDigest: !!v['require-digest'] },
        allowFailedRevision: !!v['allow-failed-revision'],
        rollbackOnFailure: !v['no-rollback'],
        identity: runIdentity(ctx.env),
        logger: ctx.logger,
      });
      for (const w of r.warnings) ctx.logger.warning(w);
      const json = serializeRelease(r.release);
      if (v['release-file']) writeFileSync(path.resolve(ctx.cwd, v['release-file']), json + '\n');
      else ctx.stdout(json + '\n');
      // A failed rollout and the rollback that followed were logged when they happened, once each.
      return r.failures.length ? 1 : 0;
    } finally {
      client.close();
    }
  },
};
