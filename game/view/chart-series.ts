/** Fleets alive and ships flying over the round's time, one sample per tick, bounded in length. */
export interface ChartSample {
  t: number;
  fleetsAlive: number;
  shipsFlying: number;
}

export function addSample(series: ChartSample[], sample: ChartSample, max = 600): ChartSample[] {
  const next = [...series, sample];
  return next.length > max ? next.slice(next.length - max) : next;
}

/** Maps samples to canvas points for one value, scaled to the series' own maximum. */
export function chartPoints(
  series: ChartSample[],
  value: (s: ChartSample) => number,
  width: number,
  height: number,
): { x: number; y: number }[] {
  if (series.length === 0) return [];
  const t0 = series[0]!.t;
  const span = Math.max(1, series[series.length - 1]!.t - t0);
  const top = Math.max(1, ...series.map(value));
  return series.map((s) => ({ x: ((s.t - t0) / span) * width, y: height - (value(s) / top) * height }));
}
