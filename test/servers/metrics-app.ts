import http from 'node:http';
import { close, listen } from './listen';

/** What the simulated service is doing now; the test changes it at will. */
export interface Behaviour {
  /** Requests per second. */
  rps: number;
  /** Share of requests answered 5xx, 0..1. */
  errorRate: number;
  /** How long every request takes, seconds. */
  latency: number;
  /** Share of key business transactions that succeed, 0..1. */
  transactionSuccess: number;
  /** CPU the container uses, cores (cAdvisor's counter grows by this much per second). */
  cpu: number;
  /** The container's CPU limit, cores (kube-state-metrics' gauge). */
  cpuLimit: number;
}

export interface MetricsApp {
  url: string;
  /** host:port, for a Prometheus scrape target. */
  address: string;
  set(b: Partial<Behaviour>): void;
  stop(): Promise<void>;
}

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.8, 1, 2.5, 5, 10];

/**
 * A service exposing Prometheus text format (/metrics) with the metric names the presets use:
 * http_requests_total{code}, the http_request_duration_seconds histogram and
 * business_transactions_total{outcome}. Traffic is simulated: each scrape advances counters by
 * elapsed time × the current behaviour, so rates follow `set()` exactly.
 */
export async function startMetricsApp(initial: Partial<Behaviour> = {}): Promise<MetricsApp> {
  let b: Behaviour = {
    rps: 100,
    errorRate: 0,
    latency: 0.05,
    transactionSuccess: 1,
    cpu: 0.1,
    cpuLimit: 0.5,
    ...initial,
  };
  let last = Date.now();
  const c = { ok: 0, err: 0, sum: 0, count: 0, buckets: BUCKETS.map(() => 0), txOk: 0, txFail: 0, cpu: 0 };

  const advance = () => {
    const now = Date.now();
    const elapsed = (now - last) / 1000;
    const n = b.rps * elapsed;
    last = now;
    c.cpu += b.cpu * elapsed;
    c.err += n * b.errorRate;
    c.ok += n * (1 - b.errorRate);
    c.count += n;
    c.sum += n * b.latency;
    BUCKETS.forEach((le, i) => {
      if (b.latency <= le) c.buckets[i] += n;
    });
    const tx = n / 10;
    c.txOk += tx * b.transactionSuccess;
    c.txFail += tx * (1 - b.transactionSuccess);
  };

  const server = http.createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    advance();
    const lines = [
      '# HELP http_requests_total Requests served.',
      '# TYPE http_requests_total counter',
      `http_requests_total{code="200"} ${c.ok}`,
      `http_requests_total{code="500"} ${c.err}`,
      '# HELP http_request_duration_seconds Request latency.',
      '# TYPE http_request_duration_seconds histogram',
      ...BUCKETS.map((le, i) => `http_request_duration_seconds_bucket{le="${le}"} ${c.buckets[i]}`),
      `http_request_duration_seconds_bucket{le="+Inf"} ${c.count}`,
      `http_request_duration_seconds_sum ${c.sum}`,
      `http_request_duration_seconds_count ${c.count}`,
      '# HELP business_transactions_total Key business transactions.',
      '# TYPE business_transactions_total counter',
      `business_transactions_total{outcome="success"} ${c.txOk}`,
      `business_transactions_total{outcome="failure"} ${c.txFail}`,
      '# HELP container_cpu_usage_seconds_total CPU used (as cAdvisor reports it).',
      '# TYPE container_cpu_usage_seconds_total counter',
      `container_cpu_usage_seconds_total{pod="web-1",container="app"} ${c.cpu}`,
      '# HELP kube_pod_container_resource_limits Limits (as kube-state-metrics reports them).',
      '# TYPE kube_pod_container_resource_limits gauge',
      `kube_pod_container_resource_limits{pod="web-1",container="app",resource="cpu",unit="core"} ${b.cpuLimit}`,
      '',
    ];
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(lines.join('\n'));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    address: `127.0.0.1:${port}`,
    set(next) {
      advance();
      b = { ...b, ...next };
    },
    stop: () => close(server),
  };
}
