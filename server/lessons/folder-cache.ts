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
 * folders changes: so a lesson edited during development shows on the next request, and an unchanged course is read
 * and rendered once. Keys must come from a bounded set (languages, lessons found), never from raw request input.
 */
export class FolderCache {
  private readonly entries = new Map<string, Entry>();

  get<V>(key: string, folders: string[], compute: () => V): V {
    // Stamped before computing: a file changed while it is read makes the next request compute again.
    const stamps = folders.map(folderStamp);
    const entry = this.entries.get(key);
    if (entry && entry.stamps.every((stamp, i) => stamp === stamps[i]) && entry.stamps.length === stamps.length) {
      return entry.value as V;
    }
    const value = compute();
    this.entries.set(key, { value, stamps });
    return value;
  }
}
