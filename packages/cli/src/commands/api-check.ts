import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from '@upgrade-actions/common';
import {
  apiCheck,
  defaultTable,
  exitCodeFor,
  findingMessage,
  formatMinor,
  httpClusterApi,
  plural,
  summaryLine,
  textTable,
  toJson,
  toSarif,
} from '@upgrade-actions/deprecations';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { VERSION } from '../version';

const usage = `upgrade-actions api-check [options] PATH...

Finds deprecated and removed Kubernetes API versions in manifests (files, directories, globs;
- for standard input, e.g. helm template … | upgrade-actions api-check -) or in a live cluster.

Options:
  --target-version X.Y         Kubernetes release to check against (default: the cluster's
                               version with --kubeconfig, else the newest known, ${defaultTable.latest.kubernetes})
  --latest-version X.Y         newest release for the N-2 policy warning (default: ${defaultTable.latest.kubernetes})
  --component-version C=X.Y    release of a CRD ecosystem (cert-manager, istio); repeatable
  --output table|json|sarif    what to print on standard output (default: table)
  --sarif-file FILE            also write a SARIF 2.1.0 file
  --kubeconfig FILE            read objects' last-applied configuration from this cluster
  --context NAME               kubeconfig context (default: current-context)

Exit codes: 0 nothing found, 2 deprecated APIs only, 3 removed APIs, 4 APIs not yet available
at the target (the highest applies), 1 error (a manifest that cannot be read: the others are
still checked and their findings printed).`;

export const apiCheckCommand: Command = {
  name: 'api-check',
  summary: 'Find deprecated and removed Kubernetes APIs in manifests or a cluster',
  usage,
  flags: {
    'target-version': '--target-version',
    'latest-version': '--latest-version',
    'sarif-file': '--sarif-file',
    kubeconfig: '--kubeconfig',
    context: '--context',
  },
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(
      {
        args: ctx.argv,
        allowPositionals: true,
        options: {
          'target-version': { type: 'string' },
          'latest-version': { type: 'string' },
          'component-version': { type: 'string', multiple: true },
          output: { type: 'string', short: 'o', default: 'table' },
          'sarif-file': { type: 'string' },
          kubeconfig: { type: 'string' },
          context: { type: 'string' },
        },
      },
      usage,
    );
    const output = values.output;
    if (output !== 'table' && output !== 'json' && output !== 'sarif')
      throw new ConfigurationError(
        `--output must be one of table, json, sarif, got ${JSON.stringify(output)}`,
      );
    const cluster = values.kubeconfig
      ? httpClusterApi(values.kubeconfig, values.context, ctx.cwd)
      : undefined;
    let result: Awaited<ReturnType<typeof apiCheck>>;
    try {
      result = await apiCheck({
        paths: positionals,
        cwd: ctx.cwd,
        stdin: () => readFileSync(0, 'utf8'),
        targetVersion: values['target-version'],
        latestVersion: values['latest-version'],
        componentVersions: values['component-version'],
        cluster,
        logger: ctx.logger,
        keepGoing: true,
        names: {
          targetVersion: '--target-version',
          latestVersion: '--latest-version',
          componentVersions: '--component-version',
          paths: 'PATH',
        },
      });
    } finally {
      cluster?.close();
    }
    // Unreadable manifests: one line each on stderr, then the findings of everything else.
    for (const e of result.errors) ctx.stderr(`error: ${e.message}\n`);
    const sarif = () =>
      JSON.stringify(
        toSarif(result.findings, defaultTable, { root: ctx.cwd, cwd: ctx.cwd, toolVersion: VERSION }),
        null,
        2,
      ) + '\n';
    if (values['sarif-file']) writeFileSync(path.resolve(ctx.cwd, values['sarif-file']), sarif());
    if (output === 'json' || output === 'sarif') {
      // Standard output is the document alone; the N-2 warning has nowhere else to go.
      for (const w of result.warnings) ctx.stderr(`warning: ${w}\n`);
      ctx.stdout(output === 'json' ? JSON.stringify(toJson(result.findings), null, 2) + '\n' : sarif());
    } else {
      const target = `Kubernetes ${formatMinor(result.target)}`;
      if (result.findings.length === 0)
        ctx.stdout(
          `No deprecated, removed or not yet available APIs at ${target} (${plural(result.objects, 'object')}).\n`,
        );
      else {
        ctx.stdout(textTable(result.findings) + '\n\n');
        for (const f of result.findings) ctx.logger.debug(findingMessage(f));
        ctx.stdout(`${summaryLine(result.findings, target, result.objects)}.\n`);
      }
      // The version policy belongs with the verdict it qualifies.
      for (const w of result.warnings) ctx.stdout(`warning: ${w}\n`);
    }
    if (result.errors.length) return 1;
    return exitCodeFor(result.findings);
  },
};
