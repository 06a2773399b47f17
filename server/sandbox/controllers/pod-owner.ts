// The part every pod-owning controller shares (ReplicaSet, DaemonSet, StatefulSet, Job): reconcile per owner on
// owner and pod events, and remember creations and deletions the watch has not shown yet (client-go's
// "expectations") so a burst of events never creates or deletes twice.
import type { ClusterClient, KubeObject, ResourceRef } from '../types.ts';
import type { EventRecorder } from './events.ts';
import type { Informer } from './runtime.ts';
import { REF, ReconcileQueue, controllerUid, keyOf } from './runtime.ts';
import { statusCode } from '../../errors.ts';
import { adoptionPatch } from './workloads.ts';
import { matchesLabelSelector, type LabelSelector } from '../query/label-selector.ts';
import type { Clock } from '../../clock.ts';

export abstract class PodOwnerController {
  protected readonly queue: ReconcileQueue;
  /** owner key → names of pods created and not seen yet */
  private readonly creating = new Map<string, Set<string>>();
  /** pod uids deleted whose deletion has not been seen yet */
  private readonly deleting = new Set<string>();

  constructor(
    protected readonly client: ClusterClient,
    protected readonly ref: ResourceRef,
    protected readonly owners: Informer,
    protected readonly pods: Informer,
    protected readonly recorder: EventRecorder,
    protected readonly clock: Clock,
    private readonly component: string,
  ) {
    this.queue = new ReconcileQueue(clock, ref.resource, (key) => this.run(key));
    owners.onChange((type, owner) => {
      if (type === 'DELETED') {
        this.creating.delete(keyOf(owner));
        this.onOwnerDeleted(owner);
      } else this.queue.enqueue(keyOf(owner));
    });
    pods.onChange((type, pod, previous) => {
      if (type === 'DELETED' || pod.metadata.deletionTimestamp) this.deleting.delete(pod.metadata.uid ?? '');
      const uid = controllerUid(pod) ?? (previous && controllerUid(previous));
      const owner = uid ? this.owners.byIndex('uid', uid)[0] : undefined;
      if (owner) {
        if (type === 'ADDED') this.creating.get(keyOf(owner))?.delete(pod.metadata.name ?? '');
        this.queue.enqueue(keyOf(owner));
      } else if (!uid && type !== 'DELETED') this.onOrphan(pod);
    });
  }

  stop(): void {
    this.queue.stop();
  }

  /** The owner is gone: forget what was kept about it. */
  protected onOwnerDeleted(_owner: KubeObject): void {}

  /** A pod without a controller appeared or changed (ReplicaSets may adopt it). */
  protected onOrphan(_pod: KubeObject): void {}

  /**
   * Claim the namespace's pods with no controller that `selector` matches and `member` accepts, as
   * ControllerRefManager adopts: a workload re-created after an orphaning delete takes its old pods back. Returns
   * the adopted pods as patched.
   */
  protected adoptOrphans(
    owner: KubeObject,
    selector: LabelSelector,
    member: (pod: KubeObject) => boolean,
  ): KubeObject[] {
    if (owner.metadata.deletionTimestamp) return [];
    const adopted: KubeObject[] = [];
    for (const pod of this.pods.byIndex('orphan', owner.metadata.namespace ?? '')) {
      if (pod.metadata.deletionTimestamp || !member(pod)) continue;
      if (!matchesLabelSelector(selector, pod.metadata.labels)) continue;
      try {
        adopted.push(
          this.client.patch(
            REF.pods,
            pod.metadata.namespace,
            pod.metadata.name ?? '',
            'merge',
            adoptionPatch(owner, pod),
          ),
        );
      } catch (error) {
        // Changed or gone since the cache saw it: its watch event brings the owner back here.
        if (statusCode(error) !== 409 && statusCode(error) !== 404) throw error;
      }
    }
    return adopted;
  }

  protected abstract reconcile(owner: KubeObject, owned: KubeObject[], inFlight: number): void;

  private run(key: string): void {
    const slash = key.indexOf('/');
    const owner = this.owners.get(key.slice(0, slash), key.slice(slash + 1));
    if (!owner) return;
    const inFlight = this.creating.get(key);
    const owned = this.pods
      .byIndex('controller', owner.metadata.uid ?? '')
      .filter((pod) => !this.deleting.has(pod.metadata.uid ?? ''));
    for (const pod of owned) inFlight?.delete(pod.metadata.name ?? '');
    this.reconcile(owner, owned, inFlight?.size ?? 0);
  }

  /** Create a pod; false when the name is taken (the caller picks another or waits for the watch). */
  protected createPod(owner: KubeObject, pod: KubeObject, announce = true): boolean {
    try {
      this.client.create(REF.pods, owner.metadata.namespace, pod);
    } catch (error) {
      if (statusCode(error) === 409) return false;
      // Refused (a room's pod limit, a quota, a terminating namespace): said where kubectl describe shows it, as the
      // ReplicaSet, Job and DaemonSet controllers do; the queue retries later, with backoff.
      if (announce && statusCode(error) === 403) {
        this.recorder.record(
          owner,
          { component: this.component },
          { type: 'Warning', reason: 'FailedCreate', message: `Error creating: ${(error as Error).message}` },
        );
      }
      throw error;
    }
    const key = keyOf(owner);
    const inFlight = this.creating.get(key) ?? new Set<string>();
    inFlight.add(pod.metadata.name ?? '');
    this.creating.set(key, inFlight);
    if (announce) {
      this.recorder.record(
        owner,
        { component: this.component },
        {
          type: 'Normal',
          reason: 'SuccessfulCreate',
          message: `Created pod: ${pod.metadata.name}`,
        },
      );
    }
    return true;
  }

  protected deletePod(owner: KubeObject, pod: KubeObject): void {
    try {
      this.client.delete(REF.pods, pod.metadata.namespace, pod.metadata.name ?? '', {
        preconditions: { uid: pod.metadata.uid },
      });
      this.deleting.add(pod.metadata.uid ?? '');
    } catch (error) {
      if (statusCode(error) !== 404 && statusCode(error) !== 409) throw error;
      return;
    }
    this.recorder.record(
      owner,
      { component: this.component },
      {
        type: 'Normal',
        reason: 'SuccessfulDelete',
        message: `Deleted pod: ${pod.metadata.name}`,
      },
    );
  }

  /** Merge the fields into .status when any differs (status writes are the chattiest a controller makes). */
  protected writeStatus(owner: KubeObject, status: Record<string, unknown>): void {
    writeStatusIfChanged(this.client, this.ref, owner, status);
  }
}

export function writeStatusIfChanged(
  client: ClusterClient,
  ref: ResourceRef,
  object: KubeObject,
  status: Record<string, unknown>,
): void {
  const current = (object.status ?? {}) as Record<string, unknown>;
  const changed = Object.entries(status).some(
    ([k, v]) => JSON.stringify(current[k] ?? 0) !== JSON.stringify(v ?? 0),
  );
  if (!changed) return;
  client.patch(
    ref,
    object.metadata.namespace,
    object.metadata.name ?? '',
    'merge',
    { status },
    { subresource: 'status' },
  );
}
