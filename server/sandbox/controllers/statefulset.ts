// StatefulSet: pods `<name>-0 … <name>-(n-1)` with stable names and hostnames, created in order (OrderedReady: the
// next only once the previous is Running and Ready) and removed from the highest ordinal; one PVC per
// volumeClaimTemplate and ordinal, kept when pods go.
import type { ClusterClient, KubeObject } from '../types.ts';
import type { EventRecorder } from './events.ts';
import type { Informer } from './runtime.ts';
import { REF, keyOf } from './runtime.ts';
import { statusCode } from '../../errors.ts';
import {
  labelSelectorFromSpec,
  matchesLabelSelector,
  type LabelSelectorSpec,
} from '../query/label-selector.ts';
import { PodOwnerController } from './pod-owner.ts';
import { podTemplateHash } from './deployment-plan.ts';
import { isPodActive, isPodReady, podFromTemplate, type PodTemplate } from './workloads.ts';
import type { Clock } from '../../clock.ts';

interface StatefulSetSpec {
  replicas?: number;
  serviceName?: string;
  podManagementPolicy?: string;
  updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } };
  template?: PodTemplate;
  volumeClaimTemplates?: {
    metadata?: { name?: string; labels?: Record<string, string> };
    spec?: Record<string, unknown>;
  }[];
}

const selectorOf = (sts: KubeObject) =>
  labelSelectorFromSpec((sts.spec as { selector?: LabelSelectorSpec } | undefined)?.selector);

const ordinalOf = (sts: KubeObject, pod: KubeObject) => {
  const match = new RegExp(`^${sts.metadata.name}-(\\d+)$`).exec(pod.metadata.name ?? '');
  return match ? Number(match[1]) : -1;
};

const REVISION_LABEL = 'controller-revision-hash';

/** The revision a pod of the current template carries: `<name>-<template hash>`. */
export function updateRevisionOf(sts: KubeObject): string {
  return `${sts.metadata.name}-${podTemplateHash((sts.spec as StatefulSetSpec | undefined)?.template)}`;
}

export interface StatefulSetPlan {
  /** Ordinals to create now. */
  create: number[];
  /** Pods to delete now: beyond replicas (highest ordinal first), or one outdated pod being rolled. */
  remove: KubeObject[];
  /** What `kubectl rollout status` reads: revisions and counts. */
  status: Record<string, unknown>;
}

/**
 * Pure: the next step. OrderedReady waits for every lower ordinal to be Running and Ready; Parallel does not.
 * A RollingUpdate replaces pods of an older revision one at a time from the highest ordinal (down to the
 * partition), each once all the others are Ready; currentRevision moves to updateRevision when all are updated.
 */
export function planStatefulSet(sts: KubeObject, owned: KubeObject[]): StatefulSetPlan {
  const spec = (sts.spec ?? {}) as StatefulSetSpec;
  const replicas = spec.replicas ?? 1;
  const parallel = spec.podManagementPolicy === 'Parallel';
  const byOrdinal = new Map(owned.map((pod) => [ordinalOf(sts, pod), pod]));
  const create: number[] = [];
  const remove: KubeObject[] = [];
  // Any pod terminating blocks ordered progress until it is gone.
  const terminating = owned.some((p) => p.metadata.deletionTimestamp);
  if (!sts.metadata.deletionTimestamp) {
    for (let ordinal = 0; ordinal < replicas; ordinal++) {
      const pod = byOrdinal.get(ordinal);
      if (!pod) {
        if (!parallel && terminating) break;
        create.push(ordinal);
        if (!parallel) break;
        continue;
      }
      if (!parallel && !(isPodActive(pod) && isPodReady(pod))) break;
    }
    const extra = owned
      .filter((pod) => ordinalOf(sts, pod) >= replicas && isPodActive(pod))
      .sort((a, b) => ordinalOf(sts, b) - ordinalOf(sts, a));
    if (extra.length && (parallel || !terminating)) remove.push(...(parallel ? extra : extra.slice(0, 1)));
  }

  const updateRevision = updateRevisionOf(sts);
  const members = owned.filter((pod) => ordinalOf(sts, pod) < replicas);
  const settled = members.length === replicas && members.every((pod) => isPodActive(pod) && isPodReady(pod));
  const rolling = (spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
  if (
    rolling &&
    settled &&
    !terminating &&
    !create.length &&
    !remove.length &&
    !sts.metadata.deletionTimestamp
  ) {
    const partition = spec.updateStrategy?.rollingUpdate?.partition ?? 0;
    const outdated = members
      .filter((pod) => pod.metadata.labels?.[REVISION_LABEL] !== updateRevision)
      .filter((pod) => ordinalOf(sts, pod) >= partition)
      .sort((a, b) => ordinalOf(sts, b) - ordinalOf(sts, a));
    if (outdated[0]) remove.push(outdated[0]);
  }

  const active = owned.filter(isPodActive);
  const ready = active.filter(isPodReady).length;
  const revisionCount = (revision: string) =>
    active.filter((pod) => pod.metadata.labels?.[REVISION_LABEL] === revision).length;
  const updatedReplicas = revisionCount(updateRevision);
  const done = updatedReplicas === replicas && ready === replicas && active.length === replicas;
  const previous = (sts.status as { currentRevision?: string } | undefined)?.currentRevision;
  const currentRevision = done || !previous ? updateRevision : previous;
  return {
    create,
    remove,
    status: {
      observedGeneration: sts.metadata.generation ?? 0,
      replicas: active.length,
      readyReplicas: ready,
      availableReplicas: ready,
      currentReplicas: revisionCount(currentRevision),
      updatedReplicas,
      currentRevision,
      updateRevision,
      collisionCount: 0,
    },
  };
}

export class StatefulSetController extends PodOwnerController {
  constructor(
    client: ClusterClient,
    owners: Informer,
    pods: Informer,
    recorder: EventRecorder,
    clock: Clock,
  ) {
    super(client, REF.statefulsets, owners, pods, recorder, clock, 'statefulset-controller');
  }

  protected override onOrphan(pod: KubeObject): void {
    for (const sts of this.owners.inNamespace(pod.metadata.namespace ?? '')) {
      if (ordinalOf(sts, pod) >= 0 && matchesLabelSelector(selectorOf(sts), pod.metadata.labels))
        this.queue.enqueue(keyOf(sts));
    }
  }

  protected reconcile(sts: KubeObject, claimed: KubeObject[], inFlight: number): void {
    // Its own `<name>-<ordinal>` pods left behind by an orphaning delete are taken back, not re-created (409).
    const owned = [...claimed, ...this.adoptOrphans(sts, selectorOf(sts), (pod) => ordinalOf(sts, pod) >= 0)];
    const spec = (sts.spec ?? {}) as StatefulSetSpec;
    const plan = planStatefulSet(sts, owned);
    if (inFlight === 0) {
      const revision = String(plan.status.updateRevision);
      for (const ordinal of plan.create) this.createOrdinal(sts, spec, ordinal, revision);
      for (const pod of plan.remove) this.deletePod(sts, pod);
    }
    this.writeStatus(sts, plan.status);
  }

  private createOrdinal(sts: KubeObject, spec: StatefulSetSpec, ordinal: number, revision: string): void {
    const name = `${sts.metadata.name}-${ordinal}`;
    const template = structuredClone(spec.template ?? {});
    const podSpec = (template.spec ?? {}) as { volumes?: Record<string, unknown>[] };
    for (const claim of spec.volumeClaimTemplates ?? []) {
      const claimName = `${claim.metadata?.name}-${name}`;
      this.ensureClaim(sts, claim, claimName);
      podSpec.volumes = [
        ...(podSpec.volumes ?? []).filter((v) => v.name !== claim.metadata?.name),
        { name: claim.metadata?.name, persistentVolumeClaim: { claimName } },
      ];
    }
    template.spec = podSpec;
    const pod = podFromTemplate(template, sts, name, {
      labels: {
        'apps.kubernetes.io/pod-index': String(ordinal),
        [REVISION_LABEL]: revision,
        'statefulset.kubernetes.io/pod-name': name,
      },
      spec: { hostname: name, ...(spec.serviceName ? { subdomain: spec.serviceName } : {}) },
    });
    // Taken: the pod before it is still terminating; its deletion brings this StatefulSet back.
    try {
      if (!this.createPod(sts, pod, false)) return;
    } catch (error) {
      if (statusCode(error) === 403) {
        this.recorder.record(
          sts,
          { component: 'statefulset-controller' },
          {
            type: 'Warning',
            reason: 'FailedCreate',
            message: `create Pod ${name} in StatefulSet ${sts.metadata.name} failed error: ${(error as Error).message}`,
          },
        );
      }
      throw error;
    }
    this.recorder.record(
      sts,
      { component: 'statefulset-controller' },
      {
        type: 'Normal',
        reason: 'SuccessfulCreate',
        message: `create Pod ${name} in StatefulSet ${sts.metadata.name} successful`,
      },
    );
  }

  private ensureClaim(
    sts: KubeObject,
    claim: NonNullable<StatefulSetSpec['volumeClaimTemplates']>[number],
    claimName: string,
  ): void {
    if (this.client.tryGet(REF.persistentvolumeclaims, sts.metadata.namespace, claimName)) return;
    try {
      this.client.create(REF.persistentvolumeclaims, sts.metadata.namespace, {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: {
          name: claimName,
          labels: {
            ...(sts.spec as { selector?: { matchLabels?: Record<string, string> } }).selector?.matchLabels,
            ...(claim.metadata?.labels ?? {}),
          },
        },
        spec: structuredClone(claim.spec ?? {}),
      });
      this.recorder.record(
        sts,
        { component: 'statefulset-controller' },
        {
          type: 'Normal',
          reason: 'SuccessfulCreate',
          message: `create Claim ${claimName} Pod ${claimName.slice((claim.metadata?.name ?? '').length + 1)} in StatefulSet ${sts.metadata.name} success`,
        },
      );
    } catch (error) {
      if (statusCode(error) !== 409) throw error;
    }
  }
}
