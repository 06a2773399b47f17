// The data directory's lock: one game server per data directory. A process id alone cannot tell owners apart (two
// containers on one volume are both pid 1; after a reboot pids come back), so the lock file, created exclusively,
// records the host, the boot, the pid and that process's start time, and is only taken over from an owner that is
// provably gone: same host and boot, and no process with that pid and start time.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = 'game.lock';

/** Who holds a data directory. `bootId` and `processStart` are Linux's; elsewhere they are null. */
export interface LockOwner {
  host: string;
  pid: number;
  bootId: string | null;
  /** The process's start, in clock ticks after boot (/proc/<pid>/stat): with the boot, it names one process. */
  processStart: string | null;
  /** When the lock was taken, for people reading the file or the error. */
  startedAt: string;
}

const readOrNull = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
};

/** Field 22 of /proc/<pid>/stat, after the command name (which may hold spaces and parentheses). */
export function processStart(pid: number): string | null {
  const stat = readOrNull(`/proc/${pid}/stat`);
  if (stat === null) return null;
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
}

const bootId = () => readOrNull('/proc/sys/kernel/random/boot_id');

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function currentOwner(now: Date = new Date()): LockOwner {
  return {
    host: hostname(),
    pid: process.pid,
    bootId: bootId(),
    processStart: processStart(process.pid),
    startedAt: now.toISOString(),
  };
}

/** An owner this host can prove gone; one on another host, or unreadable, is presumed alive. */
function isGone(owner: Partial<LockOwner>, me: LockOwner): boolean {
  if (owner.host !== me.host || typeof owner.pid !== 'number') return false;
  if (owner.bootId && me.bootId && owner.bootId !== me.bootId) return true;
  if (!isRunning(owner.pid)) return true;
  // The pid runs, but as another process (pid reuse, or this very pid in a restarted container).
  if (owner.processStart && me.processStart) return processStart(owner.pid) !== owner.processStart;
  return owner.pid === me.pid;
}

function describe(owner: Partial<LockOwner>): string {
  return `host ${owner.host ?? '?'}, pid ${owner.pid ?? '?'}, started ${owner.startedAt ?? 'at an unknown time'}`;
}

function createExclusive(path: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, `${JSON.stringify(owner, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Takes the data directory for this process, or throws saying who holds it. Returns the release, which removes the
 * lock only while it is still this process's.
 */
export function claimDataDir(dataDir: string, me: LockOwner = currentOwner()): () => void {
  const path = join(dataDir, LOCK_FILE);
  if (!createExclusive(path, me)) {
    const text = readOrNull(path);
    let owner: Partial<LockOwner> = {};
    try {
      owner = JSON.parse(text ?? '') as Partial<LockOwner>;
    } catch {
      // half-written or hand-edited: presumed alive, the error says how to recover
    }
    if (!isGone(owner, me)) {
      throw new Error(
        `Another Kube Wars game server (${describe(owner)}) is using ${dataDir}: stop it, or give this one its own data directory. If it is gone for good, delete ${path}.`,
      );
    }
    rmSync(path, { force: true });
    // Two servers taking over one stale lock at once: the exclusive create lets only one of them in.
    if (!createExclusive(path, me)) {
      throw new Error(`Another Kube Wars game server took ${dataDir} at the same moment: start only one.`);
    }
  }
  const mine = JSON.stringify(me, null, 2);
  return () => {
    if (readOrNull(path) === mine) rmSync(path, { force: true });
  };
}
