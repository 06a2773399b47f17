// In-memory objects keyed by resource, namespace and name, one global resourceVersion, and an event history so
// watchers can resume; watchers are told asynchronously, in resourceVersion order.
import { logger } from '../../log.ts';
import { gone } from '../errors.ts';
import type { KubeObject, WatchEventType } from '../types.ts';

export interface StoredEvent {
  rv: number;
  resourceKey: string;
  type: Exclude<WatchEventType, 'BOOKMARK' | 'ERROR'>;
  object: KubeObject;
  /** The object before this change (MODIFIED/DELETED), for selector transitions. */
  previous?: KubeObject;
}

export interface StoreWatcher {
  resourceKey: string;
  deliver(event: StoredEvent): void;
}

const objectKey = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

/** Writes kept for watches to resume from, unless a store is made with another figure. */
export const DEFAULT_HISTORY_LIMIT = 10_000;

export class ObjectStore {
  private readonly byResource = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoredEvent[] = [];
  /** By resource key: a write is offered only to its resource's watchers. */
  private readonly watchers = new Map<string, Set<StoreWatcher>>();
  /** Each resource's keys in order, kept until a key comes or goes: most writes change objects, not keys. */
  private readonly sortedKeys = new Map<string, string[]>();
  private pending: StoredEvent[] = [];
  private rv = 0;

  constructor(private readonly historyLimit = DEFAULT_HISTORY_LIMIT) {}

  get resourceVersion(): number {
    return this.rv;
  }

  nextResourceVersion(): string {
    return String(this.rv + 1);
  }

  get(resourceKey: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.byResource.get(resourceKey)?.get(objectKey(namespace, name));
  }

  /**
   * The stored objects themselves (shared with every reader: never change them) in key order (namespace/name, by
   * code unit), the order a real apiserver lists in.
   */
  sorted(resourceKey: string, namespace?: string): KubeObject[] {
    const objects = this.byResource.get(resourceKey);
    if (!objects) return [];
    let keys = this.sortedKeys.get(resourceKey);
    if (!keys) this.sortedKeys.set(resourceKey, (keys = [...objects.keys()].sort()));
    const found: KubeObject[] = [];
    for (const key of keys) {
      const object = objects.get(key) as KubeObject;
      if (!namespace || object.metadata.namespace === namespace) found.push(object);
    }
    return found;
  }

  list(resourceKey: string, namespace?: string): KubeObject[] {
    const all = [...(this.byResource.get(resourceKey)?.values() ?? [])];
    return namespace ? all.filter((o) => o.metadata.namespace === namespace) : all;
  }

  /** How many objects of one resource are stored, or of every resource without one. */
  count(resourceKey?: string): number {
    if (resourceKey !== undefined) return this.byResource.get(resourceKey)?.size ?? 0;
    let total = 0;
    for (const objects of this.byResource.values()) total += objects.size;
    return total;
  }

  /** Stores the object with the next resourceVersion and records the event; returns the stored object. */
  put(resourceKey: string, object: KubeObject, type: 'ADDED' | 'MODIFIED'): KubeObject {
    this.rv += 1;
    const stored = { ...object, metadata: { ...object.metadata, resourceVersion: String(this.rv) } };
    let objects = this.byResource.get(resourceKey);
    if (!objects) this.byResource.set(resourceKey, (objects = new Map()));
    const key = objectKey(stored.metadata.namespace, stored.metadata.name ?? '');
    const previous = objects.get(key);
    if (!previous) this.sortedKeys.delete(resourceKey);
    objects.set(key, stored);
    this.record({ rv: this.rv, resourceKey, type, object: stored, ...(previous ? { previous } : {}) });
    return stored;
  }

  remove(resourceKey: string, object: KubeObject): KubeObject {
    this.rv += 1;
    const key = objectKey(object.metadata.namespace, object.metadata.name ?? '');
    const previous = this.byResource.get(resourceKey)?.get(key);
    if (this.byResource.get(resourceKey)?.delete(key)) this.sortedKeys.delete(resourceKey);
    const removed = { ...object, metadata: { ...object.metadata, resourceVersion: String(this.rv) } };
    this.record({
      rv: this.rv,
      resourceKey,
      type: 'DELETED',
      object: removed,
      ...(previous ? { previous } : {}),
    });
    return removed;
  }

  /** Events after `rv` for one resource; throws Gone when history no longer reaches back that far. */
  since(resourceKey: string, rv: number): StoredEvent[] {
    const oldest = this.history[0]?.rv ?? this.rv + 1;
    if (rv < oldest - 1 && rv < this.rv) {
      throw gone(`too old resource version: ${rv} (${oldest - 1})`);
    }
    return this.history.filter((e) => e.rv > rv && e.resourceKey === resourceKey);
  }

  subscribe(watcher: StoreWatcher): () => void {
    const watchers = this.watchers.get(watcher.resourceKey) ?? new Set<StoreWatcher>();
    this.watchers.set(watcher.resourceKey, watchers);
    watchers.add(watcher);
    return () => watchers.delete(watcher);
  }

  snapshot(): { resourceVersion: number; objects: KubeObject[] } {
    return {
      resourceVersion: this.rv,
      objects: [...this.byResource.values()].flatMap((objects) => [...objects.values()]),
    };
  }

  /** Loads objects without events; resourceVersions continue after the snapshot's. */
  load(resourceKey: string, object: KubeObject): void {
    let objects = this.byResource.get(resourceKey);
    if (!objects) this.byResource.set(resourceKey, (objects = new Map()));
    objects.set(objectKey(object.metadata.namespace, object.metadata.name ?? ''), object);
    this.sortedKeys.delete(resourceKey);
  }

  /**
   * Continues after a restored snapshot's resourceVersion. The events recorded before the jump do not describe what
   * happened up to it, so the history restarts empty: resuming from any earlier resourceVersion is then Gone (410)
   * and the client relists, instead of silently missing what changed while the sandbox was down.
   */
  setResourceVersion(rv: number): void {
    if (rv <= this.rv) return;
    this.rv = rv;
    this.history.length = 0;
  }

  private record(event: StoredEvent): void {
    this.history.push(event);
    // Trim in steps of a quarter of the limit: one splice per 2,500 writes instead of one per write.
    if (this.history.length > this.historyLimit * 1.25)
      this.history.splice(0, this.history.length - this.historyLimit);
    if (this.pending.length === 0) queueMicrotask(() => this.flush());
    this.pending.push(event);
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    for (const event of batch) {
      const watchers = this.watchers.get(event.resourceKey);
      if (!watchers) continue;
      for (const watcher of [...watchers]) {
        // This runs in a microtask: an exception here would end the whole process, not one watch. A watcher that
        // throws is dropped, so it cannot fail again on every later event; the others still get this one.
        try {
          watcher.deliver(event);
        } catch (error) {
          watchers.delete(watcher);
          logger.error({ err: error, resource: event.resourceKey }, 'a watcher failed and was closed');
        }
      }
    }
  }
}
