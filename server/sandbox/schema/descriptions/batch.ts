// What `kubectl explain` says of the types of batch/v1 (see ../descriptions.ts).
import { condition, metadata, type Texts } from './common.ts';
export const batch: Texts = {
  'batch.v1.CronJob': {
    '': 'A CronJob creates Jobs on a repeating schedule, as cron does.',
    spec: 'The schedule and the Job to create.',
    status: 'The active jobs and the last schedule time.',
    metadata: metadata('cron job'),
  },
  'batch.v1.CronJobSpec': {
    '': 'The desired schedule of a CronJob.',
    schedule: 'When to run, in cron syntax: "*/5 * * * *" is every five minutes.',
    timeZone: "The time zone of the schedule (default: the controller's).",
    concurrencyPolicy: 'Allow (default), Forbid (skip a run while one is active) or Replace.',
    suspend: 'While true, no new job is created.',
    jobTemplate: 'The Job to create.',
    successfulJobsHistoryLimit: 'Finished jobs kept (default 3).',
    failedJobsHistoryLimit: 'Failed jobs kept (default 1).',
    startingDeadlineSeconds: 'Seconds after a missed time during which the run may still start.',
  },
  'batch.v1.CronJobStatus': {
    '': 'What the cron job has run; read-only.',
    active: 'The jobs it started that are still running.',
    lastScheduleTime: 'When it last started a job.',
    lastSuccessfulTime: 'When a job it started last succeeded.',
  },
  'batch.v1.Job': {
    '': 'A Job runs pods until a number of them finish successfully, retrying failed ones.',
    spec: 'The pod to run, how many completions, how many retries.',
    status: 'Active, succeeded and failed pods, and the Complete or Failed condition.',
    metadata: metadata('job'),
  },
  'batch.v1.JobCondition': {
    ...condition('job', 'Complete, Failed, Suspended, FailureTarget or SuccessCriteriaMet'),
    lastProbeTime: 'When the condition was last checked.',
  },
  'batch.v1.JobSpec': {
    '': 'The desired run of a Job.',
    parallelism: 'How many pods may run at once (default 1).',
    completions: 'How many pods must succeed (default 1).',
    backoffLimit: 'Retries before the job is marked failed (default 6).',
    activeDeadlineSeconds: 'Seconds the job may run before it is stopped and marked failed.',
    template: 'The pod to run; its restartPolicy must be OnFailure or Never.',
    ttlSecondsAfterFinished: 'Seconds after it finishes before the job is deleted.',
    suspend: 'While true, no pod is started.',
    selector: 'Set by the server; leave it out.',
    podFailurePolicy:
      "Rules deciding, from a failed pod's exit code or conditions, whether to retry, ignore or fail the job.",
    successPolicy: 'When an Indexed job counts as succeeded before every index is done.',
    backoffLimitPerIndex: 'For an Indexed job: retries allowed for each index separately.',
    maxFailedIndexes:
      'For an Indexed job with backoffLimitPerIndex: fail the job once this many indexes have failed.',
    manualSelector: 'True lets you write spec.selector yourself; normally the server generates it.',
    completionMode:
      'NonIndexed (default): any completions count; Indexed: each pod gets an index from 0 to completions-1.',
    podReplacementPolicy:
      'When a replacement pod is created: TerminatingOrFailed, or Failed (only once the old pod is gone).',
    managedBy: 'The controller that runs this job; empty means the built-in Job controller.',
  },
  'batch.v1.JobStatus': {
    '': 'How far the job has got; read-only.',
    conditions: 'Whether the job is complete, failed or suspended.',
    startTime: 'When the job controller started the job.',
    completionTime: 'When the job succeeded.',
    active: 'Pods running now.',
    succeeded: 'Pods that succeeded.',
    failed: 'Pods that failed.',
    terminating: 'Pods shutting down.',
    completedIndexes: 'For an Indexed job: the indexes that succeeded, e.g. 1,3-5.',
    failedIndexes: 'For an Indexed job with backoffLimitPerIndex: the indexes that failed.',
    uncountedTerminatedPods:
      'Pods that finished but are not yet in the counts (bookkeeping of the controller).',
    ready: 'Pods that are ready.',
  },
  'batch.v1.JobTemplateSpec': {
    '': 'The job a cron job creates each time it fires.',
    metadata: 'Labels and annotations for the created jobs.',
    spec: 'The spec of the created jobs.',
  },
  'batch.v1.PodFailurePolicy': {
    '': 'Rules applied, in order, to each failed pod of a job.',
    rules: 'The rules; the first that matches decides.',
  },
  'batch.v1.PodFailurePolicyOnExitCodesRequirement': {
    '': "Matches a failed pod by its containers' exit codes.",
    containerName: 'Only this container counts; empty means any container.',
    operator: 'In or NotIn.',
    values: 'The exit codes.',
  },
  'batch.v1.PodFailurePolicyOnPodConditionsPattern': {
    '': 'Matches a failed pod by one of its conditions, e.g. DisruptionTarget.',
    type: 'The pod condition type.',
    status: 'The status it must have; True by default.',
  },
  'batch.v1.PodFailurePolicyRule': {
    '': 'What to do with a pod failure that matches.',
    action: 'FailJob, FailIndex, Ignore (not counted against backoffLimit) or Count (the default behaviour).',
    onExitCodes: 'Match by exit code.',
    onPodConditions: 'Match by pod condition.',
  },
  'batch.v1.SuccessPolicy': {
    '': 'When an Indexed job may be declared successful early.',
    rules: 'The job succeeds as soon as one rule is met.',
  },
  'batch.v1.SuccessPolicyRule': {
    '': 'A set of indexes, or a count of them, that must succeed.',
    succeededIndexes: 'Indexes that must succeed, e.g. 0,2-4.',
    succeededCount: 'How many indexes must succeed (among succeededIndexes if given).',
  },
  'batch.v1.UncountedTerminatedPods': {
    '': 'Uids of finished pods the job controller has yet to count.',
    succeeded: 'Pods that succeeded.',
    failed: 'Pods that failed.',
  },
};
