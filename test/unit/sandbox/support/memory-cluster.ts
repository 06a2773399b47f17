// A small in-memory ClusterClient for controller tests: resourceVersions, generation, status subresource, merge
// patch, graceful pod deletion, finalizers and asynchronous ordered watches — the registry semantics controllers
// rely on, without the HTTP server.
import type {
  ClusterClient,
  DeleteOptions,
  KubeObject,
  ListOptions,
  PatchType,
  ResourceRef,
  WatchEvent,
  WatchOptions,
  WriteOptions,
} from '../../../../server/sandbox/types.ts';
import { applyMergePatch } from '../../../../server/sandbox/patch/merge-patch.ts';
import { allocateServiceAddresses } from '../../../../server/sandbox/registry/service-ips.ts';
import { seededRandom } from '../../../../server/random.ts';
import type { FakeClock } from '../../../support/fake-clock.ts';

class StatusError extends Error {
  constructor(readonly status: { code: number; reason: string }) {
    super(status.reason);
  }
}

const refKey = (ref: ResourceRef) => `${ref.group}/${ref.resource}`;
const objectKey = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`;

interface Watcher {
  ref: string;
  namespace?: string;
  onEvent: (event: WatchEvent) => void;
  queue: WatchEvent[];
}

export class MemoryCluster implements ClusterClient {
  private readonly stores = new Map<string, Map<string, KubeObject>>();
  private readonly watchers = new Set<Watcher>();
  private version = 100;
  private uidCounter = 0;
  /** Seeded, so the addresses a test's Services get are the same on every run. */
  private readonly random = seededRandom();
  writes = 0;

  constructor(private readonly clock: FakeClock) {}

  private store(ref: ResourceRef): Map<string, KubeObject> {
    let store = this.stores.get(refKey(ref));
    if (!store) this.stores.set(refKey(ref), (store = new Map()));
    return store;
  }

  private emit(ref: ResourceRef, type: WatchEvent['type'], object: KubeObject): void {
    for (const watcher of this.watchers) {
      if (watcher.ref !== refKey(ref)) continue;
      if (watcher.namespace && watcher.namespace !== object.metadata.namespace) continue;
      watcher.queue.push({ type, object: structuredClone(object) });
    }
  }

  /** Deliver queued watch events; returns how many. */
  deliver(): number {
    let delivered = 0;
    for (const watcher of this.watchers) {
      while (watcher.queue.length) {
        const event = watcher.queue.shift() as WatchEvent;
        delivered++;
        watcher.onEvent(event);
      }
    }
    return delivered;
  }

  private stamp(object: KubeObject): KubeObject {
    object.metadata.resourceVersion = String(++this.version);
    this.writes++;
    return object;
  }

  get(ref: ResourceRef, namespace: string | undefined, name: string): KubeObject {
    const found = this.tryGet(ref, namespace, name);
    if (!found) throw new StatusError({ code: 404, reason: 'NotFound' });
    return found;
  }

  tryGet(ref: ResourceRef, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.store(ref).get(objectKey(namespace, name));
    return found ? structuredClone(found) : undefined;
  }

  list(ref: ResourceRef, options: ListOptions = {}): { items: KubeObject[]; resourceVersion: string } {
    const items = [...this.store(ref).values()]
      .filter((o) => !options.namespace || o.metadata.namespace === options.namespace)
      .map((o) => structuredClone(o));
    return { items, resourceVersion: String(this.version) };
  }

  create(
    ref: ResourceRef,
    namespace: string | undefined,
    object: KubeObject,
    _options?: WriteOptions,
  ): KubeObject {
    const copy = structuredClone(object);
    copy.metadata.namespace = namespace;
    const key = objectKey(namespace, copy.metadata.name ?? '');
    if (this.store(ref).has(key)) throw new StatusError({ code: 409, reason: 'AlreadyExists' });
    copy.metadata.uid = `uid-${++this.uidCounter}`;
    copy.metadata.creationTimestamp = new Date(this.clock.now()).toISOString();
    copy.metadata.generation = 1;
    if (copy.kind === 'Service') {
      // The apiserver gives a Service its addresses on create, before any controller sees it.
      const allocation = allocateServiceAddresses(copy, [...this.store(ref).values()], this.random);
      if (!allocation.ok) throw new StatusError({ code: 422, reason: 'Invalid' });
      copy.spec = allocation.spec;
    }
    this.stamp(copy);
    this.store(ref).set(key, copy);
    this.emit(ref, 'ADDED', copy);
    return structuredClone(copy);
  }

  update(
    ref: ResourceRef,
    namespace: string | undefined,
    object: KubeObject,
    options: WriteOptions = {},
  ): KubeObject {
    const key = objectKey(namespace, object.metadata.name ?? '');
    const current = this.store(ref).get(key);
    if (!current) throw new StatusError({ code: 404, reason: 'NotFound' });
    if (
      object.metadata.resourceVersion &&
      object.metadata.resourceVersion !== current.metadata.resourceVersion
    ) {
      throw new StatusError({ code: 409, reason: 'Conflict' });
    }
    let next: KubeObject;
    if (options.subresource === 'status')
      next = { ...structuredClone(current), status: structuredClone(object.status) };
    else {
      next = { ...structuredClone(object), status: structuredClone(current.status) };
      next.metadata = {
        ...structuredClone(object.metadata),
        uid: current.metadata.uid,
        creationTimestamp: current.metadata.creationTimestamp,
      };
      next.metadata.deletionTimestamp = current.metadata.deletionTimestamp;
      next.metadata.generation =
        JSON.stringify(object.spec) === JSON.stringify(current.spec)
          ? current.metadata.generation
          : (current.metadata.generation ?? 1) + 1;
    }
    return this.commit(ref, key, next);
  }

  private commit(ref: ResourceRef, key: string, next: KubeObject): KubeObject {
    this.stamp(next);
    if (
      next.metadata.deletionTimestamp &&
      !next.metadata.finalizers?.length &&
      !this.waitsForKubelet(ref, next)
    ) {
      this.store(ref).delete(key);
      this.emit(ref, 'DELETED', next);
    } else {
      this.store(ref).set(key, next);
      this.emit(ref, 'MODIFIED', next);
    }
    return structuredClone(next);
  }

  private waitsForKubelet(ref: ResourceRef, object: KubeObject): boolean {
    // A namespace waits for its `kubernetes` finalizer (spec.finalizers), as the registry contract says.
    if (ref.resource === 'namespaces')
      return Boolean((object.spec as { finalizers?: string[] } | undefined)?.finalizers?.length);
    return (
      ref.resource === 'pods' &&
      Boolean((object.spec as { nodeName?: string }).nodeName) &&
      (object.metadata.deletionGracePeriodSeconds ?? 0) > 0
    );
  }

  patch(
    ref: ResourceRef,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    options: WriteOptions = {},
  ): KubeObject {
    if (type !== 'merge') throw new StatusError({ code: 415, reason: 'UnsupportedMediaType' });
    const current = this.get(ref, namespace, name);
    const merged = applyMergePatch(current, patch) as KubeObject;
    const wanted = (patch as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
    merged.metadata.resourceVersion = wanted ?? current.metadata.resourceVersion;
    if (options.subresource === 'status')
      return this.update(ref, namespace, { ...current, status: merged.status }, options);
    return this.update(ref, namespace, { ...merged, status: current.status }, options);
  }

  delete(
    ref: ResourceRef,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): KubeObject {
    const key = objectKey(namespace, name);
    const current = this.store(ref).get(key);
    if (!current) throw new StatusError({ code: 404, reason: 'NotFound' });
    if (options.preconditions?.uid && options.preconditions.uid !== current.metadata.uid) {
      throw new StatusError({ code: 409, reason: 'Conflict' });
    }
    const next = structuredClone(current);
    // As the registry: a propagation finalizer is added once, pods included.
    const finalizer = { Foreground: 'foregroundDeletion', Orphan: 'orphan', Background: undefined }[
      options.propagationPolicy ?? 'Background'
    ];
    if (finalizer && !next.metadata.deletionTimestamp)
      next.metadata.finalizers = [...new Set([...(next.metadata.finalizers ?? []), finalizer])];
    const grace =
      options.gracePeriodSeconds ??
      (next.spec as { terminationGracePeriodSeconds?: number } | undefined)?.terminationGracePeriodSeconds ??
      30;
    if (ref.resource === 'pods' && (next.spec as { nodeName?: string }).nodeName && grace > 0) {
      if (next.metadata.deletionTimestamp) return structuredClone(next);
      next.metadata.deletionTimestamp = new Date(this.clock.now() + grace * 1000).toISOString();
      next.metadata.deletionGracePeriodSeconds = grace;
      return this.commit(ref, key, next);
    }
    next.metadata.deletionTimestamp ??= new Date(this.clock.now()).toISOString();
    next.metadata.deletionGracePeriodSeconds = 0;
    return this.commit(ref, key, next);
  }

  watch(ref: ResourceRef, options: WatchOptions, onEvent: (event: WatchEvent) => void): () => void {
    const watcher: Watcher = {
      ref: refKey(ref),
      onEvent,
      queue: [],
      ...(options.namespace ? { namespace: options.namespace } : {}),
    };
    for (const object of this.store(ref).values()) {
      if (options.namespace && object.metadata.namespace !== options.namespace) continue;
      watcher.queue.push({ type: 'ADDED', object: structuredClone(object) });
    }
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }
}

/** Run the cluster: deliver events and fire timers until quiet, or until `forMs` of fake time has passed. */
export function settle(cluster: MemoryCluster, clock: FakeClock, forMs = 0): void {
  const until = clock.now() + forMs;
  for (let guard = 0; guard < 200_000; guard++) {
    if (cluster.deliver() > 0) continue;
    if (!clock.fireNext(until)) {
      clock.set(until);
      return;
    }
  }
  throw new Error('cluster did not settle');
}
