// How long simulated work takes: `fast` for tests and benchmarks, `realistic` to feel like a small real cluster.

export interface SpeedProfile {
  /** Image pull time range, ms. */
  pullMs: readonly [number, number];
  /** Container create + start time range, ms. */
  startMs: readonly [number, number];
  /** Factor on back-offs (image pull, crash loop) and on how long finite commands run. */
  timeScale: number;
  /** Longest a terminating pod stays Terminating, ms (its grace period caps it too). */
  terminationCapMs: number;
}

export const SPEEDS = {
  fast: { pullMs: [0, 0], startMs: [0, 0], timeScale: 0.05, terminationCapMs: 100 },
  realistic: { pullMs: [1000, 3000], startMs: [100, 400], timeScale: 1, terminationCapMs: 30_000 },
} as const satisfies Record<string, SpeedProfile>;

export type Speed = keyof typeof SPEEDS;

export function within(range: readonly [number, number], random: () => number): number {
  return range[0] + (range[1] - range[0]) * random();
}
