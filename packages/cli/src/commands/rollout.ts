import { ConfigurationError, parseDuration } from '@upgrade-actions/common';
import {
  Discovery,
  followRolloutStatus,
  formatHistoryOutput,
  KubeApiError,
  KubeClient,
  loadClusterAccess,
  resolveWorkload,
  rolloutHistory,
  rolloutUndo,
} from '@upgrade-actions/kube';
import { parseCommandArgs } from '../args';
import type { Command, CommandContext } from '../command';

const USAGE = `upgrade-actions rollout status|history|undo (TYPE/NAME | TYPE NAME) [options]

Same output and exit codes as kubectl rollout. TYPE: deployment, statefulset or daemonset (any kubectl alias).

  -n, --namespace NS     namespace (default: the context's, else "default")
      --kubeconfig FILE  kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
      --context NAME     kubeconfig context (default: current-context)
  status:
      --revision N       pin to a revision; fail if another one is running
      --timeout D        give up after D (e.g. 90s, 5m); 0 waits forever
      --watch=false      print the current status once instead of waiting
  history:
      --revision N       show that revision's pod template
  undo:
      --to-revision N    roll back to revision N (default: the previous one)
      --dry-run MODE     none, client (print the template) or server`;

/** `upgrade-actions rollout ...`: kubectl rollout status/history/undo on our engine. */
export const rolloutCommand: Command = {
  name: 'rollout',
  summary: 'Show rollout status, history, or undo a rollout, exactly as kubectl rollout does',
  usage: USAGE,
  async run(ctx) {
    const argv = ctx.argv.map((a) =>
      a === '--watch=false' || a === '-w=false'
        ? '--no-watch'
        : a === '--watch=true' || a === '-w=true'
          ? '--watch'
          : a,
    );
    const { values, positionals } = parseCommandArgs(
      {
        args: argv,
        allowPositionals: true,
        options: {
          namespace: { type: 'string', short: 'n' },
          kubeconfig: { type: 'string' },
          context: { type: 'string' },
          revision: { type: 'string' },
          'to-revision': { type: 'string' },
          timeout: { type: 'string' },
          watch: { type: 'boolean', short: 'w' },
          'no-watch': { type: 'boolean' },
          'dry-run': { type: 'string' },
        },
      },
      USAGE,
    );
    const [sub, ...args] = positionals;
    if (!sub || !['status', 'history', 'undo'].includes(sub)) {
      throw new ConfigurationError(
        `rollout: expected a subcommand status, history or undo, got ${sub ? `"${sub}"` : 'none'}`,
      );
    }
    const ref = resourceArg(args);
    const revision = int(values.revision, 'revision');
    if (revision < 0) throw new Error(`revision must be a positive integer: ${revision}`);
    const toRevision = int(values['to-revision'], 'to-revision');
    const timeoutMs = values.timeout ? parseDuration(values.timeout, 'timeout') : 0;
    const dryRun = (values['dry-run'] ?? 'none') as 'none' | 'client' | 'server';
    if (!['none', 'client', 'server'].includes(dryRun)) {
      throw new ConfigurationError(
        `Invalid dry-run value (${dryRun}). Must be "none", "server", or "client".`,
      );
    }

    const access = loadClusterAccess({
      path: values.kubeconfig,
      context: values.context,
      env: ctx.env,
      inCluster: 'auto',
    });
    const client = new KubeClient(access);
    const namespace = values.namespace ?? access.namespace;
    try {
      const target = await resolveWorkload(client, new Discovery(client), { ...ref, namespace });
      if (sub === 'status') {
        await followRolloutStatus(client, target, {
          revision,
          timeoutMs,
          watch: !values['no-watch'],
          logger: ctx.logger,
          onMessage: (line) => ctx.stdout(line),
        });
      } else if (sub === 'history') {
        const text = await rolloutHistory(client, target, revision);
        ctx.stdout(formatHistoryOutput(target.displayName, text, revision));
      } else {
        const plan = await rolloutUndo(client, target, { toRevision, dryRun });
        const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
        ctx.stdout(`${target.displayName} ${plan.result}${suffix}\n`);
      }
      return 0;
    } catch (e) {
      return report(ctx, e);
    } finally {
      client.close();
    }
  },
};

/** kubectl prints API errors as `Error from server (...)` and everything else as `error: ...`, exit 1. */
function report(ctx: CommandContext, e: unknown): number {
  if (e instanceof KubeApiError) ctx.stderr(`${e.message}\n`);
  else ctx.stderr(`error: ${(e as Error).message}\n`);
  return 1;
}

function resourceArg(args: string[]): { type: string; name: string } {
  if (args.length === 0) throw new ConfigurationError('required resource not specified');
  if (args.length === 1) {
    const [type, name, extra] = args[0].split('/');
    if (!name || extra !== undefined) {
      throw new ConfigurationError(
        `rollout: "${args[0]}": give TYPE/NAME (e.g. deployment/web) or TYPE NAME`,
      );
    }
    return { type, name };
  }
  if (args.length === 2 && !args[0].includes('/')) return { type: args[0], name: args[1] };
  throw new ConfigurationError('rollout: give exactly one resource, as TYPE/NAME or TYPE NAME');
}

function int(v: string | undefined, flag: string): number {
  if (v === undefined) return 0;
  if (!/^-?\d+$/.test(v)) {
    throw new ConfigurationError(
      `invalid argument "${v}" for "--${flag}" flag: strconv.ParseInt: parsing "${v}": invalid syntax`,
    );
  }
  return Number(v);
}
