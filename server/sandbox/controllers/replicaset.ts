// ReplicaSet and ReplicationController: keep `replicas` active pods matching the selector. The plan is pure; the
// controller applies it and remembers creations and deletions its watch has not shown yet (client-go's
// "expectations"), so a burst of events never creates twice.
import type { ClusterClient, Clock, KubeObject, RandomSource, ResourceRef } from '../types.ts';
import type { EventRecorder } from './events.ts';
import type { Informer } from './runtime.ts';
import { REF, ReconcileQueue, controllerUid, keyOf, statusCode } from './runtime.ts';
import { mapSelector, selectorMatches, type LabelSelector } from './selectors.ts';
import {
  deletionOrder,
  isPodActive,
  isPodReady,
  msUntilAvailable,
  podFromTemplate,
  randomSuffix,
  type PodTemplate,
} from './workloads.ts';

interface ReplicaSpec {
  replicas?: number;
  minReadySeconds?: number;
  selector?: LabelSelector | Record<string, string>;
  template?: PodTemplate;
}

export interface ReplicaStatus {
  replicas: number;
  fullyLabeledReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  observedGeneration: number;
}

export interface ReplicaPlan {
  create: number;
  remove: KubeObject[];
  adopt: KubeObject[];
  release: KubeObject[];
  status: ReplicaStatus;
  /** When a pod becomes available (minReadySeconds), look again then. */
  recheckInMs?: number;
}

/** RC selectors are plain maps defaulting to the template's labels; RS selectors are LabelSelectors. */
export function selectorOf(owner: KubeObject): LabelSelector | undefined {
  const spec = (owner.spec ?? {}) as ReplicaSpec;
  if (owner.kind === 'ReplicationController') {
    return mapSelector(
      (spec.selector as Record<string, string> | undefined) ?? spec.template?.metadata?.labels,
    );
  }
  return spec.selector as LabelSelector | undefined;
}

/**
 * Desired against observed. `owned` are the pods whose controller is this owner, `orphans` the namespace's pods
 * with no controller, `inFlight` creations not yet seen; pods being deleted are never counted.
 */
export function planReplicas(
  owner: KubeObject,
  owned: KubeObject[],
  orphans: KubeObject[],
  inFlight: number,
  now: number,
): ReplicaPlan {
  const spec = (owner.spec ?? {}) as ReplicaSpec;
  const selector = selectorOf(owner);
  const matches = (pod: KubeObject) => selectorMatches(selector, pod.metadata.labels);
  const deleting = Boolean(owner.metadata.deletionTimestamp);
  const adopt = deleting ? [] : orphans.filter((pod) => isPodActive(pod) && matches(pod));
  const release = owned.filter((pod) => !matches(pod));
  const mine = [...owned.filter(matches), ...adopt];
  const active = mine.filter(isPodActive);
  const desired = spec.replicas ?? 1;
  const diff = deleting ? 0 : desired - active.length - inFlight;
  const remove = diff < 0 ? [...active].sort(deletionOrder).slice(0, -diff) : [];
  const minReady = spec.minReadySeconds ?? 0;
  const waits = active.map((pod) => msUntilAvailable(pod, minReady, now));
  const pendingAvailability = waits.filter((ms) => ms > 0 && ms !== Infinity);
  const templateLabels = spec.template?.metadata?.labels ?? {};
  return {
    create: Math.max(diff, 0),
    remove,
    adopt,
    release,
    status: {
      replicas: active.length,
      fullyLabeledReplicas: active.filter((pod) =>
        Object.entries(templateLabels).every(([k, v]) => pod.metadata.labels?.[k] === v),
      ).length,
      readyReplicas: active.filter(isPodReady).length,
      availableReplicas: waits.filter((ms) => ms === 0).length,
      observedGeneration: owner.metadata.generation ?? 0,
    },
    ...(pendingAvailability.length ? { recheckInMs: Math.min(...pendingAvailability) } : {}),
  };
}

const COMPONENT: Record<string, string> = {
  ReplicaSet: 'replicaset-controller',
  ReplicationController: 'replication-controller',
};

export class ReplicaController {
  private readonly queue: ReconcileQueue;
  /** owner key → names created and not yet seen */
  private readonly creating = new Map<string, Set<string>>();
  /** pod uids this controller deleted whose deletion the watch has not shown yet */
  private readonly deleting = new Set<string>();

  constructor(
    private readonly client: ClusterClient,
    private readonly ref: ResourceRef,
    private readonly owners: Informer,
    private readonly pods: Informer,
    private readonly recorder: EventRecorder,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {
    this.queue = new ReconcileQueue(clock, ref.resource, (key) => this.reconcile(key));
    owners.onChange((type, owner) => {
      if (type === 'DELETED') this.creating.delete(keyOf(owner));
      else this.queue.enqueue(keyOf(owner));
    });
    pods.onChange((type, pod, previous) => {
      const uid = controllerUid(pod) ?? (previous && controllerUid(previous));
      if (type === 'DELETED' || pod.metadata.deletionTimestamp) this.deleting.delete(pod.metadata.uid ?? '');
      if (uid) {
        const owner = this.ownerByUid(pod.metadata.namespace ?? '', uid);
        if (!owner) return;
        if (type === 'ADDED') this.creating.get(keyOf(owner))?.delete(pod.metadata.name ?? '');
        this.queue.enqueue(keyOf(owner));
        return;
      }
      // An orphan: whichever owner's selector matches may adopt it.
      if (type === 'DELETED') return;
      for (const owner of this.owners.inNamespace(pod.metadata.namespace ?? '')) {
        if (selectorMatches(selectorOf(owner), pod.metadata.labels)) this.queue.enqueue(keyOf(owner));
      }
    });
  }

  stop(): void {
    this.queue.stop();
  }

  private ownerByUid(namespace: string, uid: string): KubeObject | undefined {
    return (
      this.owners.byIndex('uid', uid)[0] ??
      this.owners.inNamespace(namespace).find((o) => o.metadata.uid === uid)
    );
  }

  private reconcile(key: string): void {
    const slash = key.indexOf('/');
    const owner = this.owners.get(key.slice(0, slash), key.slice(slash + 1));
    if (!owner) return;
    const namespace = owner.metadata.namespace ?? '';
    const owned = this.pods
      .byIndex('controller', owner.metadata.uid ?? '')
      .filter((pod) => !this.deleting.has(pod.metadata.uid ?? ''));
    const orphans = this.pods.byIndex('orphan', namespace);
    const inFlight = this.creating.get(key) ?? new Set<string>();
    for (const pod of owned) inFlight.delete(pod.metadata.name ?? '');
    const plan = planReplicas(owner, owned, orphans, inFlight.size, this.clock.now());
    const source = { component: COMPONENT[owner.kind] ?? 'replicaset-controller' };
    const podRef = REF.pods;

    for (const pod of plan.adopt) {
      this.client.patch(podRef, namespace, pod.metadata.name ?? '', 'merge', {
        metadata: {
          resourceVersion: pod.metadata.resourceVersion,
          ownerReferences: [
            ...(pod.metadata.ownerReferences ?? []),
            {
              apiVersion: owner.apiVersion,
              kind: owner.kind,
              name: owner.metadata.name,
              uid: owner.metadata.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
      });
    }
    for (const pod of plan.release) {
      this.client.patch(podRef, namespace, pod.metadata.name ?? '', 'merge', {
        metadata: {
          resourceVersion: pod.metadata.resourceVersion,
          ownerReferences: (pod.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid),
        },
      });
    }
    const template = ((owner.spec ?? {}) as ReplicaSpec).template ?? {};
    for (let i = 0; i < plan.create; i++) {
      const name = this.createPod(owner, template);
      inFlight.add(name);
      this.recorder.record(owner, source, {
        type: 'Normal',
        reason: 'SuccessfulCreate',
        message: `Created pod: ${name}`,
      });
    }
    if (inFlight.size) this.creating.set(key, inFlight);
    else this.creating.delete(key);
    for (const pod of plan.remove) {
      try {
        this.client.delete(podRef, namespace, pod.metadata.name ?? '', {
          preconditions: { uid: pod.metadata.uid },
        });
      } catch (error) {
        if (statusCode(error) !== 404) throw error;
      }
      this.recorder.record(owner, source, {
        type: 'Normal',
        reason: 'SuccessfulDelete',
        message: `Deleted pod: ${pod.metadata.name}`,
      });
    }
    writeStatusIfChanged(this.client, this.ref, owner, { ...plan.status });
    if (plan.recheckInMs !== undefined) this.queue.enqueueAfter(key, plan.recheckInMs + 1);
  }

  private createPod(owner: KubeObject, template: PodTemplate): string {
    for (;;) {
      const name = `${owner.metadata.name}-${randomSuffix(this.random)}`;
      try {
        this.client.create(REF.pods, owner.metadata.namespace, podFromTemplate(template, owner, name));
        return name;
      } catch (error) {
        if (statusCode(error) !== 409) throw error;
      }
    }
  }
}

/** Merge the fields into .status when any differs (status writes are the chattiest a controller makes). */
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
