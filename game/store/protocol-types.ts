// Client-side view of the game wire protocol. server/game/protocol.ts (issue 5) does not exist yet; these are the
// fields the browser relies on. When it lands, re-export its types here instead and keep the names below.

export type ShipState = 'warping' | 'flying' | 'damaged' | 'destroyed';
export type ControllerKind =
  'Pod' | 'ReplicationController' | 'ReplicaSet' | 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job';

export interface Ship {
  uid: string;
  name: string;
  namespace: string;
  fleet: string;
  state: ShipState;
  controller: ControllerKind;
  /** uid of the owning controller (the Star Destroyer), absent for a bare pod. */
  controllerUid?: string;
}

export interface FleetScore {
  player: string;
  alive: boolean;
  flying: number;
  total: number;
  /** 0..1 share of round time with at least one flying ship. */
  uptime: number;
  hits: number;
  recoveries: number;
  recoveryP50Ms: number | null;
  recoveryP95Ms: number | null;
  shipsLost: number;
  joinOrder: number;
  controllers: ControllerKind[];
}

export type ShotOutcome = 'hit' | 'refused' | 'missed';

export interface ShotEvent {
  time: number;
  round: number | null;
  uid: string;
  name: string;
  namespace: string;
  fleet: string;
  outcome: ShotOutcome;
  reason?: string;
  dryRun: boolean;
}

export interface RoundInfo {
  id: number;
  status: 'lobby' | 'countdown' | 'running' | 'paused' | 'finished';
  startedAt: number | null;
  endsAt: number | null;
}

export interface GameSnapshot {
  seq: number;
  connected: boolean;
  reconnectingSince: number | null;
  round: RoundInfo | null;
  ships: Ship[];
  fleets: FleetScore[];
}

export type PatchOp =
  | { op: 'ship'; ship: Ship }
  | { op: 'shipRemoved'; uid: string }
  | { op: 'fleet'; fleet: FleetScore }
  | { op: 'shot'; shot: ShotEvent }
  | { op: 'round'; round: RoundInfo | null }
  | { op: 'connection'; connected: boolean; reconnectingSince: number | null };

export interface GamePatch {
  seq: number;
  ops: PatchOp[];
}
