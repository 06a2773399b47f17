import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A folder's state as one string: its entries' names, modification times and sizes. Editing, adding, removing or
 * renaming a file in it changes the string; reading it costs a readdir and a stat per entry, no file contents.
 */
export function folderStamp(folder: string): string {
  let names: string[];
  try {
    names = readdirSync(folder).sort();
  } catch {
    return 'absent';
  }
  return names
    .map((name) => {
      const stat = statSync(join(folder, name), { throwIfNoEntry: false });
      return `${name}:${stat?.mtimeMs ?? '-'}:${stat?.size ?? '-'}`;
    })
    .join('\n');
}

interface Entry {
  value: unknown;
  stamps: string[];
}

/**
 * Values computed from the files of some folders (parsed lessons, rendered pages), kept until a file in one of those
 * folders changes: so a lesson edited during development shows within `recheckMs`, and an unchanged course is read
 * and rendered once. A folder is stamped again at most every `recheckMs`, so a busy room costs no disk reads at all.
 * Keys must come from a bounded set (languages, lessons found), never from raw request input.
 */
export class FolderCache {
  private readonly entries = new Map<string, Entry>();
  private readonly stamps = new Map<string, { stamp: string; at: number }>();

  constructor(
    private readonly now: () => number,
    private readonly recheckMs = 1000,
  ) {}

  get<V>(key: string, folders: string[], compute: () => V): V {
    // Stamped before computing: a file changed while it is read makes a later request compute again.
    const stamps = folders.map((folder) => this.stamp(folder));
    const entry = this.entries.get(key);
    if (entry && entry.stamps.length === stamps.length && entry.stamps.every((stamp, i) => stamp === stamps[i])) {
      return entry.value as V;
    }
    const value = compute();
    this.entries.set(key, { value, stamps });
    return value;
  }

  private stamp(folder: string): string {
    const at = this.now();
    const known = this.stamps.get(folder);
    if (known && at - known.at < this.recheckMs) return known.stamp;
    const stamp = folderStamp(folder);
    this.stamps.set(folder, { stamp, at });
    return stamp;
  }
}
