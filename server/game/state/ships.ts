// The game's ships keyed by ship id (the pod uid, qualified by its cluster outside the main one): a pure reducer of
// informer events (STYLE rules 5 and 8).
import type { V1Pod } from '@kubernetes/client-node';
import type { ControllerKind, Ship } from '../protocol.ts';
import { ShardMap } from './shard-map.ts';
import { MAIN_ORIGIN, type PodOrigin, podOfShip, shipId, shipOf } from './ship.ts';

/** The maps are immutable and shared between states: an event copies a shard of each, not every ship. */
export interface ShipsState {
  readonly ships: ShardMap<Ship>;
  /** cluster/namespace/name → id of the ship that holds that name now (the informer keys objects by name). */
  readonly byName: ShardMap<string>;
  /** fleet → ids of its ships, destroyed ones too: an event counts the fleets it touched, not every ship. */
  readonly byFleet: ShardMap<readonly string[]>;
}

/** Pod events come from the main cluster unless `origin` says otherwise. */
export type ShipEvent =
  | { type: 'upsert'; pod: V1Pod; origin?: PodOrigin }
  | { type: 'delete'; pod: V1Pod; origin?: PodOrigin }
  /** Forget a destroyed ship once the screens have shown its explosion. */
  | { type: 'remove'; uid: string }
  /** A cluster left the game: its ships leave at once, destroyed or not (no explosion, nothing was shot). */
  | { type: 'removeCluster'; cluster: string };

export const emptyShips: ShipsState = {
  ships: ShardMap.empty(),
  byName: ShardMap.empty(),
  byFleet: ShardMap.empty(),
};

const nameKey = (pod: V1Pod, origin: PodOrigin) =>
  `${origin.cluster}/${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;

/** `byFleet` once ship `id` went from `before` to `after` (either one absent when the ship arrives or leaves). */
function moved(
  byFleet: ShardMap<readonly string[]>,
  id: string,
  before: Ship | undefined,
  after: Ship | undefined,
): ShardMap<readonly string[]> {
  if (before?.fleet === after?.fleet) return byFleet;
  let next = byFleet;
  if (before) {
    const left = (next.get(before.fleet) ?? []).filter((member) => member !== id);
    next = left.length > 0 ? next.with(before.fleet, left) : next.without(before.fleet);
  }
  if (after) next = next.with(after.fleet, [...(next.get(after.fleet) ?? []), id]);
  return next;
}

/** The ships of the given fleets. */
export function shipsOfFleets(state: ShipsState, fleets: Iterable<string>): Ship[] {
  const ships: Ship[] = [];
  for (const fleet of fleets) {
    for (const id of state.byFleet.get(fleet) ?? []) ships.push(state.ships.get(id) as Ship);
  }
  return ships;
}

/** The ids of the ships of a cluster. */
function shipsOfCluster(state: ShipsState, cluster: string): string[] {
  return [...state.ships.keys()].filter((id) => podOfShip(id).cluster === cluster);
}

function sameShip(a: Ship | undefined, b: Ship): boolean {
  return (
    a !== undefined &&
    a.state === b.state &&
    a.fleet === b.fleet &&
    a.controller === b.controller &&
    a.controllerUid === b.controllerUid &&
    a.name === b.name &&
    a.namespace === b.namespace
  );
}

/** Returns the same state object when the event changes nothing, so callers can skip work. */
export function reduceShips(state: ShipsState, event: ShipEvent): ShipsState {
  if (event.type === 'remove') {
    const ship = state.ships.get(event.uid);
    if (!ship) return state;
    return {
      ships: state.ships.without(event.uid),
      byName: state.byName,
      byFleet: moved(state.byFleet, event.uid, ship, undefined),
    };
  }
  if (event.type === 'removeCluster') {
    const gone = shipsOfCluster(state, event.cluster);
    const prefix = `${event.cluster}/`;
    const names = [...state.byName.keys()].filter((key) => key.startsWith(prefix));
    if (gone.length === 0 && names.length === 0) return state;
    const ships = gone.reduce((left, id) => left.without(id), state.ships);
    const byName = names.reduce((left, key) => left.without(key), state.byName);
    const byFleet = gone.reduce((left, id) => moved(left, id, state.ships.get(id), undefined), state.byFleet);
    return { ships, byName, byFleet };
  }
  const origin = event.origin ?? MAIN_ORIGIN;
  const podUid = event.pod.metadata?.uid;
  if (!podUid) return state;
  const uid = shipId(origin.cluster, podUid);
  const key = nameKey(event.pod, origin);
  if (event.type === 'delete') {
    const ship = state.ships.get(uid);
    const byName = state.byName.get(key) === uid ? state.byName.without(key) : state.byName;
    if (!ship) return byName === state.byName ? state : { ...state, byName };
    // Destroyed already (its deletion started): the pod leaving the API only frees its name.
    if (ship.state === 'destroyed') return byName === state.byName ? state : { ...state, byName };
    return { ships: state.ships.with(uid, { ...ship, state: 'destroyed' }), byName, byFleet: state.byFleet };
  }
  const next = shipOf(event.pod, origin);
  const previousUid = state.byName.get(key);
  const replaced =
    previousUid !== undefined && previousUid !== uid ? state.ships.get(previousUid) : undefined;
  if (!replaced && previousUid === uid && sameShip(state.ships.get(uid), next)) return state;
  // A pod recreated under the same name (a bare pod re-applied) arrives as an update: the old ship is gone.
  const kept =
    replaced && replaced.state !== 'destroyed'
      ? state.ships.with(replaced.uid, { ...replaced, state: 'destroyed' })
      : state.ships;
  const byName = previousUid === uid ? state.byName : state.byName.with(key, uid);
  return {
    ships: kept.with(uid, next),
    byName,
    byFleet: moved(state.byFleet, uid, state.ships.get(uid), next),
  };
}

/**
 * The ship ids an event can change: its pod's, and the one of the pod that held the same name before (a recreated
 * bare pod); every ship of a cluster that leaves.
 */
export function shipsTouchedBy(state: ShipsState, event: ShipEvent): string[] {
  if (event.type === 'remove') return [event.uid];
  if (event.type === 'removeCluster') return shipsOfCluster(state, event.cluster);
  const origin = event.origin ?? MAIN_ORIGIN;
  const podUid = event.pod.metadata?.uid;
  const uid = podUid === undefined ? undefined : shipId(origin.cluster, podUid);
  const previous = state.byName.get(nameKey(event.pod, origin));
  return [...new Set([uid, previous].filter((u): u is string => u !== undefined))];
}

/** Ships (not yet destroyed) and flying ships of one fleet, and the controller kinds it uses. */
export interface FleetCount {
  flying: number;
  total: number;
  controllers: ControllerKind[];
}

/** Counts the fleets of `ships` (every ship, or those of the fleets an event touched: `shipsOfFleets`). */
export function countFleets(ships: Iterable<Ship>): Map<string, FleetCount> {
  const out = new Map<string, FleetCount>();
  for (const ship of ships) {
    let count = out.get(ship.fleet);
    if (!count) out.set(ship.fleet, (count = { flying: 0, total: 0, controllers: [] }));
    if (ship.state === 'destroyed') continue;
    count.total++;
    if (ship.state === 'flying') count.flying++;
    if (!count.controllers.includes(ship.controller)) count.controllers.push(ship.controller);
  }
  for (const count of out.values()) count.controllers.sort();
  return out;
}
