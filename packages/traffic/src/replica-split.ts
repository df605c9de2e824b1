/**
 * How the `replicas` router turns a weight into pods: with no traffic router in front, kube-proxy spreads
 * connections evenly over the Ready pods a Service selects, so the canary's share of traffic is its share
 * of the pods. Out of `total` pods (the stable workload's replicas before the canary started):
 *
 *   canary = round(total × weight / 100), half up; at least 1 when weight > 0 and at most total − 1 when
 *   weight < 100 (so 1% still runs one canary pod, and 99% still keeps one stable pod); stable = total − canary.
 *
 * The precision is 100/total percentage points: 10 replicas give 10% steps, 3 give 33%; the effective
 * weight is reported beside the one asked for. A total of 1 cannot split: weight 0 → 1 stable, anything
 * above → 1 canary and 0 stable only at 100, otherwise 1 canary beside 1 stable (2 pods, 50%).
 */
export interface ReplicaSplit {
  stable: number;
  canary: number;
  /** The share of Ready pods the canary gets: canary / (stable + canary) × 100. */
  effectiveWeight: number;
}

export function replicaSplit(total: number, weight: number): ReplicaSplit {
  const n = Math.max(1, Math.floor(total));
  let canary: number;
  let stable: number;
  if (weight <= 0) [canary, stable] = [0, n];
  else if (weight >= 100) [canary, stable] = [n, 0];
  else if (n === 1) [canary, stable] = [1, 1];
  else {
    canary = Math.min(n - 1, Math.max(1, Math.floor((n * weight) / 100 + 0.5)));
    stable = n - canary;
  }
  return { stable, canary, effectiveWeight: Math.round((canary / (stable + canary)) * 10000) / 100 };
}
