// Controller work in slices, so the API answers between them. A room runs a hundred clusters' controllers,
// scheduler and kubelets in one event loop: 100 Deployments created at once fan out into thousands of timer
// callbacks (ReplicaSets, pods, bindings, kubelet transitions) that Node would run in one go before reading any
// socket, and a request arriving meanwhile waited seconds. Here every callback of the clusters sharing a clock
// goes through one queue, run in order for at most SLICE_MS at a time; the rest waits for the next loop turn,
// after the sockets are read, as kube-controller-manager's work queues wait behind the apiserver.
import { performance } from 'node:perf_hooks';
import type { Clock } from '../../clock.ts';

/** How long controller work may hold the event loop before sockets get a turn. */
const SLICE_MS = 2;

interface Entry {
  run: () => void;
  cancelled: boolean;
  /** The underlying timer while a delay is running. */
  timer?: unknown;
}

class PacedClock implements Clock {
  private readonly due: Entry[] = [];
  /** Index of the next entry to run: the queue is consumed from the front without shifting each time. */
  private next = 0;
  private drainScheduled = false;

  constructor(private readonly clock: Clock) {}

  now(): number {
    return this.clock.now();
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const entry: Entry = { run: callback, cancelled: false };
    if (ms > 0) {
      entry.timer = this.clock.setTimeout(() => {
        entry.timer = undefined;
        this.enqueue(entry);
      }, ms);
    } else this.enqueue(entry);
    return entry;
  }

  clearTimeout(handle: unknown): void {
    const entry = handle as Entry | undefined;
    if (!entry) return;
    entry.cancelled = true;
    if (entry.timer !== undefined) this.clock.clearTimeout(entry.timer);
  }

  /**
   * The next slice on the next turn of the loop: a timer due now, which the system clock runs with setImmediate,
   * right after the sockets are polled (server/clock.ts); a test's fake clock runs its own timers.
   */
  private drainNextTurn(): void {
    this.clock.setTimeout(() => this.drain(), 0);
  }

  private enqueue(entry: Entry): void {
    this.due.push(entry);
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    this.drainNextTurn();
  }

  private drain(): void {
    this.drainScheduled = false;
    const started = performance.now();
    while (this.next < this.due.length) {
      const entry = this.due[this.next++] as Entry;
      if (!entry.cancelled) {
        try {
          entry.run();
        } catch (error) {
          // As from a timer of its own: the error surfaces (uncaughtException), the other callbacks still run.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
      if (performance.now() - started >= SLICE_MS) break;
    }
    if (this.next >= this.due.length) {
      this.due.length = 0;
      this.next = 0;
    } else {
      // Drop what ran, so the queue does not grow through a long burst.
      if (this.next > 1024) {
        this.due.splice(0, this.next);
        this.next = 0;
      }
      this.drainScheduled = true;
      this.drainNextTurn();
    }
  }
}

const paced = new WeakMap<Clock, PacedClock>();

/** The clock controllers run on: one paced queue per underlying clock, shared by every cluster using it. */
export function pacedClock(clock: Clock): Clock {
  let found = paced.get(clock);
  if (!found) paced.set(clock, (found = new PacedClock(clock)));
  return found;
}
