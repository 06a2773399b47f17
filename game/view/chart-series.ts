import type { RoundInfo } from '../store/protocol-types.ts';

/** Fleets alive and ships flying at `t` ms into the round. */
export interface ChartSample {
  t: number;
  fleetsAlive: number;
  shipsFlying: number;
}

/** One round's samples: the chart starts again with each round and draws nothing outside one. */
export interface ChartSeries {
  round: number | null;
  /** The round's planned running time in ms, the chart's width until the round outlasts it. */
  spanMs: number;
  samples: ChartSample[];
}

export const EMPTY_SERIES: ChartSeries = { round: null, spanMs: 0, samples: [] };

/** Samples kept per round: one a second is an hour of round. */
const MAX_SAMPLES = 3600;

/**
 * The series after one tick: a different round (or none) starts an empty series; a running or paused round adds the
 * counts at its elapsed time; a countdown or finished round adds nothing, so a finished round's chart stays as it
 * ended.
 */
export function tickSeries(
  series: ChartSeries,
  round: RoundInfo | null,
  counts: Omit<ChartSample, 't'>,
  now: number,
  max = MAX_SAMPLES,
): ChartSeries {
  const id = round?.id ?? null;
  const current = series.round === id ? series : { round: id, spanMs: 0, samples: [] };
  const underWay = round?.status === 'running' || round?.status === 'paused';
  if (!round || !underWay || round.startedAt === null) return current;
  const planned =
    round.durationSeconds !== undefined
      ? round.durationSeconds * 1000
      : round.endsAt !== null
        ? round.endsAt - round.startedAt
        : 0;
  const samples = [...current.samples, { t: Math.max(0, now - round.startedAt), ...counts }];
  return {
    round: id,
    spanMs: planned,
    samples: samples.length > max ? samples.slice(samples.length - max) : samples,
  };
}

/**
 * Maps samples to canvas points for one value: x is the time since the round started over its planned length (or
 * the time so far once a round runs longer, pauses included), y is scaled to the series' own maximum.
 */
export function chartPoints(
  series: ChartSeries,
  value: (s: ChartSample) => number,
  width: number,
  height: number,
): { x: number; y: number }[] {
  const samples = series.samples;
  if (samples.length === 0) return [];
  const span = Math.max(1, series.spanMs, samples[samples.length - 1]!.t);
  const top = Math.max(1, ...samples.map(value));
  return samples.map((s) => ({ x: (s.t / span) * width, y: height - (value(s) / top) * height }));
}
