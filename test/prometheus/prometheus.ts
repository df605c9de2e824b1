import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, stopProcess } from '@upgrade-actions/common';

/** Debian's prometheus package installs the server here (scripts/install-system-deps.sh installs it). */
export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

export interface RunningPrometheus {
  url: string;
  /** Resolves once a query sees `min` samples of `up` for the job (rate() needs two). */
  waitForSamples(job: string, min?: number, timeoutMs?: number): Promise<void>;
  log(): string;
  stop(): Promise<void>;
}

async function until<T>(
  what: string,
  timeoutMs: number,
  f: () => Promise<T | undefined>,
  log: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await f();
      if (v !== undefined) return v;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline)
      throw new Error(`prometheus: ${what} not reached in ${timeoutMs} ms\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts a real Prometheus on 127.0.0.1 with a temp config and data dir, scraping each target
 * every second (evaluation every second too, so subqueries have 1 s resolution). Targets get
 * the labels given (e.g. a namespace) as a Kubernetes service discovery would add them.
 */
export async function startPrometheus(
  scrape: Array<{ job: string; address: string; labels?: Record<string, string> }>,
): Promise<RunningPrometheus> {
  if (!existsSync(PROMETHEUS_BIN)) {
    throw new Error(
      `${PROMETHEUS_BIN} is missing: run scripts/install-system-deps.sh (Debian package prometheus)`,
    );
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'prometheus-'));
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    ...scrape.flatMap((s) => [
      `  - job_name: ${JSON.stringify(s.job)}`,
      '    static_configs:',
      `      - targets: [${JSON.stringify(s.address)}]`,
      ...(s.labels ? [`        labels: ${JSON.stringify(s.labels)}`] : []),
    ]),
    '',
  ].join('\n');
  writeFileSync(path.join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString('utf8')).slice(-20_000);
  });
  const url = `http://127.0.0.1:${port}`;
  const log = () => stderr;

  const stop = async () => {
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await until(
      'readiness',
      30_000,
      async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined),
      log,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    url,
    log,
    stop,
    async waitForSamples(job, min = 2, timeoutMs = 30_000) {
      const q = `count_over_time(up{job=${JSON.stringify(job)}}[1h])`;
      await until(
        `${min} samples of job ${job}`,
        timeoutMs,
        async () => {
          const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(q)}`);
          const body = (await res.json()) as { data: { result: Array<{ value: [number, string] }> } };
          const n = Number(body.data.result[0]?.value[1] ?? 0);
          return n >= min ? true : undefined;
        },
        log,
      );
    },
  };
}
