import type {
  FleetScore,
  GamePatch,
  GameSnapshot,
  PatchOp,
  RoundInfo,
  Ship,
  ShotEvent,
} from './protocol-types.ts';

export interface StoreListener {
  shipAdded?(ship: Ship): void;
  shipChanged?(ship: Ship, previous: Ship): void;
  shipRemoved?(ship: Ship): void;
  fleetChanged?(fleet: FleetScore): void;
  /** `replayed`: an earlier shot from a snapshot (the feed after load or resync), not one to animate now. */
  shot?(shot: ShotEvent, replayed: boolean): void;
  roundChanged?(round: RoundInfo | null): void;
  connectionChanged?(connected: boolean, reconnectingSince: number | null): void;
}

/** Shots remembered to tell a snapshot's recent shots already shown from those missed; above the server's feed. */
const SEEN_SHOTS = 500;
/** Shots kept for views that mount after they arrived (the battle scene starts after the first snapshot). */
const RECENT_SHOTS = 50;

/** What applying a patch did: applied, ignored as already seen, or a gap that needs a fresh snapshot. */
export type PatchResult = 'applied' | 'stale' | 'gap';

/**
 * The browser's copy of the game state: a snapshot, then numbered patches. Keyed by uid. It holds no rules: the
 * server derives ship states and scores; the store only mirrors them and tells subscribers what changed.
 */
export class GameStore {
  readonly ships = new Map<string, Ship>();
  readonly fleets = new Map<string, FleetScore>();
  round: RoundInfo | null = null;
  /** When this client saw the current round go from running to paused (for the HUD's frozen clock). */
  roundPausedAt: number | null = null;
  /** The latest shots, oldest first. */
  readonly recentShots: ShotEvent[] = [];
  connected = false;
  reconnectingSince: number | null = null;
  /** Sequence number of the last applied snapshot or patch; null until the first snapshot. */
  seq: number | null = null;
  private readonly listeners = new Set<StoreListener>();
  private readonly seenShots = new RecentKeys(SEEN_SHOTS);

  constructor(private readonly now: () => number = Date.now) {}

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  applySnapshot(snapshot: GameSnapshot): void {
    const incoming = new Map(snapshot.ships.map((s) => [s.uid, s]));
    for (const [uid, ship] of this.ships) {
      if (!incoming.has(uid)) this.removeShip(uid, ship);
    }
    for (const ship of snapshot.ships) this.putShip(ship);
    this.fleets.clear();
    for (const fleet of snapshot.fleets) this.putFleet(fleet);
    this.setRound(snapshot.round);
    this.setConnection(snapshot.connected, snapshot.reconnectingSince);
    for (const shot of snapshot.shots ?? []) this.announceShot(shot, true);
    this.seq = snapshot.seq;
  }

  /** Applies the patch that follows the last one; anything else is stale (ignored) or a gap (caller resyncs). */
  applyPatch(patch: GamePatch): PatchResult {
    if (this.seq === null) return 'gap';
    if (patch.seq <= this.seq) return 'stale';
    if (patch.seq !== this.seq + 1) return 'gap';
    for (const op of patch.ops) this.applyOp(op);
    this.seq = patch.seq;
    return 'applied';
  }

  private applyOp(op: PatchOp): void {
    switch (op.op) {
      case 'ship':
        this.putShip(op.ship);
        return;
      case 'shipRemoved': {
        const ship = this.ships.get(op.uid);
        if (ship) this.removeShip(op.uid, ship);
        return;
      }
      case 'fleet':
        this.putFleet(op.fleet);
        return;
      case 'shot':
        this.announceShot(op.shot, false);
        return;
      case 'round':
        this.setRound(op.round);
        return;
      case 'connection':
        this.setConnection(op.connected, op.reconnectingSince);
        return;
    }
  }

  /** Each shot reaches the listeners once, whether it comes live or again in a resync snapshot. */
  private announceShot(shot: ShotEvent, replayed: boolean): void {
    const key = `${shot.time} ${shot.uid} ${shot.outcome} ${shot.dryRun}`;
    if (!this.seenShots.add(key)) return;
    this.recentShots.push(shot);
    if (this.recentShots.length > RECENT_SHOTS) this.recentShots.shift();
    for (const l of this.listeners) l.shot?.(shot, replayed);
  }

  private putShip(ship: Ship): void {
    const previous = this.ships.get(ship.uid);
    this.ships.set(ship.uid, ship);
    for (const l of this.listeners) {
      if (previous) l.shipChanged?.(ship, previous);
      else l.shipAdded?.(ship);
    }
  }

  private removeShip(uid: string, ship: Ship): void {
    this.ships.delete(uid);
    for (const l of this.listeners) l.shipRemoved?.(ship);
  }

  private putFleet(fleet: FleetScore): void {
    this.fleets.set(fleet.player, fleet);
    for (const l of this.listeners) l.fleetChanged?.(fleet);
  }

  private setRound(round: RoundInfo | null): void {
    const previous = this.round;
    const sameRound = previous !== null && previous.id === round?.id;
    if (round?.status !== 'paused') this.roundPausedAt = null;
    else if (sameRound && previous.status === 'running') this.roundPausedAt = this.now();
    else if (!sameRound || previous.status !== 'paused') this.roundPausedAt = null;
    this.round = round;
    for (const l of this.listeners) l.roundChanged?.(round);
  }

  private setConnection(connected: boolean, reconnectingSince: number | null): void {
    this.connected = connected;
    this.reconnectingSince = reconnectingSince;
    for (const l of this.listeners) l.connectionChanged?.(connected, reconnectingSince);
  }
}

/** A bounded set of keys, oldest forgotten first. */
class RecentKeys {
  private readonly keys = new Set<string>();
  constructor(private readonly max: number) {}

  /** False when the key was already there. */
  add(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.keys.size > this.max) this.keys.delete(this.keys.values().next().value!);
    return true;
  }
}
