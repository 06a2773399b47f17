// State → numbered patches: the one diff between what clients were last sent and the state now, flushed at a fixed
// rate only when something changed, built once and handed to every listener (socket.io encodes a broadcast once).
import type {
  ChaosSettings,
  FleetStanding,
  GamePatch,
  PatchOp,
  RecoveryEvent,
  RoundInfo,
  Ship,
  ShotEvent,
} from '../protocol.ts';
import type { Clock } from '../../clock.ts';
import type { ShardMap } from '../state/shard-map.ts';

export interface SyncView {
  /** Shares the shards no change touched with the view before it: a diff reads the changed shards only. */
  ships: ShardMap<Ship>;
  /** Ranked standings (rank included). */
  fleets: readonly FleetStanding[];
  round: RoundInfo | null;
  connected: boolean;
  reconnectingSince: number | null;
  chaos: ChaosSettings;
}

/**
 * Whether a fleet changed, its rank aside. The fields that move with time alone (uptime, the running outage) count
 * only on a `refresh`: their change is no event, it waits for the next refresh (once a second) or rides along with a
 * real change. A rank that changes alone goes out at once in a `ranks` op, so no two fleets ever show the same rank
 * and a hit that reorders many fleets does not resend them all. Compared field by field: this runs for every fleet
 * on every flush.
 */
function fleetChanged(old: FleetStanding, fleet: FleetStanding, refresh: boolean): boolean {
  if (refresh && (old.uptime !== fleet.uptime || old.longestOutageMs !== fleet.longestOutageMs)) return true;
  return (
    old.player !== fleet.player ||
    old.alive !== fleet.alive ||
    old.flying !== fleet.flying ||
    old.total !== fleet.total ||
    old.hits !== fleet.hits ||
    old.recoveries !== fleet.recoveries ||
    old.recoveryP50Ms !== fleet.recoveryP50Ms ||
    old.recoveryP95Ms !== fleet.recoveryP95Ms ||
    old.shipsLost !== fleet.shipsLost ||
    old.joinOrder !== fleet.joinOrder ||
    old.eliminatedAt !== fleet.eliminatedAt ||
    old.controllers.length !== fleet.controllers.length ||
    old.controllers.some((kind, i) => kind !== fleet.controllers[i])
  );
}

/**
 * What changed from `prev` (what clients have) to `next`, and what clients have after it. Ships compare by
 * identity (the reducer keeps unchanged ships and shards); fleets by value, time-driven fields only when `refresh`.
 */
export function diffViews(
  prev: SyncView,
  next: SyncView,
  refresh: boolean,
): { ops: PatchOp[]; sent: SyncView } {
  const ops: PatchOp[] = [];
  if (prev.connected !== next.connected || prev.reconnectingSince !== next.reconnectingSince) {
    ops.push({ op: 'connection', connected: next.connected, reconnectingSince: next.reconnectingSince });
  }
  if (JSON.stringify(prev.round) !== JSON.stringify(next.round)) ops.push({ op: 'round', round: next.round });
  if (JSON.stringify(prev.chaos) !== JSON.stringify(next.chaos)) ops.push({ op: 'chaos', chaos: next.chaos });
  const ships = next.ships.changesFrom(prev.ships);
  for (const [, ship] of ships.changed) ops.push({ op: 'ship', ship });
  for (const uid of ships.removed) ops.push({ op: 'shipRemoved', uid });
  const before = new Map(prev.fleets.map((f) => [f.player, f]));
  const fleets: FleetStanding[] = [];
  const ranks: Record<string, number> = {};
  let reranked = false;
  for (const fleet of next.fleets) {
    const old = before.get(fleet.player);
    const changed = !old || fleetChanged(old, fleet, refresh);
    if (changed) {
      ops.push({ op: 'fleet', fleet });
      fleets.push(fleet);
    } else if (old.rank !== fleet.rank) {
      ranks[fleet.player] = fleet.rank;
      reranked = true;
      fleets.push({ ...old, rank: fleet.rank });
    } else fleets.push(old);
  }
  const kept = new Set(next.fleets.map((f) => f.player));
  for (const player of before.keys()) if (!kept.has(player)) ops.push({ op: 'fleetRemoved', player });
  if (reranked) ops.push({ op: 'ranks', ranks });
  return { ops, sent: { ...next, fleets } };
}

export interface PatchStreamOptions {
  clock: Clock;
  /** Builds the current view; called at most once per flush. */
  view(): SyncView;
  /** One patch per interval on average: the feed's sustained rate. */
  intervalMs?: number;
  /**
   * Patches that may go out back to back before the interval applies (a token bucket): the few changes a pod
   * makes in quick succession (scheduled, creating, running) each reach the screens at once, while a flood of
   * changes still goes out at one patch per interval.
   */
  burst?: number;
}

export class PatchStream {
  private seq = 0;
  private sent: SyncView;
  /** Events (shots, recoveries) in the order they happened, sent after the state changes of the same flush. */
  private events: PatchOp[] = [];
  private refreshDue = false;
  private timer: unknown;
  private flushDueAt = Number.POSITIVE_INFINITY;
  private readonly listeners = new Set<(patch: GamePatch) => void>();
  private readonly intervalMs: number;
  private readonly burst: number;
  /** Patches that may go out now, as of `tokensAt`; one more comes back every interval, up to `burst`. */
  private tokens: number;
  private tokensAt: number;

  constructor(private readonly options: PatchStreamOptions) {
    this.intervalMs = options.intervalMs ?? 50;
    this.burst = options.burst ?? 1;
    this.tokens = this.burst;
    this.tokensAt = options.clock.now();
    this.sent = options.view();
  }

  private tokensNow(now: number): number {
    return Math.min(this.burst, this.tokens + (now - this.tokensAt) / this.intervalMs);
  }

  /** The seq of the last patch sent: a snapshot taken now is followed by patch currentSeq + 1. */
  get currentSeq(): number {
    return this.seq;
  }

  onPatch(listener: (patch: GamePatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Something may have changed: a flush happens within intervalMs. */
  changed(): void {
    this.flushWithin(0);
  }

  /**
   * A change nobody waits for (a wreck leaving the screens after its explosion): it rides along with the next flush
   * and is sent at the latest `ms` from now, instead of costing every client a message of its own.
   */
  changedWithin(ms: number): void {
    this.flushWithin(ms);
  }

  /** Flushes once a patch may go out (see `burst`), and no later than `ms` from now or a flush due sooner. */
  private flushWithin(ms: number): void {
    const now = this.options.clock.now();
    const available = this.tokensNow(now);
    const due = Math.max(now + ms, available >= 1 ? now : now + (1 - available) * this.intervalMs);
    if (this.timer !== undefined) {
      if (this.flushDueAt <= due) return;
      this.options.clock.clearTimeout(this.timer);
    }
    this.flushDueAt = due;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, due - now);
  }

  /** Time-driven fields are sent too in the next flush. */
  refresh(): void {
    this.refreshDue = true;
    this.changed();
  }

  /**
   * A shot waits up to one interval for the pod's change it caused (the watch reports the deletion about when the
   * delete call returns): the laser and the explosion go out in one patch, and the deletion is not held back by the
   * interval a patch of the shot alone would have started.
   */
  shot(shot: ShotEvent): void {
    this.events.push({ op: 'shot', shot });
    this.flushWithin(this.intervalMs);
  }

  recovery(recovery: RecoveryEvent): void {
    this.events.push({ op: 'recovery', recovery });
    this.changed();
  }

  /** Sends what changed now. */
  flush(): GamePatch | undefined {
    if (this.timer !== undefined) {
      this.options.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    const now = this.options.clock.now();
    this.tokens = this.tokensNow(now) - 1;
    this.tokensAt = now;
    const { ops, sent } = diffViews(this.sent, this.options.view(), this.refreshDue);
    ops.push(...this.events);
    this.events = [];
    this.sent = sent;
    this.refreshDue = false;
    if (ops.length === 0) return undefined;
    const patch: GamePatch = { seq: ++this.seq, ops };
    for (const listener of this.listeners) listener(patch);
    return patch;
  }

  close(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }
}
