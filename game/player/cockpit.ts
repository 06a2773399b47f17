// The attendee's cockpit: their own fleet from the live game feed, as text. Pure, so it is tested without a browser.
import type { FeedEvent } from '../store/live-game-state.ts';
import type { FleetStanding, RoundInfo, Ship, ShotEvent } from '../store/protocol-types.ts';
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
  state: 'waiting' | 'warping' | 'flying' | 'eliminated';
  headline: string;
  /** Ships, rank, hits, recoveries: empty until the fleet is in the game. */
  stats: string[];
  /** The round report's one line on the fleet, once it is eliminated or the round is over; else null. */
  why: string | null;
  /** Newest first. */
  events: string[];
}

/** Ships of one fleet in the game's ship list. */
export interface ShipCount {
  flying: number;
  total: number;
}

/** Counts the fleet's ships: the cockpit's fallback while the fleet has no standing. */
export function countShips(ships: Iterable<Ship>, fleet: string): ShipCount {
  const count = { flying: 0, total: 0 };
  for (const ship of ships) {
    if (ship.fleet !== fleet) continue;
    count.total += 1;
    if (ship.state === 'flying') count.flying += 1;
  }
  return count;
}

/**
 * What the cockpit shows for the attendee's fleet. `fleet` is its standing, undefined until the game ranks it (a
 * fleet launched after a round finished is ranked from the next one); its ships are shown meanwhile.
 */
export function cockpitView(
  fleet: FleetStanding | undefined,
  ships: ShipCount,
  fleetCount: number,
  round: RoundInfo | null,
  events: readonly FeedEvent[],
): CockpitView {
  const t = words().room;
  const lines = [...events].reverse().map(eventLine);
  if (!fleet && ships.total === 0)
    return { state: 'waiting', headline: t.noFleet, stats: [], why: null, events: lines };
  if (!fleet) {
    const stats = [t.ships(formatNumber(ships.flying), formatNumber(ships.total))];
    const flying = ships.flying > 0;
    return {
      state: flying ? 'flying' : 'warping',
      headline: flying ? t.flying : t.warping,
      stats,
      why: null,
      events: lines.length > 0 ? lines : [t.noEvents],
    };
  }
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
  // Dead: it flew and lost its last flying ship in the round, or has no ship left. Ships that never flew yet
  // (pulling their image, pending) are on their way, not dead.
  const state = fleet.alive
    ? 'flying'
    : fleet.eliminatedAt !== null || fleet.total === 0
      ? 'eliminated'
      : 'warping';
  const over = state === 'eliminated' || round?.status === 'finished';
  return {
    state,
    headline: { flying: t.flying, eliminated: t.eliminated, warping: t.warping }[state],
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
