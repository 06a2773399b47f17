// Injected time: the sandbox's controllers and stages and the game's timers take a Clock, so tests drive them with
// a fake one instead of waiting.

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** A callback due now: Node's setTimeout(…, 0) waits at least a millisecond; setImmediate runs once I/O is read. */
class Immediate {
  constructor(readonly handle: NodeJS.Immediate) {}
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => (ms <= 0 ? new Immediate(setImmediate(callback)) : setTimeout(callback, ms)),
  clearTimeout: (handle) => {
    if (handle instanceof Immediate) clearImmediate(handle.handle);
    else clearTimeout(handle as NodeJS.Timeout);
  },
};
