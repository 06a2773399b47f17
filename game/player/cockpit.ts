// The attendee's cockpit: their own fleet from the live game feed, as text. Pure, so it is tested without a browser.
import type { FeedEvent } from '../store/live-game-state.ts';
import type { FleetStanding, RoundInfo, ShotEvent } from '../store/protocol-types.ts';
import { words } from '../i18n/language.ts';
import { formatNumber, formatSeconds, formatTime } from '../i18n/format.ts';
import { diagnose } from '../view/diagnosis.ts';
import { formatSeconds as formatSecondsOrDash } from '../view/leaderboard.ts';

/** Events of the fleet kept for the cockpit (the store's recent feed is shared by every fleet in the room). */
const KEPT_EVENTS = 20;

/** The shots at one fleet and its recoveries, oldest first, the last KEPT_EVENTS of them. */
export class FleetLog {
  private readonly kept: FeedEvent[] = [];
  constructor(readonly fleet: string) {}

  /** Keeps the event if it concerns this fleet; true when it did. */
  add(event: FeedEvent): boolean {
    const fleet = event.kind === 'shot' ? event.shot.fleet : event.recovery.fleet;
    if (fleet !== this.fleet) return false;
    this.kept.push(event);
    if (this.kept.length > KEPT_EVENTS) this.kept.shift();
    return true;
  }

  get events(): readonly FeedEvent[] {
    return this.kept;
  }
}

export interface CockpitView {
  state: 'waiting' | 'flying' | 'eliminated';
  headline: string;
  /** Ships, rank, hits, recoveries: empty until the fleet is in the game. */
  stats: string[];
  /** The round report's one line on the fleet, once it is eliminated or the round is over; else null. */
  why: string | null;
  /** Newest first. */
  events: string[];
}

/** What the cockpit shows for the attendee's fleet (undefined until the game has seen one of its ships). */
export function cockpitView(
  fleet: FleetStanding | undefined,
  fleetCount: number,
  round: RoundInfo | null,
  events: readonly FeedEvent[],
): CockpitView {
  const t = words().room;
  const lines = [...events].reverse().map(eventLine);
  if (!fleet) return { state: 'waiting', headline: t.noFleet, stats: [], why: null, events: lines };
  const timeline = words().instructor.timeline;
  const stats = [
    t.ships(formatNumber(fleet.flying), formatNumber(fleet.total)),
    t.rank(formatNumber(fleet.rank), formatNumber(fleetCount)),
    timeline.hits(fleet.hits, formatNumber(fleet.hits)),
    timeline.recoveries(fleet.recoveries, formatNumber(fleet.recoveries)),
  ];
  if (fleet.recoveryP50Ms !== null || fleet.recoveryP95Ms !== null)
    stats.push(
      t.recoveryTimes(formatSecondsOrDash(fleet.recoveryP50Ms), formatSecondsOrDash(fleet.recoveryP95Ms)),
    );
  const over = !fleet.alive || round?.status === 'finished';
  return {
    state: fleet.alive ? 'flying' : 'eliminated',
    headline: fleet.alive ? t.flying : t.eliminated,
    stats,
    why: over ? t.why(diagnose(fleet)) : null,
    events: lines.length > 0 ? lines : [t.noEvents],
  };
}

function eventLine(event: FeedEvent): string {
  const t = words().room;
  if (event.kind === 'recovery')
    return t.eventRecovered(formatTime(event.recovery.time), formatSeconds(event.recovery.ms));
  const shot = event.shot;
  const time = formatTime(shot.time);
  if (shot.outcome === 'refused')
    return t.eventRefused(time, shot.name, shot.reason ?? words().feed.noReason);
  if (shot.outcome === 'missed') return t.eventMissed(time, shot.name);
  const by = firedBy(shot);
  return shot.dryRun ? t.eventDryRun(time, shot.name, by) : t.eventHit(time, shot.name, by);
}

/** Manual shots are the instructor's (the fire button or pilot mode); the protocol leaves source optional. */
function firedBy(shot: ShotEvent): string {
  return words().room.firedBy[shot.source ?? 'auto'];
}
