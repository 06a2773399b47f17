// --state: the sandbox's objects survive a restart. Snapshots are written atomically (temp file + rename), at most
// once a second while something changes, and once more on stop. They hold Secrets: only the owner may read them.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../errors.ts';
import { type Logger, logger } from '../log.ts';
import type { SandboxRegistry } from './types.ts';

export function restoreState(registry: SandboxRegistry, path: string): void {
  if (!existsSync(path)) return;
  let state: ReturnType<SandboxRegistry['snapshot']>;
  try {
    state = JSON.parse(readFileSync(path, 'utf8')) as ReturnType<SandboxRegistry['snapshot']>;
  } catch (error) {
    throw new UserError(
      `The sandbox state file ${path} is not readable JSON (${(error as Error).message}).`,
      'Move it away to start with an empty cluster, or restore a backup of it.',
    );
  }
  registry.restore(state);
}

export function writeState(registry: SandboxRegistry, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.tmp`;
  // A mode only applies to a new file: a temp file left by a crash goes first.
  rmSync(partial, { force: true });
  writeFileSync(partial, JSON.stringify(registry.snapshot()), { mode: 0o600 });
  renameSync(partial, path);
}

/**
 * One save of the state when the resourceVersion moved since the last one. A failed write (a full disk) is logged
 * once, not thrown: the platform keeps serving the workshop, and the next save tries again.
 */
export function stateSaver(registry: SandboxRegistry, path: string, log: Logger = logger): () => void {
  let saved = registry.currentResourceVersion();
  let failing = false;
  return () => {
    const current = registry.currentResourceVersion();
    if (current === saved) return;
    try {
      writeState(registry, path);
    } catch (error) {
      if (!failing) {
        log.error(
          { path, err: (error as Error).message },
          'could not save the sandbox state (is the disk full?); the cluster keeps running and saving is retried every second',
        );
      }
      failing = true;
      return;
    }
    if (failing) log.info({ path }, 'the sandbox state is saved again');
    failing = false;
    saved = current;
  };
}

/** Saves whenever the resourceVersion moved since the last save; returns a function that stops and saves once more. */
export function keepStateSaved(registry: SandboxRegistry, path: string, everyMs = 1000): () => void {
  const save = stateSaver(registry, path);
  const timer = setInterval(save, everyMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    writeState(registry, path);
  };
}
