import type { Ship, ShipState } from '../store/protocol-types.ts';

/** What tests read instead of pixels: ships by uid with the state the scene shows. */
export interface MirroredShip {
  fleet: string;
  name: string;
  state: ShipState;
  controller: string;
}

export function mirrorShips(ships: Iterable<Ship>): Record<string, MirroredShip> {
  const out: Record<string, MirroredShip> = {};
  for (const s of ships)
    out[s.uid] = { fleet: s.fleet, name: s.name, state: s.state, controller: s.controller };
  return out;
}

/** A visible effect on a ship, as the battle scene draws it. */
export type ShipEffect = 'warp' | 'smoke' | 'explosion' | 'debris';

/** What the battle scene itself shows beyond ship states: its kill feed, lasers and shields, ship effects. */
export interface SceneMirror {
  /** Kill-feed lines, newest first. */
  feed: string[];
  lasers: number;
  shields: number;
  /** Ships that show an effect now, by uid. */
  effects: Record<string, ShipEffect[]>;
}
