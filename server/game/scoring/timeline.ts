// A round's per-fleet timeline for the post-round report: hits from the shot log and the recoveries, in time order.
import type { RecoveryEvent, ShotEvent, TimelineEntry } from '../protocol.ts';

/** Dry-run hits deleted nothing and refused or missed shots touched no ship, so only real hits are listed. */
export function roundTimeline(
  shots: readonly ShotEvent[],
  recoveries: readonly RecoveryEvent[],
): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const s of shots) {
    if (s.outcome === 'hit' && !s.dryRun) entries.push({ time: s.time, fleet: s.fleet, kind: 'hit' });
  }
  for (const r of recoveries) entries.push({ time: r.time, fleet: r.fleet, kind: 'recovered', ms: r.ms });
  // Stable sort: at equal times a hit stays before the recovery it caused.
  return entries.sort((a, b) => a.time - b.time);
}
