// The garbage collector: dependents follow their owners (ownerReferences). Background: when an owner is gone, its
// dependents with no other live owner are deleted. Foreground: an owner held by `foregroundDeletion` waits until
// its dependents are gone. Orphan: dependents lose the reference, then the `orphan` finalizer is removed.
import type { ClusterClient, KubeObject, ResourceRef } from '../types.ts';
import type { Informer } from './runtime.ts';
import { ReconcileQueue } from './runtime.ts';
import { statusCode } from '../../errors.ts';
import type { Clock } from '../../clock.ts';

export interface Watched {
  ref: ResourceRef;
  informer: Informer;
}

/** Index function for dependents: every owner uid they reference. */
export const ownerUids = (object: KubeObject) => (object.metadata.ownerReferences ?? []).map((r) => r.uid);

const FOREGROUND = 'foregroundDeletion';
const ORPHAN = 'orphan';

export class GarbageCollector {
  private readonly queue: ReconcileQueue;

  /** `watched`: every kind that may own or depend on another, each cache indexed by `uid` and `owners`. */
  constructor(
    private readonly client: ClusterClient,
    private readonly watched: Watched[],
    clock: Clock,
  ) {
    this.queue = new ReconcileQueue(clock, 'garbage-collector', (uid) => this.reconcile(uid));
    for (const { informer } of watched) {
      informer.onChange((type, object) => {
        if (type === 'DELETED' || object.metadata.deletionTimestamp)
          this.queue.enqueue(object.metadata.uid ?? '');
        if (type !== 'DELETED') return;
        // A dependent gone may release an owner waiting in foreground deletion.
        for (const uid of ownerUids(object))
          if (this.findOwner(uid)?.object.metadata.deletionTimestamp) this.queue.enqueue(uid);
      });
    }
  }

  stop(): void {
    this.queue.stop();
  }

  private findOwner(uid: string): { object: KubeObject; ref: ResourceRef } | undefined {
    for (const { ref, informer } of this.watched) {
      const object = informer.byIndex('uid', uid)[0];
      if (object) return { object, ref };
    }
    return undefined;
  }

  private dependentsOf(uid: string): { object: KubeObject; ref: ResourceRef }[] {
    return this.watched.flatMap(({ ref, informer }) =>
      informer.byIndex('owners', uid).map((object) => ({ object, ref })),
    );
  }

  private reconcile(uid: string): void {
    const owner = this.findOwner(uid);
    const dependents = this.dependentsOf(uid);
    if (!owner) {
      for (const { object, ref } of dependents) {
        const others = ownerUids(object).filter((other) => other !== uid && this.findOwner(other));
        if (others.length) this.dropReference(ref, object, uid);
        else if (!object.metadata.deletionTimestamp) this.remove(ref, object, 'Background');
      }
      return;
    }
    const finalizers = owner.object.metadata.finalizers ?? [];
    if (finalizers.includes(ORPHAN)) {
      for (const { object, ref } of dependents) this.dropReference(ref, object, uid);
      this.removeFinalizer(owner, ORPHAN);
    } else if (finalizers.includes(FOREGROUND)) {
      for (const { object, ref } of dependents)
        if (!object.metadata.deletionTimestamp) this.remove(ref, object, 'Foreground');
      const blocking = dependents.filter(({ object }) =>
        object.metadata.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion),
      );
      if (blocking.length === 0) this.removeFinalizer(owner, FOREGROUND);
    }
  }

  private remove(ref: ResourceRef, object: KubeObject, propagationPolicy: 'Background' | 'Foreground'): void {
    try {
      this.client.delete(ref, object.metadata.namespace, object.metadata.name ?? '', {
        propagationPolicy,
        preconditions: { uid: object.metadata.uid },
      });
    } catch (error) {
      if (statusCode(error) !== 404 && statusCode(error) !== 409) throw error;
    }
  }

  private dropReference(ref: ResourceRef, object: KubeObject, uid: string): void {
    const remaining = (object.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
    this.client.patch(ref, object.metadata.namespace, object.metadata.name ?? '', 'merge', {
      metadata: { ownerReferences: remaining.length ? remaining : null },
    });
  }

  private removeFinalizer(owner: { object: KubeObject; ref: ResourceRef }, finalizer: string): void {
    const current = this.client.get(
      owner.ref,
      owner.object.metadata.namespace,
      owner.object.metadata.name ?? '',
    );
    const finalizers = (current.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    this.client.update(owner.ref, current.metadata.namespace, {
      ...current,
      metadata: { ...current.metadata, finalizers },
    });
  }
}
