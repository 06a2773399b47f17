// State changes → numbered patches: diffed against what clients last got, flushed at a fixed rate only when
// something changed, built once and handed to every listener (socket.io encodes a broadcast once).
import type {
  FleetScore,
  GamePatch,
  PatchOp,
  RecoveryEvent,
  RoundInfo,
  Ship,
  ShotEvent,
} from '../protocol.ts';
import type { Clock } from '../../clock.ts';

export interface SyncView {
  ships: ReadonlyMap<string, Ship>;
  fleets: readonly FleetScore[];
  round: RoundInfo | null;
  connected: boolean;
  reconnectingSince: number | null;
}

/** What changed from `prev` to `next`. Ships compare by identity: the reducer keeps unchanged ships. */
export function diffViews(prev: SyncView, next: SyncView): PatchOp[] {
  const ops: PatchOp[] = [];
  if (prev.connected !== next.connected || prev.reconnectingSince !== next.reconnectingSince) {
    ops.push({ op: 'connection', connected: next.connected, reconnectingSince: next.reconnectingSince });
  }
  if (JSON.stringify(prev.round) !== JSON.stringify(next.round)) ops.push({ op: 'round', round: next.round });
  for (const [uid, ship] of next.ships) if (prev.ships.get(uid) !== ship) ops.push({ op: 'ship', ship });
  for (const uid of prev.ships.keys()) if (!next.ships.has(uid)) ops.push({ op: 'shipRemoved', uid });
  const before = new Map(prev.fleets.map((f) => [f.player, JSON.stringify(f)]));
  for (const fleet of next.fleets) {
    if (before.get(fleet.player) !== JSON.stringify(fleet)) ops.push({ op: 'fleet', fleet });
  }
  return ops;
}

export interface PatchStreamOptions {
  clock: Clock;
  /** Builds the current view; called at most once per flush. */
  view(): SyncView;
  intervalMs?: number;
}

export class PatchStream {
  private seq = 0;
  private sent: SyncView;
  /** Events (shots, recoveries) in the order they happened, sent after the state changes of the same flush. */
  private events: PatchOp[] = [];
  private timer: unknown;
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  private readonly listeners = new Set<(patch: GamePatch) => void>();
  private readonly intervalMs: number;

  constructor(private readonly options: PatchStreamOptions) {
    this.intervalMs = options.intervalMs ?? 50;
    this.sent = options.view();
  }

  get currentSeq(): number {
    return this.seq;
  }

  onPatch(listener: (patch: GamePatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Something may have changed: a flush happens within intervalMs. */
  changed(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastFlushAt + this.intervalMs - this.options.clock.now());
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  shot(shot: ShotEvent): void {
    this.events.push({ op: 'shot', shot });
    this.changed();
  }

  recovery(recovery: RecoveryEvent): void {
    this.events.push({ op: 'recovery', recovery });
    this.changed();
  }

  /** Sends what changed now (snapshot() calls it so a snapshot and the patch numbers agree). */
  flush(): GamePatch | undefined {
    if (this.timer !== undefined) {
      this.options.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.lastFlushAt = this.options.clock.now();
    const next = this.options.view();
    const ops = diffViews(this.sent, next);
    ops.push(...this.events);
    this.events = [];
    this.sent = next;
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
