// The round lifecycle: lobby → countdown (3 s) → running ⇄ paused → finished. Pure functions of a round record and
// `now`; the scoreboard accounts running time around them and a RoundTimer moves them on at their deadlines.
import { GameError } from '../errors.ts';
import type { FleetStanding, RoundInfo, RoundStatus } from '../protocol.ts';
import type { Clock } from '../../clock.ts';

export const COUNTDOWN_MS = 3000;

export interface RoundRecord {
  id: number;
  status: RoundStatus;
  durationMs: number;
  countdownEndsAt: number | null;
  startedAt: number | null;
  endsAt: number | null;
  pausedAt: number | null;
  finishedAt: number | null;
  /** Time spent running so far (pauses excluded): the denominator of uptime. */
  runningMs: number;
  /**
   * The ranked standings at the moment the round finished: a finished round's result never changes, whatever the
   * pods do afterwards (a fleet re-applied after the end neither comes back to life nor joins).
   */
  finalStandings?: FleetStanding[];
}

export const UNDER_WAY: readonly RoundStatus[] = ['countdown', 'running', 'paused'];

export function roundInfo(r: RoundRecord): RoundInfo {
  return {
    id: r.id,
    status: r.status,
    startedAt: r.startedAt,
    endsAt: r.endsAt,
    durationSeconds: r.durationMs / 1000,
    countdownEndsAt: r.countdownEndsAt,
    pausedAt: r.pausedAt,
    finishedAt: r.finishedAt,
  };
}

/** A new round in its countdown; 400 for a bad duration, 409 while `current` is under way. */
export function newRound(
  current: RoundRecord | null,
  id: number,
  durationSeconds: number,
  now: number,
): RoundRecord {
  if (!(durationSeconds > 0) || !Number.isFinite(durationSeconds)) {
    throw new GameError(400, 'A round needs a positive duration in seconds.');
  }
  if (current && UNDER_WAY.includes(current.status)) {
    throw new GameError(409, `Round ${current.id} is ${current.status}: stop it before starting another.`);
  }
  return {
    id,
    status: 'countdown',
    durationMs: Math.round(durationSeconds * 1000),
    countdownEndsAt: now + COUNTDOWN_MS,
    startedAt: null,
    endsAt: null,
    pausedAt: null,
    finishedAt: null,
    runningMs: 0,
  };
}

/** The round, when `action` is allowed in its status; a 409 that says why otherwise. */
export function requireRound(
  r: RoundRecord | null,
  action: string,
  allowed: readonly RoundStatus[],
): RoundRecord {
  if (!r) throw new GameError(409, `There is no round to ${action}: start one first.`);
  if (!allowed.includes(r.status)) {
    throw new GameError(409, `Round ${r.id} is ${r.status}: it cannot ${action} now.`);
  }
  return r;
}

export function pause(r: RoundRecord, now: number): void {
  r.status = 'paused';
  r.pausedAt = now;
}

/** Running again; the end moves by the time paused. */
export function resume(r: RoundRecord, now: number): void {
  if (r.endsAt !== null && r.pausedAt !== null) r.endsAt += now - r.pausedAt;
  r.status = 'running';
  r.pausedAt = null;
}

/** Countdown over: running from the countdown's end (not from `now`, which may be later after a restart). */
export function begin(r: RoundRecord): void {
  r.status = 'running';
  r.startedAt = r.countdownEndsAt;
  r.endsAt = (r.startedAt ?? 0) + r.durationMs;
  r.countdownEndsAt = null;
}

export function finish(r: RoundRecord, at: number, standings: FleetStanding[]): void {
  r.status = 'finished';
  r.finishedAt = at;
  r.pausedAt = null;
  r.countdownEndsAt = null;
  r.finalStandings = standings;
}

/** What time alone does to the round at `now`: its countdown ends, or its running time is up. */
export function dueTransition(r: RoundRecord | null, now: number): 'begin' | 'finish' | null {
  if (r?.status === 'countdown' && r.countdownEndsAt !== null && now >= r.countdownEndsAt) return 'begin';
  if (r?.status === 'running' && r.endsAt !== null && now >= r.endsAt) return 'finish';
  return null;
}

/** When dueTransition() next has something to do. */
export function nextDeadline(r: RoundRecord | null): number | null {
  if (r?.status === 'countdown') return r.countdownEndsAt;
  if (r?.status === 'running') return r.endsAt;
  return null;
}

export interface RoundTimerOptions {
  clock: Clock;
  /** When the round next changes by itself (null: never). */
  deadline(): number | null;
  /** Moves the round on at `now`; true when it changed. */
  tick(now: number): boolean;
  /** The round changed by itself. */
  changed(): void;
}

/** One timer on the round's next deadline; arm() again after every change of the round. */
export class RoundTimer {
  private timer: unknown;
  private closed = false;

  constructor(private readonly options: RoundTimerOptions) {}

  arm(): void {
    const { clock } = this.options;
    if (this.timer !== undefined) clock.clearTimeout(this.timer);
    this.timer = undefined;
    const deadline = this.options.deadline();
    if (deadline === null || this.closed) return;
    this.timer = clock.setTimeout(
      () => {
        this.timer = undefined;
        if (this.options.tick(clock.now())) this.options.changed();
        else this.arm();
      },
      Math.max(0, deadline - clock.now()),
    );
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
