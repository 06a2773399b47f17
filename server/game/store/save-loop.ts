// The save loop: the scoreboard and the shots and recoveries not yet written go to the archive at least once per
// interval, on demand, and once more on close. A failed write keeps its batch for the next try.
import type { Logger } from '../../log.ts';
import type { FleetStanding, RecoveryEvent, ShotEvent } from '../protocol.ts';
import type { SavedScoreboard } from '../scoring/scoreboard.ts';
import type { Clock } from '../../clock.ts';

export interface SaveBatch {
  data: SavedScoreboard;
  standings: FleetStanding[];
  shots: ShotEvent[];
  recoveries: RecoveryEvent[];
}

export interface SaveLoopOptions {
  clock: Clock;
  /** Default 1000 ms. */
  intervalMs?: number;
  /** The scores to save now. */
  scores(): Pick<SaveBatch, 'data' | 'standings'>;
  /** Writes one batch in one transaction; a throw means nothing was written. */
  write(batch: SaveBatch): void;
  /** After each timed save (time-driven scores move with every tick). */
  onTick?(): void;
  log?: Logger;
}

export class SaveLoop {
  private shots: ShotEvent[] = [];
  private recoveries: RecoveryEvent[] = [];
  private lastSaved = '';
  private timer: unknown;
  private closed = false;

  constructor(private readonly options: SaveLoopOptions) {}

  shot(shot: ShotEvent): void {
    this.shots.push(shot);
  }

  recovery(recovery: RecoveryEvent): void {
    this.recoveries.push(recovery);
  }

  start(): void {
    this.schedule();
  }

  /** Writes what changed since the last save; nothing when nothing did. */
  saveNow(): void {
    const { data, standings } = this.options.scores();
    const saved = JSON.stringify([data, standings]);
    if (saved === this.lastSaved && this.shots.length === 0 && this.recoveries.length === 0) return;
    const shots = this.shots.splice(0);
    const recoveries = this.recoveries.splice(0);
    try {
      this.options.write({ data, standings, shots, recoveries });
      this.lastSaved = saved;
    } catch (err) {
      this.shots.unshift(...shots);
      this.recoveries.unshift(...recoveries);
      this.options.log?.error(
        { err: (err as Error).message },
        'could not save the game; will retry in a second',
      );
    }
  }

  /** Stops the loop after one last save. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.saveNow();
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      this.saveNow();
      this.options.onTick?.();
      this.schedule();
    }, this.options.intervalMs ?? 1000);
  }
}
