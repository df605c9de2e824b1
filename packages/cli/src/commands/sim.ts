import { existsSync, statSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError } from '@upgrade-actions/common';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { parseScenarioFile } from '../sim/scenario-file';

const usage = `upgrade-actions sim --kubeconfig PATH [options]

Starts the embedded Kubernetes simulator (an API server with the Deployment, ReplicaSet, StatefulSet,
DaemonSet and Job controllers, a scheduler and a kubelet), writes a kubeconfig for it to PATH, prints one
line with the server URL once it is ready, and runs until interrupted (Ctrl-C or SIGTERM), then removes
the kubeconfig it wrote. kubectl and every action work against it. See docs/kube-sim.md.

Options:
  --kubeconfig PATH   where to write the kubeconfig (required; an existing file is not overwritten)
  --scenario FILE     YAML: image patterns → pod behaviour (ready, startDelayMs, crashAfterMs, oomAfterMs,
                      pullError, completeAfterMs, exitCode, backend, stopDelayMs, logs)
  --speed N           simulated seconds per real second (default 1; e.g. 20 makes a 10-minute progress
                      deadline pass in 30 s)
  --namespace NS      the namespace of the kubeconfig's context (default "default")
  --nodes N           simulated nodes, all Ready (default 3)

Exit codes: 0 stopped by a signal, 1 an error (bad option, bad scenario, the kubeconfig file exists).`;

function positiveNumber(flag: string, raw: string | undefined, fallback: number, integer: boolean): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  const ok = raw.trim() !== '' && Number.isFinite(n) && (integer ? Number.isInteger(n) && n >= 0 : n > 0);
  if (!ok) {
    throw new ConfigurationError(
      `${flag}: "${raw}" is not ${integer ? 'a whole number >= 0' : 'a number > 0'}\n\n${usage}`,
    );
  }
  return n;
}

/** The kubeconfig goes to a new file in an existing folder: a user's real kubeconfig is never overwritten. */
function checkKubeconfigPath(file: string, given: string): void {
  if (existsSync(file)) {
    throw new ConfigurationError(
      `--kubeconfig: ${given} already exists; give a new path (the simulator never overwrites a kubeconfig)`,
    );
  }
  const dir = path.dirname(file);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ConfigurationError(`--kubeconfig: the folder of ${given} does not exist`);
  }
}

export const simCommand: Command = {
  name: 'sim',
  summary: 'Start the Kubernetes simulator as a cluster kubectl and the actions can use',
  usage,
  handlesSignals: true,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(
      {
        args: ctx.argv,
        allowPositionals: false,
        options: {
          kubeconfig: { type: 'string' },
          scenario: { type: 'string' },
          speed: { type: 'string' },
          namespace: { type: 'string' },
          nodes: { type: 'string' },
        },
      },
      usage,
    );
    void positionals;
    if (!values.kubeconfig) throw new ConfigurationError(`--kubeconfig: give the path to write\n\n${usage}`);
    const kubeconfigPath = path.resolve(ctx.cwd, values.kubeconfig);
    const speed = positiveNumber('--speed', values.speed, 1, false);
    const nodes = positiveNumber('--nodes', values.nodes, 3, true);
    const namespace = values.namespace ?? 'default';
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) {
      throw new ConfigurationError(
        `--namespace: "${namespace}" is not a valid namespace name (DNS-1123 label)`,
      );
    }
    // Everything the user gave is checked before anything starts or is written.
    let scenario = {};
    if (values.scenario) {
      const file = path.resolve(ctx.cwd, values.scenario);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        throw new ConfigurationError(`--scenario: cannot read ${values.scenario}: ${(e as Error).message}`);
      }
      scenario = parseScenarioFile(text, values.scenario);
    }
    checkKubeconfigPath(kubeconfigPath, values.kubeconfig);
    const { startKubeSim } = await import('@upgrade-actions/kube-sim');
    const sim = await startKubeSim({ speed, nodes, namespace, kubeconfigPath, controllers: { scenario } });
    ctx.stdout(`kube-sim ready at ${sim.url} (kubeconfig ${values.kubeconfig}, clock ×${speed})\n`);
    ctx.logger.info('press Ctrl-C to stop');
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      const stop = (s: NodeJS.Signals) => resolve(s);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    ctx.logger.info(`${signal}: stopping the simulator`);
    await sim.stop();
    await rm(kubeconfigPath, { force: true });
    return 0;
  },
};
