// --state: the sandbox's objects survive a restart. Snapshots are written atomically (temp file + rename), at most
// once a second while something changes, and once more on stop.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../errors.ts';
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
  writeFileSync(partial, JSON.stringify(registry.snapshot()));
  renameSync(partial, path);
}

/** Saves whenever the resourceVersion moved since the last save; returns a function that stops and saves once more. */
export function keepStateSaved(registry: SandboxRegistry, path: string, everyMs = 1000): () => void {
  let saved = registry.currentResourceVersion();
  const save = () => {
    const current = registry.currentResourceVersion();
    if (current === saved) return;
    writeState(registry, path);
    saved = current;
  };
  const timer = setInterval(save, everyMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    writeState(registry, path);
  };
}
