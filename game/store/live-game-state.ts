import type {
  ChaosSettings,
  FleetStanding,
  GamePatch,
  GameSnapshot,
  PatchOp,
  RecoveryEvent,
  RoundInfo,
  Ship,
  ShotEvent,
} from './protocol-types.ts';

export interface StoreListener {
  shipAdded?(ship: Ship): void;
  shipChanged?(ship: Ship, previous: Ship): void;
  shipRemoved?(ship: Ship): void;
  fleetChanged?(fleet: FleetStanding): void;
  /** A fleet left the game (its attendee was removed from the room, or a reset forgot it). */
  fleetRemoved?(player: string): void;
  /** `replayed`: an earlier shot from a snapshot (the feed after load or resync), not one to animate now. */
  shot?(shot: ShotEvent, replayed: boolean): void;
  /** A fleet got back to its flying count after a hit; `replayed` as for shots. */
  recovered?(recovery: RecoveryEvent, replayed: boolean): void;
  roundChanged?(round: RoundInfo | null): void;
  /** The instructor's chaos settings (a hard stop from another tab shows at once). */
  chaosChanged?(chaos: ChaosSettings): void;
  connectionChanged?(connected: boolean, reconnectingSince: number | null): void;
}

/** A kill-feed entry: a shot or a recovery. */
export type FeedEvent = { kind: 'shot'; shot: ShotEvent } | { kind: 'recovery'; recovery: RecoveryEvent };

/**
 * Feed events remembered to tell a snapshot's recent ones already shown from those missed; above the server's
 * feeds (50 shots and 50 recoveries).
 */
const SEEN_EVENTS = 500;
/** Feed events kept for views that mount after they arrived (the battle scene starts after the first snapshot). */
const RECENT_EVENTS = 50;

/** What applying a patch did: applied, ignored as already seen, or a gap that needs a fresh snapshot. */
export type PatchResult = 'applied' | 'stale' | 'gap';

/**
 * The browser's copy of the game state: a snapshot, then numbered patches. Keyed by uid. It holds no rules: the
 * server derives ship states and scores; the store only mirrors them and tells subscribers what changed.
 */
export class LiveGameState {
  readonly ships = new Map<string, Ship>();
  /** Ranked by the server: `rank` is the place to show, browsers never rank themselves. */
  readonly fleets = new Map<string, FleetStanding>();
  round: RoundInfo | null = null;
  chaos: ChaosSettings | null = null;
  /** The latest shots and recoveries, oldest first. */
  readonly recentFeed: FeedEvent[] = [];
  connected = false;
  reconnectingSince: number | null = null;
  /** Sequence number of the last applied snapshot or patch; null until the first snapshot. */
  seq: number | null = null;
  private readonly listeners = new Set<StoreListener>();
  private readonly seenEvents = new RecentKeys(SEEN_EVENTS);

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
    this.setChaos(snapshot.chaos);
    this.setConnection(snapshot.connected, snapshot.reconnectingSince);
    const missed: FeedEvent[] = [
      ...(snapshot.shots ?? []).map((shot) => ({ kind: 'shot' as const, shot })),
      ...(snapshot.recoveries ?? []).map((recovery) => ({ kind: 'recovery' as const, recovery })),
    ];
    // One feed in time order (the sort is stable, so equal times keep shots before recoveries).
    missed.sort((a, b) => eventTime(a) - eventTime(b));
    for (const event of missed) this.announce(event, true);
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
      case 'fleetRemoved':
        if (this.fleets.delete(op.player)) for (const l of this.listeners) l.fleetRemoved?.(op.player);
        return;
      case 'ranks':
        for (const [player, rank] of Object.entries(op.ranks)) {
          const fleet = this.fleets.get(player);
          if (fleet) this.putFleet({ ...fleet, rank });
        }
        return;
      case 'shot':
        this.announce({ kind: 'shot', shot: op.shot }, false);
        return;
      case 'recovery':
        this.announce({ kind: 'recovery', recovery: op.recovery }, false);
        return;
      case 'round':
        this.setRound(op.round);
        return;
      case 'chaos':
        this.setChaos(op.chaos);
        return;
      case 'connection':
        this.setConnection(op.connected, op.reconnectingSince);
        return;
    }
  }

  /** Each feed event reaches the listeners once, whether it comes live or again in a resync snapshot. */
  private announce(event: FeedEvent, replayed: boolean): void {
    if (!this.seenEvents.add(eventKey(event))) return;
    this.recentFeed.push(event);
    if (this.recentFeed.length > RECENT_EVENTS) this.recentFeed.shift();
    for (const l of this.listeners) {
      if (event.kind === 'shot') l.shot?.(event.shot, replayed);
      else l.recovered?.(event.recovery, replayed);
    }
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

  private putFleet(fleet: FleetStanding): void {
    this.fleets.set(fleet.player, fleet);
    for (const l of this.listeners) l.fleetChanged?.(fleet);
  }

  private setRound(round: RoundInfo | null): void {
    this.round = round;
    for (const l of this.listeners) l.roundChanged?.(round);
  }

  private setChaos(chaos: ChaosSettings): void {
    this.chaos = chaos;
    for (const l of this.listeners) l.chaosChanged?.(chaos);
  }

  private setConnection(connected: boolean, reconnectingSince: number | null): void {
    this.connected = connected;
    this.reconnectingSince = reconnectingSince;
    for (const l of this.listeners) l.connectionChanged?.(connected, reconnectingSince);
  }
}

function eventTime(event: FeedEvent): number {
  return event.kind === 'shot' ? event.shot.time : event.recovery.time;
}

/** Shots by their id; recoveries by what tells two apart (a fleet cannot recover twice in one ms after one hit). */
function eventKey(event: FeedEvent): string {
  if (event.kind === 'shot') return `shot ${event.shot.id}`;
  const r = event.recovery;
  return `recovery ${r.time} ${r.fleet} ${r.ms}`;
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
