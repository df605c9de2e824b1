/** The seed's three levels of health check: basic (pods), service (HTTP), business (metrics). */
export type Level = 'basic' | 'service' | 'business';

/** `unreachable`: the probe could not observe the app (the API server answered in its place); never a rollback. */
export type HealthStatus = 'healthy' | 'unhealthy' | 'unreachable';

/** What one check saw at one moment. `ok: false` is a failed observation, not an exception. */
export interface CheckResult {
  ok: boolean;
  /** Milliseconds with two decimals, for checks that time something; null otherwise. */
  latency: number | null;
  /** What was observed (status code, query value, pod findings); goes into the report as is. */
  observations: Record<string, unknown>;
  /** Why the observation failed, one line; absent when ok. */
  error?: string;
  /**
   * The app was not observed at all: the API server (or its proxy) answered in the app's place. Such a
   * round counts neither as a pass nor as a failure: an API server's bad minute is no reason to roll back.
   */
  unreachable?: boolean;
}

/**
 * A check the probe can run each round. `target` is printable and never holds secrets.
 * `preflight` runs once before the first round: it throws ConfigurationError for what the user must
 * fix (a query Prometheus rejects, a Prometheus that cannot be reached) so that bad input fails early.
 */
export interface Check {
  name: string;
  level: Level;
  target: string;
  run(signal?: AbortSignal): Promise<CheckResult>;
  preflight?(signal?: AbortSignal): Promise<void>;
}
