// The machinery every controller shares: a watch-fed cache, a coalescing reconcile queue, one timer per key.
import { logger } from '../../log.ts';
import type { ClusterClient, KubeObject, ResourceRef, WatchEvent } from '../types.ts';
import type { Clock } from '../../clock.ts';
import { statusCode } from '../../errors.ts';

export const REF = {
  pods: { group: '', resource: 'pods' },
  nodes: { group: '', resource: 'nodes' },
  namespaces: { group: '', resource: 'namespaces' },
  services: { group: '', resource: 'services' },
  endpoints: { group: '', resource: 'endpoints' },
  events: { group: '', resource: 'events' },
  configmaps: { group: '', resource: 'configmaps' },
  serviceaccounts: { group: '', resource: 'serviceaccounts' },
  secrets: { group: '', resource: 'secrets' },
  persistentvolumeclaims: { group: '', resource: 'persistentvolumeclaims' },
  persistentvolumes: { group: '', resource: 'persistentvolumes' },
  replicationcontrollers: { group: '', resource: 'replicationcontrollers' },
  replicasets: { group: 'apps', resource: 'replicasets' },
  deployments: { group: 'apps', resource: 'deployments' },
  daemonsets: { group: 'apps', resource: 'daemonsets' },
  statefulsets: { group: 'apps', resource: 'statefulsets' },
  jobs: { group: 'batch', resource: 'jobs' },
  cronjobs: { group: 'batch', resource: 'cronjobs' },
  endpointslices: { group: 'discovery.k8s.io', resource: 'endpointslices' },
  poddisruptionbudgets: { group: 'policy', resource: 'poddisruptionbudgets' },
  leases: { group: 'coordination.k8s.io', resource: 'leases' },
  ingresses: { group: 'networking.k8s.io', resource: 'ingresses' },
  ingressclasses: { group: 'networking.k8s.io', resource: 'ingressclasses' },
  storageclasses: { group: 'storage.k8s.io', resource: 'storageclasses' },
  clusterroles: { group: 'rbac.authorization.k8s.io', resource: 'clusterroles' },
  resourcequotas: { group: '', resource: 'resourcequotas' },
} as const satisfies Record<string, ResourceRef>;

export function keyOf(object: KubeObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
}

export type ChangeHandler = (
  type: WatchEvent['type'],
  object: KubeObject,
  previous: KubeObject | undefined,
) => void;

/** The uid of the object's controller (ownerReference with controller: true). */
export function controllerUid(object: KubeObject): string | undefined {
  return object.metadata.ownerReferences?.find((ref) => ref.controller)?.uid;
}

/** A local copy of one resource, kept by its watch; handlers get the previous version, which watches do not send. */
export class Informer {
  readonly objects = new Map<string, KubeObject>();
  private readonly handlers: ChangeHandler[] = [];
  /** index name → value → key → object */
  private readonly indexes = new Map<
    string,
    { of: (o: KubeObject) => string[]; map: Map<string, Map<string, KubeObject>> }
  >();
  private stopWatch: (() => void) | undefined;

  constructor(
    private readonly client: ClusterClient,
    readonly ref: ResourceRef,
  ) {}

  onChange(handler: ChangeHandler): void {
    this.handlers.push(handler);
  }

  /** Keep objects findable by a derived value (e.g. their controller's uid); add before start(). */
  addIndex(name: string, of: (object: KubeObject) => string[]): void {
    this.indexes.set(name, { of, map: new Map() });
  }

  byIndex(name: string, value: string): KubeObject[] {
    return [...(this.indexes.get(name)?.map.get(value)?.values() ?? [])];
  }

  start(): void {
    try {
      this.stopWatch = this.client.watch(this.ref, {}, (event) => this.apply(event));
    } catch (error) {
      // A resource this sandbox does not serve: its controller simply has nothing to do.
      if (statusCode(error) !== 404) throw error;
      logger.debug({ resource: this.ref.resource }, 'not served; its controller stays idle');
    }
  }

  stop(): void {
    this.stopWatch?.();
  }

  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(`${namespace ?? ''}/${name}`);
  }

  inNamespace(namespace: string): KubeObject[] {
    const prefix = `${namespace}/`;
    const found: KubeObject[] = [];
    for (const [key, object] of this.objects) if (key.startsWith(prefix)) found.push(object);
    return found;
  }

  private apply(event: WatchEvent): void {
    if (event.type === 'BOOKMARK' || event.type === 'ERROR') return;
    const key = keyOf(event.object);
    const previous = this.objects.get(key);
    for (const index of this.indexes.values()) {
      if (previous) {
        for (const value of index.of(previous)) {
          const bucket = index.map.get(value);
          bucket?.delete(key);
          if (bucket?.size === 0) index.map.delete(value);
        }
      }
      if (event.type === 'DELETED') continue;
      for (const value of index.of(event.object)) {
        let bucket = index.map.get(value);
        if (!bucket) index.map.set(value, (bucket = new Map()));
        bucket.set(key, event.object);
      }
    }
    if (event.type === 'DELETED') this.objects.delete(key);
    else this.objects.set(key, event.object);
    for (const handler of this.handlers) {
      // One object a handler cannot digest (a client wrote a status no kubelet would) must not stop the others.
      try {
        handler(event.type, event.object, previous);
      } catch (error) {
        logger.warn(
          { err: error, resource: this.ref.resource, key },
          'a controller could not handle a change',
        );
      }
    }
  }
}

/** At most one pending timer per key: scheduling again replaces it (kwok's one pending transition per object). */
export class KeyedTimers {
  private readonly pending = new Map<string, unknown>();

  constructor(private readonly clock: Clock) {}

  schedule(key: string, delayMs: number, run: () => void): void {
    this.cancel(key);
    const handle = this.clock.setTimeout(
      () => {
        this.pending.delete(key);
        // A timer callback that throws would take the whole process down: log it, the key's next event retries.
        try {
          run();
        } catch (error) {
          logger.warn({ err: error, key }, 'a scheduled transition failed');
        }
      },
      Math.max(0, delayMs),
    );
    this.pending.set(key, handle);
  }

  has(key: string): boolean {
    return this.pending.has(key);
  }

  cancel(key: string): void {
    const handle = this.pending.get(key);
    if (handle !== undefined) this.clock.clearTimeout(handle);
    this.pending.delete(key);
  }

  cancelAll(): void {
    for (const handle of this.pending.values()) this.clock.clearTimeout(handle);
    this.pending.clear();
  }
}

/**
 * Reconcile by key, coalesced: many events for one owner in a burst cause one pass. A pass that throws
 * (a conflict, an object gone meanwhile) is retried with exponential back-off per key, as controller-manager's
 * rate-limited work queues do, so a persistent failure never becomes a busy loop.
 */
export class ReconcileQueue {
  private readonly dirty = new Set<string>();
  private flushScheduled = false;
  private readonly retries: KeyedTimers;
  private readonly failures = new Map<string, number>();
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly name: string,
    private readonly reconcile: (key: string) => void,
  ) {
    this.retries = new KeyedTimers(clock);
  }

  enqueue(key: string): void {
    if (this.stopped) return;
    this.dirty.add(key);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.clock.setTimeout(() => this.flush(), 0);
  }

  /** Run the key again after `delayMs` (for a transition known in advance, e.g. minReadySeconds elapsing). */
  enqueueAfter(key: string, delayMs: number): void {
    this.retries.schedule(key, delayMs, () => this.enqueue(key));
  }

  stop(): void {
    this.stopped = true;
    this.retries.cancelAll();
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.stopped) return;
    const keys = [...this.dirty];
    this.dirty.clear();
    for (const key of keys) {
      try {
        this.reconcile(key);
        this.failures.delete(key);
      } catch (error) {
        const failures = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, failures);
        const code = statusCode(error);
        // A conflict or a vanished object is routine; a refusal (403) is already told to the user by an event.
        if (code !== 409 && code !== 404 && code !== 403)
          logger.warn({ err: error, key }, `${this.name}: reconcile failed`);
        this.enqueueAfter(key, Math.min(10 * 2 ** failures, 60_000));
      }
    }
  }
}
