// The game's ships keyed by uid: a pure reducer of informer events (STYLE rules 5 and 8).
import type { V1Pod } from '@kubernetes/client-node';
import type { ControllerKind, Ship } from '../protocol.ts';
import { shipOf } from './ship.ts';

export interface ShipsState {
  readonly ships: ReadonlyMap<string, Ship>;
  /** namespace/name → uid of the pod that holds that name now (the informer keys objects by name). */
  readonly byName: ReadonlyMap<string, string>;
}

export type ShipEvent =
  | { type: 'upsert'; pod: V1Pod }
  | { type: 'delete'; pod: V1Pod }
  /** Forget a destroyed ship once the screens have shown its explosion. */
  | { type: 'remove'; uid: string };

export const emptyShips: ShipsState = { ships: new Map(), byName: new Map() };

const nameKey = (pod: V1Pod) => `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;

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
    const ships = new Map(state.ships);
    ships.delete(event.uid);
    return { ships, byName: state.byName };
  }
  const uid = event.pod.metadata?.uid;
  if (!uid) return state;
  const key = nameKey(event.pod);
  if (event.type === 'delete') {
    const ship = state.ships.get(uid);
    const byName = state.byName.get(key) === uid ? withoutKey(state.byName, key) : state.byName;
    if (!ship) return byName === state.byName ? state : { ships: state.ships, byName };
    if (ship.state === 'destroyed' && byName === state.byName) return state;
    const ships = new Map(state.ships);
    ships.set(uid, { ...ship, state: 'destroyed' });
    return { ships, byName };
  }
  const next = shipOf(event.pod);
  const previousUid = state.byName.get(key);
  const replaced =
    previousUid !== undefined && previousUid !== uid ? state.ships.get(previousUid) : undefined;
  if (!replaced && previousUid === uid && sameShip(state.ships.get(uid), next)) return state;
  const ships = new Map(state.ships);
  // A pod recreated under the same name (a bare pod re-applied) arrives as an update: the old ship is gone.
  if (replaced && replaced.state !== 'destroyed')
    ships.set(replaced.uid, { ...replaced, state: 'destroyed' });
  ships.set(uid, next);
  const byName = previousUid === uid ? state.byName : new Map(state.byName).set(key, uid);
  return { ships, byName };
}

/** The uids an event can change: its pod, and the pod that held the same name before (a recreated bare pod). */
export function shipsTouchedBy(state: ShipsState, event: ShipEvent): string[] {
  if (event.type === 'remove') return [event.uid];
  const uid = event.pod.metadata?.uid;
  const previous = state.byName.get(nameKey(event.pod));
  return [...new Set([uid, previous].filter((u): u is string => u !== undefined))];
}

function withoutKey<K, V>(map: ReadonlyMap<K, V>, key: K): ReadonlyMap<K, V> {
  const copy = new Map(map);
  copy.delete(key);
  return copy;
}

/** Ships (not yet destroyed) and flying ships of one fleet, and the controller kinds it uses. */
export interface FleetCount {
  flying: number;
  total: number;
  controllers: ControllerKind[];
}

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
