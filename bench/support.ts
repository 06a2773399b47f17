// What the multi-process benchmarks share: a clock comparable across processes, percentiles, and a role of the
// same script run in a child process that answers by typed messages.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes on one machine. */
export const now = () => performance.timeOrigin + performance.now();

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, index)] ?? 0) * 10) / 10;
}

export type Message = { type: string; [key: string]: unknown };

export interface RoleProcess {
  process: ChildProcess;
  /** The next message of this type from the child (ask before it can arrive); rejects after timeoutMs. */
  next(type: string, timeoutMs?: number): Promise<Message>;
}

/** Runs `script` again in a child process with `args` (its role), logging only warnings. */
export function forkRole(script: string, args: string[]): RoleProcess {
  const proc = fork(script, args, {
    env: { ...process.env, KUBEWARS_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // A failed run must not leave a platform or 100 sockets behind.
  process.once('exit', () => proc.kill());
  const waiting = new Map<string, (message: Message) => void>();
  proc.on('message', (message: Message) => {
    const waiter = waiting.get(message.type);
    waiting.delete(message.type);
    waiter?.(message);
  });
  return {
    process: proc,
    next: (type, timeoutMs = 180_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${type}" from ${args.join(' ')}`)), timeoutMs);
        waiting.set(type, (message) => {
          clearTimeout(timer);
          resolve(message);
        });
      }),
  };
}

/**
 * The loopback address client `i` connects from (127.0.0.10 … 127.0.0.19): the platform allows 64 game sockets per
 * client address, so 100 or 200 screens come from a room's worth of machines, not one.
 */
export function clientAddress(i: number): string {
  return `127.0.0.${10 + (i % 10)}`;
}
