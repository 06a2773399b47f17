// Destroyed ships stay on screens for their explosion, then leave the game.
import type { Clock } from '../../clock.ts';

export class Wrecks {
  private readonly timers = new Map<string, unknown>();

  constructor(
    private readonly clock: Clock,
    private readonly ms: number,
    private readonly remove: (uid: string) => void,
  ) {}

  /** Removes the ship `ms` from now (once, however often it is reported destroyed). */
  add(uid: string): void {
    if (this.timers.has(uid)) return;
    this.timers.set(
      uid,
      this.clock.setTimeout(() => {
        this.timers.delete(uid);
        this.remove(uid);
      }, this.ms),
    );
  }

  close(): void {
    for (const timer of this.timers.values()) this.clock.clearTimeout(timer);
    this.timers.clear();
  }
}
