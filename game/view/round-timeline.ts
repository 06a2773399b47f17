import type { RoundDetail, TimelineEntry } from '../store/protocol-types.ts';
import { formatSeconds } from './leaderboard.ts';
import { words } from '../i18n/language.ts';
import { formatNumber } from '../i18n/format.ts';

/** One mark on a fleet's strip: where along the round (0..1) and what it says on hover. */
export interface TimelineMark {
  kind: TimelineEntry['kind'];
  at: number;
  label: string;
}

export interface FleetTimeline {
  marks: TimelineMark[];
  /** The strip in words, for screen readers and the page text: "4 hits · 3 recoveries · slowest 2.1 s". */
  summary: string;
}

/**
 * Each fleet's hits and recoveries placed along the round, from its start to its end (pauses included, as the
 * times are wall-clock). Entries outside the round are clamped to its edges.
 */
export function fleetTimelines(
  round: Pick<RoundDetail, 'startedAt' | 'finishedAt' | 'endsAt' | 'timeline'>,
): Map<string, FleetTimeline> {
  const out = new Map<string, FleetTimeline>();
  const start = round.startedAt ?? round.timeline[0]?.time ?? 0;
  const end = round.finishedAt ?? round.endsAt ?? round.timeline.at(-1)?.time ?? start;
  const span = Math.max(1, end - start);
  const byFleet = new Map<string, TimelineEntry[]>();
  for (const entry of round.timeline) {
    const list = byFleet.get(entry.fleet) ?? [];
    list.push(entry);
    byFleet.set(entry.fleet, list);
  }
  for (const [fleet, entries] of byFleet) {
    const marks = entries.map((e) => {
      const clock = elapsed(Math.max(0, e.time - start));
      const t = words().instructor.timeline;
      const label = e.kind === 'hit' ? t.hitAt(clock) : t.recoveredAt(clock, formatSeconds(e.ms ?? 0));
      return { kind: e.kind, at: Math.min(1, Math.max(0, (e.time - start) / span)), label };
    });
    out.set(fleet, { marks, summary: summarise(entries) });
  }
  return out;
}

function summarise(entries: TimelineEntry[]): string {
  const hits = entries.filter((e) => e.kind === 'hit').length;
  const recoveries = entries.filter((e) => e.kind === 'recovered');
  const t = words().instructor.timeline;
  const parts = [
    t.hits(hits, formatNumber(hits)),
    t.recoveries(recoveries.length, formatNumber(recoveries.length)),
  ];
  if (recoveries.length > 0)
    parts.push(t.slowest(formatSeconds(Math.max(...recoveries.map((r) => r.ms ?? 0)))));
  return parts.join(' · ');
}

/** m:ss into the round, rounded down as a stopwatch shows it (the HUD's clock rounds up: it counts down). */
function elapsed(ms: number): string {
  const total = Math.floor(ms / 1000);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
