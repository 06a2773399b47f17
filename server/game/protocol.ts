// The game's wire protocol: what the server sends to browsers (socket.io) and answers over HTTP.
// The browser imports its types (game/store/protocol-types.ts re-exports them) and the event and namespace names,
// so this module imports nothing; extend, never rename.

/** socket.io event names: `snapshot` on connect, numbered `patch` events, `resync` from a client that saw a gap. */
export const GAME_EVENTS = { snapshot: 'snapshot', patch: 'patch', resync: 'resync' } as const;
export type GameEventName = (typeof GAME_EVENTS)[keyof typeof GAME_EVENTS];

/** socket.io namespaces: `/game` is read-only for anyone, `/instructor` needs the instructor token. */
export const GAME_NAMESPACES = { game: '/game', instructor: '/instructor' } as const;
export type GameNamespace = (typeof GAME_NAMESPACES)[keyof typeof GAME_NAMESPACES];

export const SHIP_STATES = ['warping', 'flying', 'damaged', 'destroyed'] as const;
export type ShipState = (typeof SHIP_STATES)[number];

export const CONTROLLER_KINDS = [
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
] as const;
export type ControllerKind = (typeof CONTROLLER_KINDS)[number];

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
  /** Position in the ranking, 1 = best: browsers show the server's ranking, they never rank themselves. */
  rank: number;
  /** Epoch ms when the fleet last lost its last flying ship during the round; null while alive. */
  eliminatedAt?: number | null;
  /** Longest stretch of round time with no flying ship, in ms. */
  longestOutageMs?: number;
}

/** A fleet as the server ranks it: every optional extra of FleetScore filled in. */
export interface FleetStanding extends FleetScore {
  rank: number;
  eliminatedAt: number | null;
  longestOutageMs: number;
}

export const SHOT_OUTCOMES = ['hit', 'refused', 'missed'] as const;
export type ShotOutcome = (typeof SHOT_OUTCOMES)[number];

export interface ShotEvent {
  /** Unique across the game's history (the archive's shot id): tells a resent shot from a new one. */
  id: number;
  time: number;
  round: number | null;
  uid: string;
  name: string;
  namespace: string;
  fleet: string;
  outcome: ShotOutcome;
  reason?: string;
  dryRun: boolean;
  /** Who fired: the auto-fire scheduler or the instructor/pilot. */
  source?: 'auto' | 'manual';
}

/** A fleet flies as many ships as before a hit again: `ms` from the hit to the recovery. */
export interface RecoveryEvent {
  time: number;
  round: number | null;
  fleet: string;
  ms: number;
  /** The ship whose arrival completed the recovery, when one did (absent when the replacement was seen before the hit ship left). */
  uid?: string;
  name?: string;
}

export const ROUND_STATUSES = ['lobby', 'countdown', 'running', 'paused', 'finished'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];

export interface RoundInfo {
  id: number;
  status: RoundStatus;
  startedAt: number | null;
  endsAt: number | null;
  /** Planned length of the running phase. */
  durationSeconds?: number;
  /** Epoch ms when the countdown ends (status countdown only). */
  countdownEndsAt?: number | null;
  /** Epoch ms when the round was paused (status paused only): the clock shows endsAt − pausedAt, frozen. */
  pausedAt?: number | null;
  finishedAt?: number | null;
}

export interface GameSnapshot {
  seq: number;
  connected: boolean;
  reconnectingSince: number | null;
  round: RoundInfo | null;
  ships: Ship[];
  /** Ranked, in the same shape as a patch's fleets. */
  fleets: FleetStanding[];
  chaos: ChaosSettings;
  /** The most recent shots, oldest first (the kill feed after a reconnect). */
  shots?: ShotEvent[];
  /** The most recent recoveries, oldest first. */
  recoveries?: RecoveryEvent[];
}

export type PatchOp =
  | { op: 'ship'; ship: Ship }
  | { op: 'shipRemoved'; uid: string }
  | { op: 'fleet'; fleet: FleetStanding }
  /** A fleet left the standings (its attendee was removed from the room, or the game went back to the lobby). */
  | { op: 'fleetRemoved'; player: string }
  /** Fleets whose rank alone changed (a hit reorders many fleets: their new places, not the whole fleets). */
  | { op: 'ranks'; ranks: Record<string, number> }
  | { op: 'shot'; shot: ShotEvent }
  | { op: 'recovery'; recovery: RecoveryEvent }
  | { op: 'round'; round: RoundInfo | null }
  /** The instructor changed the chaos settings (every tab learns of a hard stop at once). */
  | { op: 'chaos'; chaos: ChaosSettings }
  | { op: 'connection'; connected: boolean; reconnectingSince: number | null };

export interface GamePatch {
  seq: number;
  ops: PatchOp[];
}

export const WEAPONS = ['delete', 'evict'] as const;
export type Weapon = (typeof WEAPONS)[number];

export interface CapitalShipSettings {
  /** Off by default: controllers are only destroyed when the instructor turns this on. */
  enabled: boolean;
  /** Manual hits on a controller's pods before the controller itself is deleted. */
  hitsToDestroy: number;
  /** Orphan (default) keeps the pods but nothing recreates them any more. */
  propagationPolicy: 'Orphan' | 'Background' | 'Foreground';
}

/** The chaos engine's settings: `PUT /api/chaos` takes any subset of them. */
export interface ChaosSettings {
  auto: boolean;
  intervalSeconds: number;
  /** 0..1: each delay is interval × (1 ± jitter). */
  jitter: number;
  /** Pick a fleet first, then a ship, so big fleets are not hit more often. */
  fair: boolean;
  /** Announce hits without deleting anything. */
  dryRun: boolean;
  budgetPerMinute: number;
  weapon: Weapon;
  /**
   * null (default): each pod's own terminationGracePeriodSeconds. 0 is a force delete on a real cluster (the pod
   * leaves the API while its containers still run), so it is only ever an explicit choice.
   */
  gracePeriodSeconds: number | null;
  /** Auto fire paused; manual shots still go through. */
  paused: boolean;
  /** Hard stop: every shot, automatic or manual, is refused until this is cleared. */
  halted: boolean;
  capitalShips: CapitalShipSettings;
}

/** What `PUT /api/chaos` and setChaos take: any subset, capital ship settings included. */
export type ChaosUpdate = Partial<Omit<ChaosSettings, 'capitalShips'>> & {
  capitalShips?: Partial<CapitalShipSettings>;
};

export interface ShotCounts {
  hit: number;
  refused: number;
  missed: number;
}

/** `GET /api/state`. */
export interface GameStateView {
  connected: boolean;
  reconnectingSince: number | null;
  round: RoundInfo | null;
  chaos: ChaosSettings;
  fleets: FleetStanding[];
  shots: ShotCounts;
  ships: Record<ShipState, number>;
}

/** One line of `GET /api/rounds`. */
export interface RoundSummary extends RoundInfo {
  durationSeconds: number;
  finishedAt: number | null;
  fleetCount: number;
  /** The first-ranked fleet once the round has fleets. */
  leader: string | null;
  shots: ShotCounts;
}

/** One line of a round's per-fleet timeline: a hit (from the shot log) or a recovery with its time. */
export interface TimelineEntry {
  time: number;
  fleet: string;
  kind: 'hit' | 'recovered';
  /** Recoveries only: ms from the hit to the recovery. */
  ms?: number;
}

/** `GET /api/rounds/:id`: the standings (ranked), every shot of the round and its hits and recoveries in time order. */
export interface RoundDetail extends RoundSummary {
  fleets: FleetStanding[];
  /** The latest shots (all of them in the JSON export); shots refused by the kill budget are only counted. */
  shotLog: ShotEvent[];
  /** Shots stored for the round: more than shotLog holds when the log was capped. */
  shotLogTotal: number;
  timeline: TimelineEntry[];
}
