// Recovery tracking: what one change of the ships means for each fleet it touched. Ships that stop flying are
// "left" (a hit lands), a ship that takes off may complete a recovery, destroyed ships count as lost.
import type { RecoveryEvent, Ship } from '../protocol.ts';
import { countFleets, type ShipsState, shipsOfFleets } from '../state/ships.ts';
import type { Scoreboard } from './scoreboard.ts';

export interface FleetChange {
  fleet: string;
  /** Ships no longer flying (or new and not flying yet). */
  left: string[];
  /** The ship of the fleet that took off last in this change: the one that completes a recovery, if any. */
  arrived?: Ship;
  /** Ships destroyed by this change. */
  destroyed: string[];
}

/** Per fleet, what changed between two ship states for the given uids (the ones an event could touch). */
export function fleetChanges(before: ShipsState, after: ShipsState, uids: Iterable<string>): FleetChange[] {
  const changes = new Map<string, FleetChange>();
  const touch = (fleet: string) => {
    let change = changes.get(fleet);
    if (!change) changes.set(fleet, (change = { fleet, left: [], destroyed: [] }));
    return change;
  };
  for (const uid of uids) {
    const old = before.ships.get(uid);
    const ship = after.ships.get(uid);
    if (old === ship) continue;
    if (old) touch(old.fleet);
    if (!ship) continue;
    const change = touch(ship.fleet);
    if (ship.state !== 'flying' && (!old || old.state === 'flying')) change.left.push(uid);
    if (ship.state === 'flying' && old?.state !== 'flying') change.arrived = ship;
    if (ship.state === 'destroyed' && old?.state !== 'destroyed') change.destroyed.push(uid);
  }
  return [...changes.values()];
}

/**
 * Tells the scoreboard what a change of the ships did to each fleet (ships lost, new counts) and returns the
 * recoveries it completed.
 */
export function trackFleets(
  scoreboard: Scoreboard,
  after: ShipsState,
  changes: readonly FleetChange[],
  now: number,
): RecoveryEvent[] {
  if (changes.length === 0) return [];
  for (const change of changes) change.destroyed.forEach(() => scoreboard.shipLost(change.fleet));
  const counts = countFleets(shipsOfFleets(after, new Set(changes.map((change) => change.fleet))));
  const recoveries: RecoveryEvent[] = [];
  for (const { fleet, left, arrived } of changes) {
    const count = counts.get(fleet) ?? { flying: 0, total: 0, controllers: [] };
    for (const ms of scoreboard.updateFleet(fleet, count, now, left)) {
      const recovery: RecoveryEvent = { time: now, round: scoreboard.round?.id ?? null, fleet, ms };
      if (arrived) {
        recovery.uid = arrived.uid;
        recovery.name = arrived.name;
      }
      recoveries.push(recovery);
    }
  }
  return recoveries;
}

/** After a (re)list, fleets whose pods all vanished while nobody watched get their real counts. */
export function recountFleets(scoreboard: Scoreboard, ships: ShipsState, now: number): void {
  const counts = countFleets(ships.ships.values());
  for (const player of scoreboard.players()) {
    scoreboard.updateFleet(player, counts.get(player) ?? { flying: 0, total: 0, controllers: [] }, now);
  }
}
