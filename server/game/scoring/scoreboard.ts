// Per-fleet scores over the round's running time. Pure: every method takes `now`; the round's transitions are
// round.ts's, and the engine owns the clock and the timers.
import type { ControllerKind, FleetScore, FleetStanding, RoundInfo } from '../protocol.ts';
import type { FleetCount } from '../state/ships.ts';
import * as round from './round.ts';
import { type RoundRecord, roundInfo, UNDER_WAY } from './round.ts';

export { COUNTDOWN_MS, type RoundRecord, roundInfo } from './round.ts';

interface PendingHit {
  uid: string;
  at: number;
  /** The fleet's flying count just before the hit: recovered once it is back there. */
  level: number;
  /** The hit ship has been seen out of the flying state (the watch can lag behind the delete). */
  landed: boolean;
}

export interface FleetRecord {
  player: string;
  joinOrder: number;
  flying: number;
  total: number;
  controllers: ControllerKind[];
  hits: number;
  shipsLost: number;
  /** Ascending: the standings of every patch read their percentiles from it, a long battle's worth of recoveries. */
  recoveryMs: number[];
  pending: PendingHit[];
  upMs: number;
  /** Has flown in this round: outages only count after a fleet was alive once. */
  flew: boolean;
  currentOutageMs: number;
  longestOutageMs: number;
  eliminatedAt: number | null;
}

export interface ScoreboardData {
  round: RoundRecord | null;
  fleets: FleetRecord[];
  nextJoinOrder: number;
  lastRoundId: number;
  /** Last time running time was accounted. */
  accountedAt: number | null;
}

/**
 * What the archive keeps of a fleet to resume from, every second: its recovery times only as their count, since
 * the archive has each as a row of its own (written in the same save). A save stays the size of the fleets however
 * long the battle: the times themselves, a hundred fleets' of a long busy round, held the loop for tens of
 * milliseconds every second.
 */
export interface SavedFleetRecord extends Omit<FleetRecord, 'recoveryMs'> {
  recoveries: number;
}

export interface SavedScoreboard extends Omit<ScoreboardData, 'fleets'> {
  fleets: SavedFleetRecord[];
}

const ascending = (a: number, b: number) => a - b;

/** Nearest-rank percentile of samples in ascending order; null for no samples. */
export function sortedPercentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

/** Puts `value` into the ascending `sorted`, after any equal values. */
function insertSorted(sorted: number[], value: number): void {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as number) <= value) low = mid + 1;
    else high = mid;
  }
  sorted.splice(low, 0, value);
}

/**
 * Survivors first, then uptime, then lower p95 recovery time (none measured sorts last, as the browsers rank), then
 * fewer ships lost; ties keep join order.
 */
export function compareStandings(a: FleetScore, b: FleetScore): number {
  if (a.alive !== b.alive) return a.alive ? -1 : 1;
  if (a.uptime !== b.uptime) return b.uptime - a.uptime;
  const pa = a.recoveryP95Ms ?? Number.POSITIVE_INFINITY;
  const pb = b.recoveryP95Ms ?? Number.POSITIVE_INFINITY;
  if (pa !== pb) return pa - pb;
  if (a.shipsLost !== b.shipsLost) return a.shipsLost - b.shipsLost;
  return a.joinOrder - b.joinOrder;
}

export class Scoreboard {
  private data: ScoreboardData;

  constructor(data?: ScoreboardData) {
    this.data = data ?? { round: null, fleets: [], nextJoinOrder: 0, lastRoundId: 0, accountedAt: null };
    // Read back from the archive's rows, or saved by a version that kept them, in the order they happened.
    for (const f of this.data.fleets) f.recoveryMs.sort(ascending);
  }

  /** Everything needed to resume after a restart. */
  toData(): ScoreboardData {
    return structuredClone(this.data);
  }

  /** What the archive saves every second (see SavedFleetRecord); it gives toData() back on loading. */
  toSaved(): SavedScoreboard {
    const { fleets, ...rest } = this.data;
    return structuredClone({
      ...rest,
      fleets: fleets.map(({ recoveryMs, ...f }) => ({ ...f, recoveries: recoveryMs.length })),
    });
  }

  get round(): RoundRecord | null {
    return this.data.round;
  }

  /** Continue after a restart: the time the server was down is not scored. */
  resume(now: number): void {
    this.data.accountedAt = now;
    const r = this.data.round;
    if (r?.status === 'running' && r.endsAt !== null && now >= r.endsAt) this.tick(now);
    // Saved by a version that did not freeze results: the saved counts are the closest to the end there is.
    if (r?.status === 'finished' && !r.finalStandings) r.finalStandings = this.ranked(r.runningMs);
  }

  startRound(durationSeconds: number, now: number): RoundInfo {
    this.data.round = round.newRound(this.data.round, this.data.lastRoundId + 1, durationSeconds, now);
    this.data.lastRoundId = this.data.round.id;
    for (const f of this.data.fleets) resetStats(f);
    return roundInfo(this.data.round);
  }

  pauseRound(now: number): RoundInfo {
    const r = round.requireRound(this.data.round, 'pause', ['running']);
    this.account(now);
    round.pause(r, now);
    return roundInfo(r);
  }

  resumeRound(now: number): RoundInfo {
    const r = round.requireRound(this.data.round, 'resume', ['paused']);
    round.resume(r, now);
    this.data.accountedAt = now;
    return roundInfo(r);
  }

  stopRound(now: number): RoundInfo {
    const r = round.requireRound(this.data.round, 'stop', UNDER_WAY);
    this.account(now);
    round.finish(r, now, this.ranked(r.runningMs));
    return roundInfo(r);
  }

  /** Back to the lobby; fleets with no ship left are forgotten. */
  resetRound(now: number): void {
    const r = this.data.round;
    if (r && UNDER_WAY.includes(r.status)) this.stopRound(now);
    this.data.round = null;
    this.data.fleets = this.data.fleets.filter((f) => f.total > 0);
    for (const f of this.data.fleets) resetStats(f);
  }

  /** Time-driven transitions: countdown → running → finished. */
  tick(now: number): boolean {
    const r = this.data.round;
    const due = round.dueTransition(r, now);
    if (!r || !due) return false;
    if (due === 'begin') {
      round.begin(r);
      // After a restart the time the server was down is not scored (resume() moved accountedAt past it).
      const startedAt = r.startedAt ?? now;
      this.data.accountedAt = Math.max(startedAt, this.data.accountedAt ?? startedAt);
      for (const f of this.data.fleets) f.flew = f.flying > 0;
      this.account(now);
    } else {
      const end = r.endsAt ?? now;
      this.account(end);
      round.finish(r, end, this.ranked(r.runningMs));
    }
    return true;
  }

  /** When tick() next has something to do. */
  nextDeadline(): number | null {
    return round.nextDeadline(this.data.round);
  }

  get running(): boolean {
    return this.data.round?.status === 'running';
  }

  /**
   * New counts for a fleet (from the ships reducer); `left` lists ship uids no longer flying. Returns the recovery
   * times (ms) this update completed.
   */
  updateFleet(player: string, count: FleetCount, now: number, left: readonly string[] = []): number[] {
    this.account(now);
    const f = this.fleet(player);
    f.flying = count.flying;
    f.total = count.total;
    f.controllers = count.controllers;
    if (!this.running) return [];
    for (const p of f.pending) if (left.includes(p.uid)) p.landed = true;
    if (f.flying > 0) {
      f.flew = true;
      f.currentOutageMs = 0;
      f.eliminatedAt = null;
      const recovered = f.pending.filter((p) => p.landed && f.flying >= p.level);
      if (recovered.length === 0) return [];
      f.pending = f.pending.filter((p) => !recovered.includes(p));
      const times = recovered.map((p) => now - p.at);
      for (const ms of times) insertSorted(f.recoveryMs, ms);
      return times;
    }
    if (f.flew && f.eliminatedAt === null) f.eliminatedAt = now;
    return [];
  }

  /** A fleet's live ship counts (also between rounds), undefined for a fleet the scoreboard does not know. */
  counts(player: string): { flying: number; total: number } | undefined {
    const f = this.data.fleets.find((x) => x.player === player);
    return f && { flying: f.flying, total: f.total };
  }

  /**
   * The fleet leaves the game (its attendee was removed): gone from the standings at once, round under way or not;
   * a finished round keeps the standings it froze.
   */
  removeFleet(player: string, now: number): void {
    this.account(now);
    this.data.fleets = this.data.fleets.filter((f) => f.player !== player);
  }

  /** Players the scoreboard knows, in join order. */
  players(): string[] {
    return this.data.fleets.map((f) => f.player);
  }

  /** A ship of this fleet was destroyed (deleted, failed or completed). */
  shipLost(player: string): void {
    if (this.running) this.fleet(player).shipsLost++;
  }

  /**
   * A shot hit a ship of this fleet. `wasFlying`: the ship flew when aimed at; `stillFlying`: the game still sees it
   * flying now (the watch may report the deletion before the delete call returns, or after).
   */
  hit(player: string, uid: string, ship: { wasFlying: boolean; stillFlying: boolean }, now: number): void {
    if (!this.running) return;
    const f = this.fleet(player);
    f.hits++;
    const level = f.flying + (ship.wasFlying && !ship.stillFlying ? 1 : 0);
    f.pending.push({ uid, at: now, level, landed: !ship.stillFlying });
  }

  /** Ranked standings at `now`; for a finished round, the ones frozen when it finished. */
  standings(now: number): FleetStanding[] {
    this.account(now);
    const r = this.data.round;
    if (r?.status === 'finished' && r.finalStandings) return structuredClone(r.finalStandings);
    return this.ranked(r?.runningMs ?? 0);
  }

  private ranked(roundMs: number): FleetStanding[] {
    const rows = this.data.fleets.map((f) => standingOf(f, roundMs));
    rows.sort(compareStandings);
    return rows.map((row, i) => ({ ...row, rank: i + 1 }));
  }

  private fleet(player: string): FleetRecord {
    let f = this.data.fleets.find((x) => x.player === player);
    if (!f) {
      f = {
        player,
        joinOrder: this.data.nextJoinOrder++,
        flying: 0,
        total: 0,
        controllers: [],
        hits: 0,
        shipsLost: 0,
        recoveryMs: [],
        pending: [],
        upMs: 0,
        flew: false,
        currentOutageMs: 0,
        longestOutageMs: 0,
        eliminatedAt: null,
      };
      this.data.fleets.push(f);
    }
    return f;
  }

  /** Adds the running time since the last accounting to the round and every fleet. */
  private account(now: number): void {
    const r = this.data.round;
    const since = this.data.accountedAt;
    this.data.accountedAt = now;
    if (r?.status !== 'running' || since === null || now <= since) return;
    const dt = now - since;
    r.runningMs += dt;
    for (const f of this.data.fleets) {
      if (f.flying > 0) f.upMs += dt;
      else if (f.flew) {
        f.currentOutageMs += dt;
        f.longestOutageMs = Math.max(f.longestOutageMs, f.currentOutageMs);
      }
    }
  }
}

function resetStats(f: FleetRecord): void {
  f.hits = 0;
  f.shipsLost = 0;
  f.recoveryMs = [];
  f.pending = [];
  f.upMs = 0;
  f.flew = false;
  f.currentOutageMs = 0;
  f.longestOutageMs = 0;
  f.eliminatedAt = null;
}

function standingOf(f: FleetRecord, roundMs: number): FleetStanding {
  return {
    player: f.player,
    alive: f.flying > 0,
    flying: f.flying,
    total: f.total,
    uptime: roundMs > 0 ? Math.round((f.upMs / roundMs) * 10000) / 10000 : f.flying > 0 ? 1 : 0,
    hits: f.hits,
    recoveries: f.recoveryMs.length,
    recoveryP50Ms: sortedPercentile(f.recoveryMs, 50),
    recoveryP95Ms: sortedPercentile(f.recoveryMs, 95),
    shipsLost: f.shipsLost,
    joinOrder: f.joinOrder,
    controllers: f.controllers,
    rank: 0,
    eliminatedAt: f.eliminatedAt,
    longestOutageMs: f.longestOutageMs,
  };
}
