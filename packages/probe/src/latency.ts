/** Rounds milliseconds to two decimals, the seed's latency precision. */
export function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** A monotonic stopwatch: immune to wall-clock jumps, precise below a millisecond. */
export function stopwatch(): () => number {
  const start = process.hrtime.bigint();
  return () => roundMs(Number(process.hrtime.bigint() - start) / 1e6);
}
