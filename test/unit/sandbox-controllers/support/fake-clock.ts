// A clock tests drive by hand: timers fire only when `advance` passes their time.
import type { Clock } from '../../../../server/sandbox/types.ts';

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

  /** Fire the earliest due timer (at or before `until`), moving time to it; false when none is due. */
  fireNext(until: number): boolean {
    let earliest: Timer | undefined;
    for (const timer of this.timers)
      if (timer.at <= until && (!earliest || timer.at < earliest.at)) earliest = timer;
    if (!earliest) return false;
    this.timers = this.timers.filter((t) => t !== earliest);
    this.current = Math.max(this.current, earliest.at);
    earliest.run();
    return true;
  }

  set(time: number): void {
    this.current = Math.max(this.current, time);
  }
}

/** A seeded random source (mulberry32), so runs repeat exactly. */
export function seededRandom(seed = 42): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
