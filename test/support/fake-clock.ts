// A clock tests drive by hand: timers run in time order when time is moved past them, never by waiting.
import type { Clock } from '../../server/clock.ts';

interface Timer {
  id: number;
  at: number;
  run: () => void;
}

export class FakeClock implements Clock {
  private current: number;
  private timers: Timer[] = [];
  private nextId = 1;

  constructor(start = Date.parse('2026-03-01T10:00:00Z')) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, at: this.current + Math.max(0, ms), run: callback };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  get pending(): number {
    return this.timers.length;
  }

  /** Fires the earliest due timer (at or before `until`), moving time to it; false when none is due. */
  fireNext(until: number): boolean {
    let earliest: Timer | undefined;
    for (const timer of this.timers)
      if (
        timer.at <= until &&
        (!earliest || timer.at < earliest.at || (timer.at === earliest.at && timer.id < earliest.id))
      )
        earliest = timer;
    if (!earliest) return false;
    this.timers = this.timers.filter((t) => t !== earliest);
    this.current = Math.max(this.current, earliest.at);
    earliest.run();
    return true;
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way. */
  advance(ms: number): void {
    const end = this.current + ms;
    while (this.fireNext(end));
    this.current = Math.max(this.current, end);
  }

  /** Moves time to `time` without running timers (never backwards). */
  set(time: number): void {
    this.current = Math.max(this.current, time);
  }
}
