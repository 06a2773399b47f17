// Job: run pods until `completions` succeed, at most `parallelism` at a time, giving up after `backoffLimit`
// failures; conditions and counters as `kubectl get/describe job` show them.
import type { ClusterClient, KubeObject } from '../types.ts';
import type { EventRecorder } from './events.ts';
import type { Informer } from './runtime.ts';
import { REF, keyOf } from './runtime.ts';
import { PodOwnerController } from './pod-owner.ts';
import { isPodActive, isPodReady, podFromTemplate, randomSuffix, type PodTemplate } from './workloads.ts';
import type { Clock } from '../../clock.ts';
import type { RandomSource } from '../../random.ts';
import { kubeTime } from '../time.ts';

interface JobSpec {
  completions?: number;
  parallelism?: number;
  backoffLimit?: number;
  suspend?: boolean;
  template?: PodTemplate;
}

const phaseOf = (pod: KubeObject) => (pod.status as { phase?: string } | undefined)?.phase;

/** The Job controller's pod-failure back-off: 10 s, doubled per failure in a row, at most 6 min. */
const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 360_000;

interface ContainerStatus {
  restartCount?: number;
  state?: { terminated?: { finishedAt?: string } };
}

const containerStatuses = (pod: KubeObject): ContainerStatus[] => {
  const status = (pod.status ?? {}) as {
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
  return [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
};

/** When a finished pod's last container ended, to the second as the API records it (0 when unknown). */
export const finishedAt = (pod: KubeObject) =>
  Math.max(0, ...containerStatuses(pod).map((c) => Date.parse(c.state?.terminated?.finishedAt ?? '') || 0));

export interface JobPlan {
  create: number;
  removeActive: boolean;
  finished?: 'Complete' | 'Failed';
  succeeded: number;
  failed: number;
  active: number;
  ready: number;
  /** Replacements wait out the failure back-off: look again then. */
  recheckInMs?: number;
}

/**
 * The next step. Failures count toward backoffLimit as the real controller counts them: failed pods, and with
 * restartPolicy OnFailure also container restarts in the active pods (their failures never end a pod). After a
 * failure a replacement waits 10 s × 2^(failures in a row − 1), at most 6 min, times `timeScale`.
 */
export function planJob(
  job: KubeObject,
  owned: KubeObject[],
  inFlight: number,
  now = 0,
  timeScale = 1,
  endedAt: (pod: KubeObject) => number = finishedAt,
): JobPlan {
  const spec = (job.spec ?? {}) as JobSpec;
  const completions = spec.completions ?? 1;
  const parallelism = spec.parallelism ?? 1;
  const backoffLimit = spec.backoffLimit ?? 6;
  const succeededPods = owned.filter((p) => phaseOf(p) === 'Succeeded');
  const failedPods = owned.filter((p) => phaseOf(p) === 'Failed');
  const succeeded = succeededPods.length;
  const failed = failedPods.length;
  const active = owned.filter(isPodActive);
  const ready = active.filter(isPodReady).length;
  const status = (job.status ?? {}) as {
    conditions?: { type: string; status: string }[];
    succeeded?: number;
    failed?: number;
  };
  const done = status.conditions?.some(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
  const base = { succeeded, failed, active: active.length, ready };
  // A finished Job keeps its counts when its pods go (a drain, a delete): the real controller counted them as they
  // ended (with finalizers), it never counts them again.
  if (done) {
    return {
      ...base,
      succeeded: Math.max(succeeded, status.succeeded ?? 0),
      failed: Math.max(failed, status.failed ?? 0),
      create: 0,
      removeActive: false,
    };
  }
  const onFailure =
    (spec.template?.spec as { restartPolicy?: string } | undefined)?.restartPolicy === 'OnFailure';
  const restarts = onFailure
    ? active.reduce(
        (sum, pod) => sum + containerStatuses(pod).reduce((n, c) => n + (c.restartCount ?? 0), 0),
        0,
      )
    : 0;
  // As kube-controller-manager: with OnFailure, backoffLimit 0 allows no restart and n allows n − 1.
  const restartsExceeded = onFailure && (backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit);
  if (failed > backoffLimit || restartsExceeded)
    return { ...base, create: 0, removeActive: true, finished: 'Failed' };
  if (succeeded >= completions)
    return { ...base, create: 0, removeActive: active.length > 0, finished: 'Complete' };
  if (spec.suspend || job.metadata.deletionTimestamp) return { ...base, create: 0, removeActive: false };
  const wanted = Math.max(0, Math.min(parallelism, completions - succeeded) - active.length - inFlight);
  const lastSuccess = Math.max(0, ...succeededPods.map(endedAt));
  const inARow = failedPods.filter((p) => endedAt(p) >= lastSuccess);
  if (wanted > 0 && inARow.length > 0) {
    const backoff = Math.min(BACKOFF_BASE_MS * 2 ** (inARow.length - 1), BACKOFF_MAX_MS) * timeScale;
    const waitMs = Math.max(...inARow.map(endedAt)) + backoff - now;
    if (waitMs > 0) return { ...base, create: 0, removeActive: false, recheckInMs: waitMs };
  }
  return { ...base, create: wanted, removeActive: false };
}

export class JobController extends PodOwnerController {
  /** job uid → pod uid → when the controller saw that pod finished */
  private readonly endings = new Map<string, Map<string, number>>();

  constructor(
    client: ClusterClient,
    owners: Informer,
    pods: Informer,
    recorder: EventRecorder,
    clock: Clock,
    private readonly random: RandomSource,
    /** The sandbox speed's factor on back-offs. */
    private readonly timeScale: number,
  ) {
    super(client, REF.jobs, owners, pods, recorder, clock, 'job-controller');
  }

  protected override onOwnerDeleted(job: KubeObject): void {
    this.endings.delete(job.metadata.uid ?? '');
  }

  /**
   * When each finished pod ended: its finishedAt is kept to the second only, too coarse for back-offs scaled
   * down to fractions of a second, so the controller remembers when it first saw the pod finished (as the real
   * one keeps its back-off records in memory).
   */
  private endedAt(job: KubeObject, owned: KubeObject[]): (pod: KubeObject) => number {
    const uid = job.metadata.uid ?? '';
    const seen = this.endings.get(uid) ?? new Map<string, number>();
    const now = this.clock.now();
    const kept = new Map<string, number>();
    for (const pod of owned) {
      if (isPodActive(pod) || pod.metadata.deletionTimestamp) continue;
      const podUid = pod.metadata.uid ?? '';
      kept.set(podUid, seen.get(podUid) ?? now);
    }
    this.endings.set(uid, kept);
    return (pod) => kept.get(pod.metadata.uid ?? '') ?? finishedAt(pod);
  }

  protected reconcile(job: KubeObject, owned: KubeObject[], inFlight: number): void {
    const ended = this.endedAt(job, owned);
    const plan = planJob(job, owned, inFlight, this.clock.now(), this.timeScale, ended);
    const spec = (job.spec ?? {}) as JobSpec;
    const name = job.metadata.name ?? '';
    const uid = job.metadata.uid ?? '';
    const labels = {
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': name,
      'controller-uid': uid,
      'job-name': name,
    };
    for (let created = 0; created < plan.create;) {
      if (
        this.createPod(
          job,
          podFromTemplate(spec.template ?? {}, job, `${name}-${randomSuffix(this.random)}`, {
            labels,
            generateName: `${name}-`,
          }),
        )
      ) {
        created++;
      }
    }
    if (plan.removeActive) for (const pod of owned.filter(isPodActive)) this.deletePod(job, pod);

    const previous = (job.status ?? {}) as {
      startTime?: string;
      conditions?: unknown[];
      completionTime?: string;
    };
    const now = kubeTime(this.clock.now());
    const status: Record<string, unknown> = {
      startTime: previous.startTime ?? now,
      active: plan.active || undefined,
      ready: plan.ready,
      succeeded: plan.succeeded || undefined,
      failed: plan.failed || undefined,
      terminating: 0,
      uncountedTerminatedPods: {},
    };
    if (plan.finished && !previous.conditions?.length) {
      const condition = (type: string, reason: string, message: string) => ({
        type,
        status: 'True',
        reason,
        message,
        lastProbeTime: now,
        lastTransitionTime: now,
      });
      if (plan.finished === 'Complete') {
        status.conditions = [
          condition('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods'),
          condition('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods'),
        ];
        status.completionTime = now;
        this.recorder.record(
          job,
          { component: 'job-controller' },
          { type: 'Normal', reason: 'Completed', message: 'Job completed' },
        );
      } else {
        status.conditions = [
          condition('FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'),
          condition('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'),
        ];
        this.recorder.record(
          job,
          { component: 'job-controller' },
          {
            type: 'Warning',
            reason: 'BackoffLimitExceeded',
            message: 'Job has reached the specified backoff limit',
          },
        );
      }
    }
    this.writeStatus(job, status);
    if (plan.recheckInMs !== undefined) this.queue.enqueueAfter(keyOf(job), plan.recheckInMs + 1);
  }
}
