// Job: run pods until `completions` succeed, at most `parallelism` at a time, giving up after `backoffLimit`
// failures; conditions and counters as `kubectl get/describe job` show them.
import type { ClusterClient, Clock, KubeObject, RandomSource } from '../types.ts';
import type { EventRecorder } from './events.ts';
import type { Informer } from './runtime.ts';
import { REF } from './runtime.ts';
import { PodOwnerController } from './pod-owner.ts';
import { isPodActive, isPodReady, podFromTemplate, randomSuffix, type PodTemplate } from './workloads.ts';

interface JobSpec {
  completions?: number;
  parallelism?: number;
  backoffLimit?: number;
  suspend?: boolean;
  template?: PodTemplate;
}

const phaseOf = (pod: KubeObject) => (pod.status as { phase?: string } | undefined)?.phase;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface JobPlan {
  create: number;
  removeActive: boolean;
  finished?: 'Complete' | 'Failed';
  succeeded: number;
  failed: number;
  active: number;
  ready: number;
}

export function planJob(job: KubeObject, owned: KubeObject[], inFlight: number): JobPlan {
  const spec = (job.spec ?? {}) as JobSpec;
  const completions = spec.completions ?? 1;
  const parallelism = spec.parallelism ?? 1;
  const succeeded = owned.filter((p) => phaseOf(p) === 'Succeeded').length;
  const failed = owned.filter((p) => phaseOf(p) === 'Failed').length;
  const active = owned.filter(isPodActive);
  const ready = active.filter(isPodReady).length;
  const done = ((job.status ?? {}) as { conditions?: { type: string; status: string }[] }).conditions?.some(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
  const base = { succeeded, failed, active: active.length, ready };
  if (done) return { ...base, create: 0, removeActive: false };
  if (failed > (spec.backoffLimit ?? 6))
    return { ...base, create: 0, removeActive: true, finished: 'Failed' };
  if (succeeded >= completions)
    return { ...base, create: 0, removeActive: active.length > 0, finished: 'Complete' };
  if (spec.suspend || job.metadata.deletionTimestamp) return { ...base, create: 0, removeActive: false };
  const wanted = Math.min(parallelism, completions - succeeded);
  return { ...base, create: Math.max(0, wanted - active.length - inFlight), removeActive: false };
}

export class JobController extends PodOwnerController {
  constructor(
    client: ClusterClient,
    owners: Informer,
    pods: Informer,
    recorder: EventRecorder,
    clock: Clock,
    private readonly random: RandomSource,
  ) {
    super(client, REF.jobs, owners, pods, recorder, clock, 'job-controller');
  }

  protected reconcile(job: KubeObject, owned: KubeObject[], inFlight: number): void {
    const plan = planJob(job, owned, inFlight);
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
          podFromTemplate(spec.template ?? {}, job, `${name}-${randomSuffix(this.random)}`, { labels }),
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
    const now = iso(this.clock.now());
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
  }
}
