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

/** What the battle scene itself shows beyond ship states: its kill feed and how many lasers and shields it drew. */
export interface SceneMirror {
  /** Kill-feed lines, newest first. */
  feed: string[];
  lasers: number;
  shields: number;
}
