// What the benchmarks share: a clock comparable across processes, a thread's CPU time, percentiles, a role of the same
// script run in a child process that answers by typed messages, the battle's layout of fleets and battle screens
// following the game's feed.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { io, type Socket } from 'socket.io-client';
import { GAME_EVENTS } from '../server/game/protocol.ts';
import type { GamePatch, GameSnapshot } from '../server/game/protocol.ts';

/**
 * This process's main thread's CPU time (µs) from Linux's schedstat; NaN elsewhere. The rest of the process's CPU is
 * V8's helper threads (concurrent compiling, most of it while code warms up, and parallel and concurrent GC) and
 * libuv's pool.
 */
export function mainThreadCpuUs(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
  } catch {
    return Number.NaN;
  }
}

/** The game benchmarks' battle: 100 fleets over 10 namespaces, fleet f in namespace f mod 10. */
export const BATTLE_FLEETS = 100;
export const BATTLE_NAMESPACES = Array.from({ length: 10 }, (_, i) => `fleets-${i}`);

/** Where the n-th of a run's fleet members flies (the fleet n mod 100): its namespace and game labels. */
export function battleFleetMember(n: number): { namespace: string; labels: Record<string, string> } {
  const fleet = n % BATTLE_FLEETS;
  return {
    namespace: BATTLE_NAMESPACES[fleet % BATTLE_NAMESPACES.length] as string,
    labels: { game: 'starwars', player: `fleet-${String(fleet).padStart(2, '0')}` },
  };
}

/**
 * Milliseconds on the monotonic clock every process of the machine shares (CLOCK_MONOTONIC on Linux), so that a time
 * taken in one process can be subtracted from one taken in another. `performance.timeOrigin + performance.now()` is
 * not: each process fixes its time origin at start, and two processes here disagreed by up to 1.5 ms.
 */
export const now = () => Number(process.hrtime.bigint()) / 1e6;

/** The p-th percentile (nearest rank), rounded to `decimals` places (sub-millisecond figures want 2). */
export function percentile(samples: number[], p: number, decimals = 1): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  const scale = 10 ** decimals;
  return Math.round((sorted[Math.max(0, index)] ?? 0) * scale) / scale;
}

export type Message = { type: string; [key: string]: unknown };

export interface RoleProcess {
  process: ChildProcess;
  /**
   * The next message of this type from the child (ask before it can arrive); rejects after timeoutMs, or as soon as
   * the child has exited.
   */
  next(type: string, timeoutMs?: number): Promise<Message>;
  /** Sends `message`, and waits for the child's next message of type `answer` (registered before sending). */
  ask(message: Message, answer?: string, timeoutMs?: number): Promise<Message>;
}

/**
 * Runs `script` again in a child process with `args` (its role), logging only warnings. With BENCH_CPU_PROF=DIR each
 * role writes a V8 CPU profile there (Node refuses --cpu-prof in NODE_OPTIONS).
 */
export function forkRole(script: string, args: string[]): RoleProcess {
  const profileDir = process.env['BENCH_CPU_PROF'];
  const proc = fork(script, args, {
    env: { ...process.env, KUBEWARS_LOG_LEVEL: 'warn' },
    execArgv: [...process.execArgv, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // A failed run must not leave a platform or 100 sockets behind.
  process.once('exit', () => proc.kill());
  const waiting = new Map<string, { answer: (message: Message) => void; fail: (error: Error) => void }>();
  proc.on('message', (message: Message) => {
    const waiter = waiting.get(message.type);
    waiting.delete(message.type);
    waiter?.answer(message);
  });
  // A role that failed (an exception, a refused connection) says so at once, not after a wait's whole timeout.
  let gone: string | undefined;
  proc.on('exit', (code, signal) => {
    gone = `${args.join(' ')} exited (${signal ?? `code ${code}`})`;
    for (const [type, waiter] of waiting) waiter.fail(new Error(`${gone} before sending "${type}"`));
    waiting.clear();
  });
  const next: RoleProcess['next'] = (type, timeoutMs = 180_000) =>
    new Promise((resolve, reject) => {
      if (gone) return reject(new Error(`${gone} before sending "${type}"`));
      const timer = setTimeout(() => reject(new Error(`no "${type}" from ${args.join(' ')}`)), timeoutMs);
      waiting.set(type, {
        answer: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
        fail: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  return {
    process: proc,
    next,
    ask: (message, answer = message.type, timeoutMs) => {
      const answered = next(answer, timeoutMs);
      proc.send(message);
      return answered;
    },
  };
}

/**
 * The loopback address client `i` connects from (127.0.0.10 … 127.0.0.19): the platform allows 64 game sockets per
 * client address, so 100 or 200 screens come from a room's worth of machines, not one.
 */
export function clientAddress(i: number): string {
  return `127.0.0.${10 + (i % 10)}`;
}

export interface ScreenEvents {
  /** Once every screen has seen a change: `run:<uid>` (a ship flying) or `del:<uid>` (destroyed or removed). */
  arrived(key: string): void;
  /** After screen `index` applied a snapshot or a patch, with the ships it now shows flying. */
  updated?(index: number, flying: ReadonlySet<string>): void;
}

export interface Screens {
  sockets: Socket[];
  /** Patches that did not follow the last one, each answered with a resync as a browser does. */
  gaps(): number;
}

/** `count` battle screens on /game, one connection each (as browsers have), following the feed as the pages do. */
export function openScreens(url: string, count: number, events: ScreenEvents): Screens {
  const screensWith = new Map<string, number>();
  let gaps = 0;
  const arrive = (seen: Set<string>, key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const screens = (screensWith.get(key) ?? 0) + 1;
    screensWith.set(key, screens);
    if (screens === count) {
      screensWith.delete(key);
      events.arrived(key);
    }
  };
  const sockets = Array.from({ length: count }, (_, index) => {
    // forceNew: one connection per screen (socket.io multiplexes otherwise).
    const socket = io(`${url}/game`, {
      transports: ['websocket'],
      forceNew: true,
      localAddress: clientAddress(index),
    } as Parameters<typeof io>[1]);
    const seen = new Set<string>();
    const flying = new Set<string>();
    let seq: number | null = null;
    socket.on(GAME_EVENTS.snapshot, (snapshot: GameSnapshot) => {
      seq = snapshot.seq;
      flying.clear();
      for (const ship of snapshot.ships) if (ship.state === 'flying') flying.add(ship.uid);
      events.updated?.(index, flying);
    });
    socket.on(GAME_EVENTS.patch, (patch: GamePatch) => {
      if (seq === null || patch.seq !== seq + 1) {
        gaps++;
        socket.emit(GAME_EVENTS.resync);
        return;
      }
      seq = patch.seq;
      for (const op of patch.ops) {
        if (op.op === 'shipRemoved') {
          flying.delete(op.uid);
          arrive(seen, `del:${op.uid}`);
        } else if (op.op === 'ship' && op.ship.state === 'flying') {
          flying.add(op.ship.uid);
          arrive(seen, `run:${op.ship.uid}`);
        } else if (op.op === 'ship') {
          flying.delete(op.ship.uid);
          if (op.ship.state === 'destroyed') arrive(seen, `del:${op.ship.uid}`);
        }
      }
      events.updated?.(index, flying);
    });
    return socket;
  });
  return { sockets, gaps: () => gaps };
}
