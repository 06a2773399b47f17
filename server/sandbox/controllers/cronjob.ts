// CronJob: at each scheduled minute, a Job `<name>-<minutes since epoch>` from the jobTemplate, honouring suspend
// and concurrencyPolicy, keeping successful/failed history limits. A timer is set for the next run: no polling.
import type { ClusterClient, KubeObject } from '../types.ts';
import type { EventRecorder } from './events.ts';
import type { Informer } from './runtime.ts';
import { KeyedTimers, REF, ReconcileQueue, keyOf } from './runtime.ts';
import { statusCode } from '../../errors.ts';
import { writeStatusIfChanged } from './pod-owner.ts';
import { ownerReference } from './workloads.ts';
import { nextRun, parseCron } from '../cron.ts';
import type { Clock } from '../../clock.ts';
import { kubeTime } from '../time.ts';

interface CronJobSpec {
  schedule?: string;
  suspend?: boolean;
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
  jobTemplate?: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec?: Record<string, unknown>;
  };
}

const SOURCE = { component: 'cronjob-controller' };

function finished(job: KubeObject): 'Complete' | 'Failed' | undefined {
  const conditions =
    ((job.status ?? {}) as { conditions?: { type: string; status: string }[] }).conditions ?? [];
  return conditions.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')
    ?.type as 'Complete' | 'Failed' | undefined;
}

export class CronJobController {
  private readonly queue: ReconcileQueue;
  private readonly timers: KeyedTimers;

  constructor(
    private readonly client: ClusterClient,
    private readonly cronJobs: Informer,
    private readonly jobs: Informer,
    private readonly recorder: EventRecorder,
    private readonly clock: Clock,
  ) {
    this.queue = new ReconcileQueue(clock, 'cronjobs', (key) => this.reconcile(key));
    this.timers = new KeyedTimers(clock);
    cronJobs.onChange((type, cronJob) => {
      if (type === 'DELETED') this.timers.cancel(keyOf(cronJob));
      else this.queue.enqueue(keyOf(cronJob));
    });
    jobs.onChange((_type, job, previous) => {
      const uid = (job.metadata.ownerReferences ?? previous?.metadata.ownerReferences ?? []).find(
        (r) => r.kind === 'CronJob',
      )?.uid;
      const owner = uid ? this.cronJobs.byIndex('uid', uid)[0] : undefined;
      if (owner) this.queue.enqueue(keyOf(owner));
    });
  }

  stop(): void {
    this.queue.stop();
    this.timers.cancelAll();
  }

  private reconcile(key: string): void {
    const slash = key.indexOf('/');
    const cronJob = this.cronJobs.get(key.slice(0, slash), key.slice(slash + 1));
    if (!cronJob || cronJob.metadata.deletionTimestamp) return;
    const spec = (cronJob.spec ?? {}) as CronJobSpec;
    let schedule;
    try {
      schedule = parseCron(spec.schedule ?? '');
    } catch (error) {
      this.recorder.record(cronJob, SOURCE, {
        type: 'Warning',
        reason: 'UnparseableSchedule',
        message: `unparseable schedule: "${spec.schedule}" : ${(error as Error).message}`,
      });
      return;
    }
    const owned = this.jobs.byIndex('controller', cronJob.metadata.uid ?? '');
    const status = (cronJob.status ?? {}) as { lastScheduleTime?: string };
    const now = this.clock.now();
    const since = Date.parse(status.lastScheduleTime ?? cronJob.metadata.creationTimestamp ?? '') || now;
    const due = nextRun(schedule, since);
    let lastScheduleTime = status.lastScheduleTime;
    if (due !== undefined && due <= now && !spec.suspend) {
      if (this.runJob(cronJob, spec, due, owned)) lastScheduleTime = kubeTime(due);
    }
    this.pruneHistory(spec, owned);
    const active = owned.filter((job) => !finished(job) && !job.metadata.deletionTimestamp);
    const successes = owned.filter((job) => finished(job) === 'Complete');
    const lastSuccess = successes
      .map((job) => ((job.status ?? {}) as { completionTime?: string }).completionTime ?? '')
      .sort()
      .pop();
    writeStatusIfChanged(this.client, REF.cronjobs, cronJob, {
      active: active.length
        ? active.map((job) => ({
            apiVersion: 'batch/v1',
            kind: 'Job',
            name: job.metadata.name,
            namespace: job.metadata.namespace,
            uid: job.metadata.uid,
          }))
        : undefined,
      lastScheduleTime,
      ...(lastSuccess ? { lastSuccessfulTime: lastSuccess } : {}),
    });
    const next = nextRun(schedule, Math.max(now, Date.parse(lastScheduleTime ?? '') || 0));
    if (next !== undefined) this.timers.schedule(key, next - now, () => this.queue.enqueue(key));
  }

  /** Start the run due at `at`; false when concurrencyPolicy Forbid skips it. */
  private runJob(cronJob: KubeObject, spec: CronJobSpec, at: number, owned: KubeObject[]): boolean {
    const running = owned.filter((job) => !finished(job) && !job.metadata.deletionTimestamp);
    if (running.length && spec.concurrencyPolicy === 'Forbid') return false;
    if (spec.concurrencyPolicy === 'Replace') {
      for (const job of running) this.deleteJob(job);
    }
    const name = `${cronJob.metadata.name}-${Math.floor(at / 60_000)}`;
    try {
      this.client.create(REF.jobs, cronJob.metadata.namespace, {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {
          name,
          labels: { ...(spec.jobTemplate?.metadata?.labels ?? {}) },
          annotations: {
            ...(spec.jobTemplate?.metadata?.annotations ?? {}),
            'batch.kubernetes.io/cronjob-scheduled-timestamp': kubeTime(at),
          },
          ownerReferences: [ownerReference(cronJob)],
        },
        spec: structuredClone(spec.jobTemplate?.spec ?? {}),
      });
    } catch (error) {
      if (statusCode(error) !== 409) throw error;
      return true;
    }
    this.recorder.record(cronJob, SOURCE, {
      type: 'Normal',
      reason: 'SuccessfulCreate',
      message: `Created job ${name}`,
    });
    return true;
  }

  private pruneHistory(spec: CronJobSpec, owned: KubeObject[]): void {
    const byAge = (a: KubeObject, b: KubeObject) =>
      (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '');
    for (const [kind, limit] of [
      ['Complete', spec.successfulJobsHistoryLimit ?? 3],
      ['Failed', spec.failedJobsHistoryLimit ?? 1],
    ] as const) {
      const done = owned
        .filter((job) => finished(job) === kind && !job.metadata.deletionTimestamp)
        .sort(byAge);
      for (const job of done.slice(0, Math.max(0, done.length - limit))) this.deleteJob(job);
    }
  }

  private deleteJob(job: KubeObject): void {
    try {
      this.client.delete(REF.jobs, job.metadata.namespace, job.metadata.name ?? '', {
        propagationPolicy: 'Background',
      });
    } catch (error) {
      if (statusCode(error) !== 404) throw error;
    }
  }
}
