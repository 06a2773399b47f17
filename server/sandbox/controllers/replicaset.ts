// ReplicaSet and ReplicationController: keep `replicas` active pods matching the selector, adopting orphans that
// match and releasing pods that stopped matching. The plan is pure; PodOwnerController applies it.
import type { ClusterClient, KubeObject, ResourceRef } from '../types.ts';
import type { EventRecorder } from './events.ts';
import type { Informer } from './runtime.ts';
import { REF, keyOf } from './runtime.ts';
import { PodOwnerController } from './pod-owner.ts';
import {
  labelSelectorFromSpec,
  matchesLabelSelector,
  selectorFromMap,
  type LabelSelector,
  type LabelSelectorSpec,
} from '../query/label-selector.ts';
import {
  adoptionPatch,
  deletionOrder,
  isPodActive,
  isPodReady,
  msUntilAvailable,
  podFromTemplate,
  randomSuffix,
  type PodTemplate,
} from './workloads.ts';
import type { Clock } from '../../clock.ts';
import type { RandomSource } from '../../random.ts';

interface ReplicaSpec {
  replicas?: number;
  minReadySeconds?: number;
  selector?: LabelSelectorSpec | Record<string, string>;
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
export function selectorOf(owner: KubeObject): LabelSelector {
  const spec = (owner.spec ?? {}) as ReplicaSpec;
  if (owner.kind === 'ReplicationController') {
    return selectorFromMap(
      (spec.selector as Record<string, string> | undefined) ?? spec.template?.metadata?.labels,
    );
  }
  return labelSelectorFromSpec(spec.selector as LabelSelectorSpec | undefined);
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
  const matches = (pod: KubeObject) => matchesLabelSelector(selector, pod.metadata.labels);
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

export class ReplicaController extends PodOwnerController {
  constructor(
    client: ClusterClient,
    ref: ResourceRef,
    owners: Informer,
    pods: Informer,
    recorder: EventRecorder,
    clock: Clock,
    private readonly random: RandomSource,
  ) {
    super(
      client,
      ref,
      owners,
      pods,
      recorder,
      clock,
      ref.resource === 'replicasets' ? 'replicaset-controller' : 'replication-controller',
    );
  }

  protected override onOrphan(pod: KubeObject): void {
    for (const owner of this.owners.inNamespace(pod.metadata.namespace ?? '')) {
      if (matchesLabelSelector(selectorOf(owner), pod.metadata.labels)) this.queue.enqueue(keyOf(owner));
    }
  }

  protected reconcile(owner: KubeObject, owned: KubeObject[], inFlight: number): void {
    const namespace = owner.metadata.namespace ?? '';
    const orphans = this.pods.byIndex('orphan', namespace);
    const plan = planReplicas(owner, owned, orphans, inFlight, this.clock.now());
    for (const pod of plan.adopt) {
      this.client.patch(REF.pods, namespace, pod.metadata.name ?? '', 'merge', adoptionPatch(owner, pod));
    }
    for (const pod of plan.release) {
      const remaining = (pod.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid);
      this.client.patch(REF.pods, namespace, pod.metadata.name ?? '', 'merge', {
        metadata: {
          resourceVersion: pod.metadata.resourceVersion,
          ownerReferences: remaining.length ? remaining : null,
        },
      });
    }
    const template = ((owner.spec ?? {}) as ReplicaSpec).template ?? {};
    const generateName = `${owner.metadata.name}-`;
    for (let created = 0; created < plan.create;) {
      if (
        this.createPod(
          owner,
          podFromTemplate(template, owner, generateName + randomSuffix(this.random), { generateName }),
        )
      ) {
        created++;
      }
    }
    for (const pod of plan.remove) this.deletePod(owner, pod);
    this.writeStatus(owner, { ...plan.status });
    if (plan.recheckInMs !== undefined) this.queue.enqueueAfter(keyOf(owner), plan.recheckInMs + 1);
  }
}
