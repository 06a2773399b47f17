// What the workload controllers share: pod facts (active, ready, available), names, templates, owner references.
import type { KubeObject, OwnerReference } from '../types.ts';
import type { RandomSource } from '../../random.ts';

/** The alphabet Kubernetes uses for generated name suffixes: no vowels (no words), no 0/1/3 look-alikes. */
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(random: RandomSource, length = 5): string {
  let suffix = '';
  for (let i = 0; i < length; i++) suffix += SUFFIX_ALPHABET[Math.floor(random() * SUFFIX_ALPHABET.length)];
  return suffix;
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

export function ownerReference(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * The merge patch that makes `owner` the controller of an orphan (as ControllerRefManager adopts): guarded by the
 * orphan's resourceVersion, so an object another controller claimed meanwhile fails with 409 and is looked at again.
 */
export function adoptionPatch(owner: KubeObject, orphan: KubeObject): { metadata: Record<string, unknown> } {
  return {
    metadata: {
      resourceVersion: orphan.metadata.resourceVersion,
      ownerReferences: [...(orphan.metadata.ownerReferences ?? []), ownerReference(owner)],
    },
  };
}

export function podFromTemplate(
  template: PodTemplate,
  owner: KubeObject,
  name: string,
  extra: { labels?: Record<string, string>; spec?: Record<string, unknown>; generateName?: string } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      ...(extra.generateName ? { generateName: extra.generateName } : {}),
      namespace: owner.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}), ...(extra.labels ?? {}) },
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [ownerReference(owner)],
    },
    spec: structuredClone({ ...(template.spec ?? {}), ...(extra.spec ?? {}) }),
  };
}

const phaseOf = (pod: KubeObject) => (pod.status as { phase?: string } | undefined)?.phase;

/** Counts toward replicas: not finished and not being deleted. */
export function isPodActive(pod: KubeObject): boolean {
  const phase = phaseOf(pod);
  return !pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

function readyCondition(pod: KubeObject) {
  const conditions = (
    pod.status as { conditions?: { type: string; status: string; lastTransitionTime?: string }[] }
  )?.conditions;
  return conditions?.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: KubeObject): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** Ready for at least minReadySeconds; otherwise the ms until it will be (for a timer), or Infinity if not ready. */
export function msUntilAvailable(pod: KubeObject, minReadySeconds: number, now: number): number {
  const ready = readyCondition(pod);
  if (ready?.status !== 'True') return Infinity;
  if (!minReadySeconds) return 0;
  const since = Date.parse(ready.lastTransitionTime ?? '') || now;
  return Math.max(0, since + minReadySeconds * 1000 - now);
}

/**
 * Order pods for scale-down as the ReplicaSet controller does: unscheduled before scheduled, pending before running,
 * not ready before ready, more restarts before fewer, newer before older.
 */
export function deletionOrder(a: KubeObject, b: KubeObject): number {
  const scheduled = (p: KubeObject) => ((p.spec as { nodeName?: string } | undefined)?.nodeName ? 1 : 0);
  const phaseRank = (p: KubeObject) => ({ Pending: 0, Unknown: 1, Running: 2 })[phaseOf(p) ?? 'Pending'] ?? 0;
  const ready = (p: KubeObject) => (isPodReady(p) ? 1 : 0);
  const restarts = (p: KubeObject) =>
    (
      (p.status as { containerStatuses?: { restartCount?: number }[] } | undefined)?.containerStatuses ?? []
    ).reduce((sum, c) => sum + (c.restartCount ?? 0), 0);
  const created = (p: KubeObject) => Date.parse(p.metadata.creationTimestamp ?? '') || 0;
  return (
    scheduled(a) - scheduled(b) ||
    phaseRank(a) - phaseRank(b) ||
    ready(a) - ready(b) ||
    restarts(b) - restarts(a) ||
    created(b) - created(a)
  );
}
