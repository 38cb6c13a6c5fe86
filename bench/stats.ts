export type LatencySummary = { p50: number; p95: number; p99: number; max: number };

export type LoadResult = {
  requests: number;
  /** Non-2xx responses and socket errors. */
  errors: number;
  statusCounts: Record<string, number>;
  errorSamples: string[];
  durationMs: number;
  requestsPerSecond: number;
  latencyMs: LatencySummary;
  /** invoice-chain jobs: completed create+finalize pairs. */
  units?: number;
  unitsPerSecond?: number;
  unitLatencyMs?: LatencySummary;
};

const round = (value: number) => Math.round(value * 100) / 100;

/** Nearest-rank percentiles in milliseconds (zeros for an empty sample). */
export function summarize(samples: number[]): LatencySummary {
  if (samples.length === 0) return { p50: 0, p95: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(samples).sort();
  const at = (quantile: number) => round(sorted[Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)]!);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: round(sorted[sorted.length - 1]!) };
}
