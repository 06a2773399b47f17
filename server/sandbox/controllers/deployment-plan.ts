// The Deployment controller's decisions, pure: given a Deployment and its ReplicaSets, what to scale, create and
// delete, and the status to report. Mirrors kube-controller-manager's rolling/recreate logic closely enough that
// `kubectl rollout status|history|undo` read the same story.
import type { KubeObject } from '../types.ts';
import type { PodTemplate } from './workloads.ts';
import { kubeTime } from '../time.ts';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const HASH_LABEL = 'pod-template-hash';
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

interface DeploymentSpec {
  replicas?: number;
  paused?: boolean;
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  progressDeadlineSeconds?: number;
  strategy?: {
    type?: string;
    rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string };
  };
  selector?: { matchLabels?: Record<string, string> };
  template?: PodTemplate;
}

interface RsStatus {
  replicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
}

export const deploymentSpec = (d: KubeObject) => (d.spec ?? {}) as DeploymentSpec;
const rsReplicas = (rs: KubeObject) => ((rs.spec ?? {}) as { replicas?: number }).replicas ?? 0;
const rsStatus = (rs: KubeObject) => (rs.status ?? {}) as RsStatus;
export const revisionOf = (o: KubeObject) => Number(o.metadata.annotations?.[REVISION] ?? 0) || 0;

/** JSON with sorted keys, so equal templates serialise equally whatever order their fields arrived in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The template without its pod-template-hash label. A copy of the levels it changes only: every reconcile compares
 * templates, and a deep copy of each was most of a Deployment pass. The result shares the rest: read it only.
 */
export function templateWithoutHash(template: PodTemplate | undefined): PodTemplate {
  const labels = template?.metadata?.labels;
  // Empty labels count as none, as an emptied set does.
  if (!template || !labels || (!(HASH_LABEL in labels) && Object.keys(labels).length > 0))
    return template ?? {};
  const { [HASH_LABEL]: _hash, ...rest } = labels;
  const metadata = { ...template.metadata };
  if (Object.keys(rest).length === 0) delete metadata.labels;
  else metadata.labels = rest;
  return { ...template, metadata };
}

/** pod-template-hash: FNV-1a of the template, its decimal digits mapped onto the safe alphabet (as Kubernetes). */
export function podTemplateHash(template: PodTemplate | undefined, collisionCount = 0): string {
  let hash = 0x811c9dc5;
  const text = canonicalJson(templateWithoutHash(template)) + (collisionCount ? String(collisionCount) : '');
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return [...String(hash)].map((digit) => SAFE[digit.charCodeAt(0) % SAFE.length]).join('');
}

/** maxSurge / maxUnavailable: ints, or percentages of replicas (surge rounds up, unavailable down). */
export function resolveFenceposts(spec: DeploymentSpec): { maxSurge: number; maxUnavailable: number } {
  const replicas = spec.replicas ?? 1;
  const value = (v: number | string | undefined, fallback: string, roundUp: boolean) => {
    const raw = v ?? fallback;
    if (typeof raw === 'number') return raw;
    const percent = Number(raw.replace('%', ''));
    const exact = (percent * replicas) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  };
  const rolling = spec.strategy?.rollingUpdate;
  const maxSurge = value(rolling?.maxSurge, '25%', true);
  let maxUnavailable = value(rolling?.maxUnavailable, '25%', false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable: Math.min(maxUnavailable, replicas) };
}

export interface Scale {
  rs: KubeObject;
  to: number;
}

export interface DeploymentPlan {
  /** No ReplicaSet holds the current template: create one with this name, replicas and revision. */
  createRs?: { name: string; hash: string; replicas: number; revision: number };
  /** The existing ReplicaSet that now holds the template again (rollback): give it this revision. */
  reviseRs?: { rs: KubeObject; revision: number };
  scales: Scale[];
  deleteRs: KubeObject[];
  status: Record<string, unknown>;
  /** When the progress deadline would pass. */
  deadlineInMs?: number;
}

function condition(
  previous: {
    type: string;
    status: string;
    reason?: string;
    lastUpdateTime?: string;
    lastTransitionTime?: string;
  }[],
  type: string,
  status: string,
  reason: string,
  message: string,
  now: string,
) {
  const before = previous.find((c) => c.type === type);
  const same = before?.status === status && before?.reason === reason;
  return {
    type,
    status,
    lastUpdateTime: same ? (before?.lastUpdateTime ?? now) : now,
    lastTransitionTime: before?.status === status ? (before?.lastTransitionTime ?? now) : now,
    reason,
    message,
  };
}

export function planDeployment(
  deployment: KubeObject,
  replicaSets: KubeObject[],
  nowMs: number,
): DeploymentPlan {
  const spec = deploymentSpec(deployment);
  const desired = spec.replicas ?? 1;
  const name = deployment.metadata.name ?? '';
  const templateKey = canonicalJson(templateWithoutHash(spec.template));
  const live = replicaSets.filter((rs) => !rs.metadata.deletionTimestamp);
  const current = live.find(
    (rs) =>
      canonicalJson(templateWithoutHash((rs.spec as { template?: PodTemplate }).template)) === templateKey,
  );
  const old = live.filter((rs) => rs !== current).sort((a, b) => revisionOf(a) - revisionOf(b));
  const maxRevision = Math.max(0, ...live.map(revisionOf));
  const plan: DeploymentPlan = { scales: [], deleteRs: [], status: {} };
  const scale = (rs: KubeObject, to: number) => {
    if (rsReplicas(rs) !== to) plan.scales.push({ rs, to });
  };
  const deleting = Boolean(deployment.metadata.deletionTimestamp);
  const { maxSurge, maxUnavailable } = resolveFenceposts(spec);
  const recreate = spec.strategy?.type === 'Recreate';
  const oldActive = old.reduce((sum, rs) => sum + Math.max(rsReplicas(rs), rsStatus(rs).replicas ?? 0), 0);

  if (!deleting && !spec.paused) {
    if (!current) {
      const hash = podTemplateHash(spec.template);
      let replicas: number;
      if (recreate) replicas = oldActive > 0 ? 0 : desired;
      else if (old.length === 0) replicas = desired;
      else {
        const total = old.reduce((sum, rs) => sum + rsReplicas(rs), 0);
        replicas = Math.max(0, Math.min(desired, desired + maxSurge - total));
      }
      plan.createRs = { name: `${name}-${hash}`, hash, replicas, revision: maxRevision + 1 };
      if (recreate) for (const rs of old) scale(rs, 0);
    } else {
      if (revisionOf(current) < maxRevision) plan.reviseRs = { rs: current, revision: maxRevision + 1 };
      if (recreate) {
        for (const rs of old) scale(rs, 0);
        scale(current, oldActive > 0 ? 0 : desired);
      } else if (old.every((rs) => rsReplicas(rs) === 0)) {
        scale(current, desired);
      } else {
        rollingStep(current, old, desired, maxSurge, maxUnavailable, scale);
      }
    }
  } else if (spec.paused && current && !deleting) {
    // Paused: no rollout, but `kubectl scale` still applies to the current ReplicaSet when it is the only one.
    if (old.every((rs) => rsReplicas(rs) === 0)) scale(current, desired);
  }

  // Keep revisionHistoryLimit old ReplicaSets that are scaled to zero; delete the oldest beyond that.
  const limit = spec.revisionHistoryLimit ?? 10;
  const idle = old.filter((rs) => rsReplicas(rs) === 0 && (rsStatus(rs).replicas ?? 0) === 0);
  if (idle.length > limit) plan.deleteRs = idle.slice(0, idle.length - limit);

  const all = live;
  const sum = (f: (rs: KubeObject) => number) => all.reduce((total, rs) => total + f(rs), 0);
  const available = sum((rs) => rsStatus(rs).availableReplicas ?? 0);
  const updated = current ? (rsStatus(current).replicas ?? 0) : 0;
  const updatedAvailable = current ? (rsStatus(current).availableReplicas ?? 0) : 0;
  const now = kubeTime(nowMs);
  const previous = ((deployment.status ?? {}) as { conditions?: [] }).conditions ?? [];
  const rsName = current?.metadata.name ?? plan.createRs?.name ?? '';
  const totalReplicas = sum((rs) => rsStatus(rs).replicas ?? 0);
  const complete =
    current !== undefined &&
    updated === desired &&
    updatedAvailable === desired &&
    totalReplicas === desired &&
    rsReplicas(current) === desired;
  const progressing = spec.paused
    ? condition(previous, 'Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', now)
    : complete
      ? condition(
          previous,
          'Progressing',
          'True',
          'NewReplicaSetAvailable',
          `ReplicaSet "${rsName}" has successfully progressed.`,
          now,
        )
      : plan.createRs
        ? condition(
            previous,
            'Progressing',
            'True',
            'NewReplicaSetCreated',
            `Created new replica set "${rsName}"`,
            now,
          )
        : condition(
            previous,
            'Progressing',
            'True',
            'ReplicaSetUpdated',
            `ReplicaSet "${rsName}" is progressing.`,
            now,
          );
  const deadline = (spec.progressDeadlineSeconds ?? 600) * 1000;
  const before = previous.find((c: { type: string }) => c.type === 'Progressing') as
    { reason?: string; lastUpdateTime?: string } | undefined;
  let progressingCondition = progressing;
  if (!spec.paused && !complete) {
    // The deadline counts from the last progress; exceeded stays exceeded until the rollout moves again.
    const progressed = plan.scales.length > 0 || plan.createRs !== undefined;
    const since = progressed ? nowMs : Date.parse(before?.lastUpdateTime ?? now) || nowMs;
    if ((before?.reason === 'ProgressDeadlineExceeded' && !progressed) || nowMs - since >= deadline) {
      progressingCondition = condition(
        previous,
        'Progressing',
        'False',
        'ProgressDeadlineExceeded',
        `ReplicaSet "${rsName}" has timed out progressing.`,
        now,
      );
    } else {
      if (progressed) progressingCondition = { ...progressing, lastUpdateTime: now };
      plan.deadlineInMs = since + deadline - nowMs;
    }
  }
  const minAvailable = desired - maxUnavailable;
  const availableCondition =
    available >= minAvailable || (recreate && available >= desired)
      ? condition(
          previous,
          'Available',
          'True',
          'MinimumReplicasAvailable',
          'Deployment has minimum availability.',
          now,
        )
      : condition(
          previous,
          'Available',
          'False',
          'MinimumReplicasUnavailable',
          'Deployment does not have minimum availability.',
          now,
        );
  plan.status = {
    observedGeneration: deployment.metadata.generation ?? 0,
    replicas: totalReplicas,
    updatedReplicas: updated,
    readyReplicas: sum((rs) => rsStatus(rs).readyReplicas ?? 0),
    availableReplicas: available,
    ...(desired - available > 0
      ? { unavailableReplicas: desired - available }
      : { unavailableReplicas: undefined }),
    conditions: [availableCondition, progressingCondition],
  };
  return plan;
}

/** One step of a rolling update: surge the new ReplicaSet, then retire old pods while availability allows. */
function rollingStep(
  current: KubeObject,
  old: KubeObject[],
  desired: number,
  maxSurge: number,
  maxUnavailable: number,
  scale: (rs: KubeObject, to: number) => void,
): void {
  const total = rsReplicas(current) + old.reduce((sum, rs) => sum + rsReplicas(rs), 0);
  let newReplicas = rsReplicas(current);
  if (newReplicas < desired) {
    const up = Math.min(desired + maxSurge - total, desired - newReplicas);
    if (up > 0) newReplicas += up;
  } else if (newReplicas > desired) newReplicas = desired;
  scale(current, newReplicas);

  const available = rsStatus(current).availableReplicas ?? 0;
  const oldAvailable = old.reduce(
    (sum, rs) => sum + Math.min(rsStatus(rs).availableReplicas ?? 0, rsReplicas(rs)),
    0,
  );
  const minAvailable = desired - maxUnavailable;
  const newUnavailable = Math.max(0, rsReplicas(current) - available);
  let budget = total - minAvailable - newUnavailable;
  const target = new Map(old.map((rs) => [rs, rsReplicas(rs)]));
  // First retire old pods that are not available anyway, then available ones down to minAvailable.
  for (const rs of old) {
    const unhealthy = Math.max(0, rsReplicas(rs) - (rsStatus(rs).availableReplicas ?? 0));
    const cut = Math.max(0, Math.min(unhealthy, budget));
    target.set(rs, rsReplicas(rs) - cut);
    budget -= cut;
  }
  let room = Math.min(budget, available + oldAvailable - minAvailable);
  for (const rs of old) {
    const cut = Math.max(0, Math.min(target.get(rs) ?? 0, room));
    target.set(rs, (target.get(rs) ?? 0) - cut);
    room -= cut;
  }
  for (const rs of old) scale(rs, target.get(rs) ?? 0);
}
