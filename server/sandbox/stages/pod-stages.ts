// The simulated kubelet's pod lifecycle as a table of stages. Pod rows act on the whole pod (admit, resync, kill,
// remove); container rows act on one container each, and the pod's phase and conditions are then derived from its
// containers, as the kubelet's status manager does. Rows are mutually exclusive: at most one matches a pod.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../types.ts';
import type { EventSpec } from '../controllers/events.ts';
import { parseImage, pullImage } from '../kubelet/images.ts';
import { livenessFailure, programOf } from '../kubelet/programs.ts';
import { programWithinLimits } from '../kubelet/out-of-memory.ts';
import { backoffLabel, backoffMs } from '../kubelet/backoff.ts';
import { shouldRestart, specOf, type ContainerSpec } from '../pod/spec.ts';
import {
  derivePodStatus,
  readinessDrifted,
  statusOf,
  type ContainerStatus,
  type PodStatus,
} from '../pod/status.ts';
import { podQosClass } from '../pod/qos.ts';
import { kubeTime } from '../time.ts';
import { within, type SpeedProfile } from './speed.ts';
import { stage, type Selection, type Stage, type StageEffect, type StageRow } from './stage.ts';
import type { RandomSource } from '../../random.ts';

/** What the kubelet remembers about a pod between stages (lost on restart, like a real kubelet's memory). */
export interface PodMemory {
  killing: boolean;
  pullFailures: Record<string, number>;
  /** Times the pod's volumes could not be attached (Multi-Attach): the retries back off. */
  attachFailures?: number;
}

export interface PodStageContext {
  now: number;
  speed: SpeedProfile;
  random: RandomSource;
  nodeName: string;
  nodeIP: string;
  /** The pod's IP in its node's pod CIDR (the same for the pod's whole life). */
  podIP(): string;
  /** Whether this node pulled the image before. */
  imagePresent(image: string): boolean;
  /** Read only: the kubelet updates it from the facts effects return. */
  memory: Readonly<PodMemory>;
  /** The attach-detach controller's Multi-Attach error holding the pod's volumes back, if any. */
  attachError(): string | undefined;
}

/** What the kubelet learns from an effect, besides what it writes. */
export interface PodFacts {
  /** Images now on the node (pulled, or found already present). */
  pulledImages?: string[];
  /** The container whose image pull failed once more. */
  pullFailed?: string;
  /** The kubelet began stopping the pod's containers. */
  killing?: true;
  /** Attaching the pod's volumes failed once more. */
  attachFailed?: true;
}

export interface PodStageEffect extends StageEffect {
  facts?: PodFacts;
}

export type PodStage = Stage<KubeObject, PodStageContext, PodStageEffect>;

/** The kubelet's memory of a pod once it learned `facts`. */
export function remember(memory: PodMemory, facts: PodFacts = {}): PodMemory {
  const failed = facts.pullFailed;
  const attachFailures = (memory.attachFailures ?? 0) + (facts.attachFailed ? 1 : 0);
  return {
    ...(attachFailures ? { attachFailures } : {}),
    killing: memory.killing || facts.killing === true,
    pullFailures:
      failed === undefined
        ? memory.pullFailures
        : { ...memory.pullFailures, [failed]: (memory.pullFailures[failed] ?? 0) + 1 },
  };
}

/** A container a row acts on: its spec and its status, found together once. */
export interface ContainerTarget {
  pod: KubeObject;
  spec: ContainerSpec;
  status: ContainerStatus;
}

const fieldPath = (name: string) => `spec.containers{${name}}`;

function containerID(pod: KubeObject, name: string, restartCount: number): string {
  const seed = `${pod.metadata.uid ?? pod.metadata.name}/${name}/${restartCount}`;
  return `containerd://${createHash('sha256').update(seed).digest('hex')}`;
}

export function withContainer(
  pod: KubeObject,
  now: number,
  name: string,
  change: (c: ContainerStatus) => ContainerStatus,
) {
  const status = statusOf(pod);
  const containerStatuses = (status.containerStatuses ?? []).map((c) => (c.name === name ? change(c) : c));
  return derivePodStatus(pod, { ...status, containerStatuses }, now);
}

const waitingReason = (c: ContainerStatus) => ('waiting' in c.state ? c.state.waiting.reason : undefined);
const startedAtOf = (c: ContainerStatus) => ('running' in c.state ? c.state.running.startedAt : undefined);
const terminatedOf = (c: ContainerStatus) => ('terminated' in c.state ? c.state.terminated : undefined);
const live = (pod: KubeObject) => !pod.metadata.deletionTimestamp;
/** A container the kubelet may create now: waiting in ContainerCreating, its pod's volumes attached. */
const creating = (c: ContainerStatus, context: PodStageContext) =>
  waitingReason(c) === 'ContainerCreating' && context.attachError() === undefined;
/** The attach-detach controller's retries of a volume held by another node: 0.5 s doubling, at most 2 min 2 s. */
const attachRetryMs = (failures: number) => Math.min(500 * 2 ** failures, 122_000);
const accepted = (pod: KubeObject) => Boolean(statusOf(pod).hostIP && statusOf(pod).containerStatuses);
const finished = (pod: KubeObject) => /Succeeded|Failed/.test(statusOf(pod).phase ?? '');

/** IfNotPresent/Never with the image on the node: no pull (the default policy for tagged images). */
function needsPull(container: ContainerSpec, context: PodStageContext): boolean {
  return container.imagePullPolicy === 'Always' || !context.imagePresent(container.image ?? '');
}

function pullEvents(container: ContainerSpec, context: PodStageContext, pullMs: number): EventSpec[] {
  const image = container.image ?? '';
  const path = fieldPath(container.name);
  if (!needsPull(container, context)) {
    return [
      {
        type: 'Normal',
        reason: 'Pulled',
        message: `Container image "${image}" already present on machine`,
        fieldPath: path,
      },
    ];
  }
  const result = pullImage(image);
  const seconds = `${(pullMs / 1000).toFixed(3)}s`;
  const size = result.ok ? result.size : 0;
  return [
    { type: 'Normal', reason: 'Pulling', message: `Pulling image "${image}"`, fieldPath: path },
    {
      type: 'Normal',
      reason: 'Pulled',
      message: `Successfully pulled image "${image}" in ${seconds} (${seconds} including waiting). Image size: ${size} bytes.`,
      fieldPath: path,
    },
  ];
}

function startedEvents(container: ContainerSpec): EventSpec[] {
  const path = fieldPath(container.name);
  return [
    { type: 'Normal', reason: 'Created', message: `Created container: ${container.name}`, fieldPath: path },
    { type: 'Normal', reason: 'Started', message: `Started container ${container.name}`, fieldPath: path },
  ];
}

function runningStatus(
  { pod, spec, status }: ContainerTarget,
  now: number,
  restartCount: number,
  lastState: ContainerStatus['lastState'],
): ContainerStatus {
  const pulled = pullImage(spec.image ?? '');
  return {
    ...status,
    imageID: pulled.ok ? pulled.imageID : '',
    containerID: containerID(pod, spec.name, restartCount),
    started: true,
    ready: !spec.readinessProbe,
    restartCount,
    state: { running: { startedAt: kubeTime(now) } },
    lastState,
  };
}

function pullFailure({ pod, spec }: ContainerTarget, context: PodStageContext): PodStageEffect {
  const image = spec.image ?? '';
  const result = pullImage(image);
  const message = result.ok ? '' : result.message;
  const reason = result.ok ? 'ErrImagePull' : result.reason;
  const path = fieldPath(spec.name);
  const events: EventSpec[] =
    reason === 'InvalidImageName'
      ? [{ type: 'Warning', reason: 'InspectFailed', message, fieldPath: path }]
      : [
          { type: 'Normal', reason: 'Pulling', message: `Pulling image "${image}"`, fieldPath: path },
          {
            type: 'Warning',
            reason: 'Failed',
            message: `Failed to pull image "${image}": ${message}`,
            fieldPath: path,
          },
        ];
  events.push({ type: 'Warning', reason: 'Failed', message: `Error: ${reason}`, fieldPath: path });
  return {
    status: withContainer(pod, context.now, spec.name, (c) => ({
      ...c,
      state: { waiting: { reason, message } },
    })),
    events,
    facts: { pullFailed: spec.name },
  };
}

/** A terminated container with the time it ran, for the rows that end a run. */
export function ended(
  c: ContainerStatus,
  startedAt: string,
  exitCode: number,
  now: number,
  reason = exitCode === 0 ? 'Completed' : 'Error',
): ContainerStatus {
  return {
    ...c,
    ready: false,
    started: false,
    state: {
      terminated: {
        exitCode,
        reason,
        startedAt,
        finishedAt: kubeTime(now),
        containerID: c.containerID,
      },
    },
  };
}

/** A row acting on one container: its `select` says whether it acts on this one, and finds what it needs once. */
const containerRow = <Target>(row: StageRow<ContainerTarget, PodStageContext, Target, PodStageEffect>) =>
  stage(row);

/** Milliseconds until `startedAt + afterMs`, never negative. */
const dueIn = (startedAt: string, afterMs: number, now: number) =>
  Math.max(0, Date.parse(startedAt) + afterMs - now);

const CONTAINER_ROWS = [
  containerRow({
    // Image pulled (or present), container created and started.
    name: 'container-start',
    select: (c, context) => (creating(c.status, context) && pullImage(c.spec.image ?? '').ok ? c : undefined),
    delayMs: ({ spec }, context) =>
      (needsPull(spec, context) ? within(context.speed.pullMs, context.random) : 0) +
      within(context.speed.startMs, context.random),
    effect: (target, context) => {
      const { pod, spec } = target;
      const status = withContainer(pod, context.now, spec.name, () =>
        runningStatus(target, context.now, 0, {}),
      );
      const ip = context.podIP();
      return {
        status: { ...status, podIP: ip, podIPs: [{ ip }] },
        events: [
          ...pullEvents(spec, context, within(context.speed.pullMs, context.random)),
          ...startedEvents(spec),
        ],
        facts: { pulledImages: [spec.image ?? ''] },
      };
    },
  }),
  containerRow({
    // A first pull that fails: ErrImagePull.
    name: 'image-pull-fail',
    select: (c, context) =>
      creating(c.status, context) && !pullImage(c.spec.image ?? '').ok ? c : undefined,
    delayMs: (_target, context) => within(context.speed.pullMs, context.random),
    effect: pullFailure,
  }),
  containerRow({
    // After a failed pull the kubelet backs off: ImagePullBackOff.
    name: 'image-pull-backoff',
    select: (c) => (waitingReason(c.status) === 'ErrImagePull' ? c : undefined),
    delayMs: (_target, context) => 1000 * context.speed.timeScale,
    effect: ({ pod, spec }, context) => {
      const image = spec.image ?? '';
      const path = fieldPath(spec.name);
      return {
        status: withContainer(pod, context.now, spec.name, (c) => ({
          ...c,
          state: {
            waiting: {
              reason: 'ImagePullBackOff',
              message: `Back-off pulling image "${image}": ErrImagePull: ${'waiting' in c.state ? (c.state.waiting.message ?? '') : ''}`,
            },
          },
        })),
        events: [
          {
            type: 'Normal',
            reason: 'BackOff',
            message: `Back-off pulling image "${image}"`,
            fieldPath: path,
          },
          { type: 'Warning', reason: 'Failed', message: 'Error: ImagePullBackOff', fieldPath: path },
        ],
      };
    },
  }),
  containerRow({
    // The back-off over, the kubelet pulls again (and fails again: the image still does not exist).
    name: 'image-pull-retry',
    select: (c) => (waitingReason(c.status) === 'ImagePullBackOff' ? c : undefined),
    delayMs: ({ spec }, context) => backoffMs(context.memory.pullFailures[spec.name] ?? 1, context.speed),
    effect: pullFailure,
  }),
  containerRow({
    // A declared readiness probe passes once its initial delay is over.
    name: 'readiness-probe-pass',
    select: (c) => {
      const startedAt = startedAtOf(c.status);
      return startedAt !== undefined && !c.status.ready && c.spec.readinessProbe
        ? { ...c, startedAt }
        : undefined;
    },
    delayMs: ({ spec, startedAt }, context) =>
      dueIn(startedAt, 1000 * (spec.readinessProbe?.initialDelaySeconds ?? 0), context.now),
    effect: ({ pod, spec }, context) => ({
      status: withContainer(pod, context.now, spec.name, (c) => ({ ...c, ready: true })),
    }),
  }),
  containerRow({
    // A finite command ends: Completed (0) or Error. A container its liveness probe kills is liveness-probe-fail's.
    name: 'container-exit',
    select: (c) => {
      const startedAt = startedAtOf(c.status);
      const program = programWithinLimits(c.spec);
      if (startedAt === undefined || program.kind !== 'exits' || livenessFailure(c.spec) !== undefined)
        return undefined;
      return { ...c, startedAt, program };
    },
    delayMs: ({ startedAt, program }, context) =>
      dueIn(startedAt, program.afterMs * context.speed.timeScale, context.now),
    effect: ({ pod, spec, startedAt, program }, context) => ({
      status: withContainer(pod, context.now, spec.name, (c) =>
        ended(c, startedAt, program.exitCode, context.now, program.reason),
      ),
    }),
  }),
  containerRow({
    // An exec liveness probe whose file the script removed fails `failureThreshold` times: the kubelet kills the
    // container (137) and restarts it.
    name: 'liveness-probe-fail',
    select: (c) => {
      const startedAt = startedAtOf(c.status);
      const failure = livenessFailure(c.spec);
      return startedAt !== undefined && failure ? { ...c, startedAt, failure } : undefined;
    },
    delayMs: ({ spec, startedAt, failure }, context) => {
      const probe = spec.livenessProbe ?? {};
      const period = (probe.periodSeconds ?? 10) * 1000;
      const firstFailure = Math.max(failure.afterMs, (probe.initialDelaySeconds ?? 0) * 1000);
      return dueIn(startedAt, firstFailure + period * (probe.failureThreshold ?? 3), context.now);
    },
    effect: ({ pod, spec, startedAt, failure }, context) => {
      const name = spec.name;
      const unhealthy: EventSpec = {
        type: 'Warning',
        reason: 'Unhealthy',
        message: failure.message,
        fieldPath: fieldPath(name),
      };
      return {
        status: withContainer(pod, context.now, name, (c) => ended(c, startedAt, 137, context.now)),
        events: [
          ...Array.from({ length: spec.livenessProbe?.failureThreshold ?? 3 }, () => unhealthy),
          {
            type: 'Normal',
            reason: 'Killing',
            message: `Container ${name} failed liveness probe, will be restarted`,
            fieldPath: fieldPath(name),
          },
        ],
      };
    },
  }),
  containerRow({
    // A container that exited again after restarts waits in CrashLoopBackOff.
    name: 'crash-loop-backoff',
    select: (c) => {
      const terminated = terminatedOf(c.status);
      return terminated && c.status.restartCount > 0 && shouldRestart(c.pod, terminated.exitCode)
        ? c
        : undefined;
    },
    delayMs: () => 0,
    effect: ({ pod, spec }, context) => {
      const name = spec.name;
      const who = `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
      return {
        status: withContainer(pod, context.now, name, (c) => ({
          ...c,
          state: {
            waiting: {
              reason: 'CrashLoopBackOff',
              message: `back-off ${backoffLabel(c.restartCount)} restarting failed container=${name} pod=${who}`,
            },
          },
          lastState: c.state,
        })),
        events: [
          {
            type: 'Warning',
            reason: 'BackOff',
            message: `Back-off restarting failed container ${name} in pod ${who}`,
            fieldPath: fieldPath(name),
          },
        ],
      };
    },
  }),
  containerRow({
    // The restart: at once the first time, after the back-off later.
    name: 'container-restart',
    select: (c) => {
      const terminated = terminatedOf(c.status);
      if (terminated)
        return c.status.restartCount === 0 && shouldRestart(c.pod, terminated.exitCode) ? c : undefined;
      return waitingReason(c.status) === 'CrashLoopBackOff' ? c : undefined;
    },
    delayMs: ({ status }, context) =>
      'waiting' in status.state && status.restartCount > 0
        ? backoffMs(status.restartCount, context.speed)
        : 0,
    effect: (target, context) => {
      const { pod, spec, status } = target;
      const lastState = 'terminated' in status.state ? status.state : status.lastState;
      return {
        status: withContainer(pod, context.now, spec.name, (c) =>
          runningStatus({ ...target, status: c }, context.now, c.restartCount + 1, lastState),
        ),
        events: [...pullEvents(spec, context, 0), ...startedEvents(spec)],
        facts: { pulledImages: [spec.image ?? ''] },
      };
    },
  }),
];

interface ContainerTransition {
  row: string;
  selection: Selection<PodStageContext, PodStageEffect>;
}

const transitions = new WeakMap<PodStageContext, WeakMap<KubeObject, ContainerTransition | null>>();

/**
 * The one container transition a pod makes next: of those its containers' states call for, the one due first (ties
 * in container, then row order), so a container waiting out a long back-off never holds up another. None while a pod
 * row acts (the pod is new, terminating, or its readiness was rewritten by someone else).
 */
function nextContainerTransition(pod: KubeObject, context: PodStageContext): ContainerTransition | undefined {
  let known = transitions.get(context);
  if (!known) transitions.set(context, (known = new WeakMap()));
  const cached = known.get(pod);
  if (cached !== undefined) return cached ?? undefined;
  let best: (ContainerTransition & { soonestMs: number }) | undefined;
  if (live(pod) && accepted(pod) && !readinessDrifted(pod, context.now)) {
    const specs = new Map((specOf(pod).containers ?? []).map((c) => [c.name, c]));
    // Soonest possible: jitter at its low end, so ranking draws nothing from the shared random source.
    const ranking = { ...context, random: () => 0 };
    for (const status of statusOf(pod).containerStatuses ?? []) {
      const spec = specs.get(status.name);
      if (!spec) continue;
      for (const row of CONTAINER_ROWS) {
        const selection = row.select({ pod, spec, status }, context);
        if (!selection) continue;
        const soonestMs = selection.delayMs(ranking);
        if (!best || soonestMs < best.soonestMs) best = { row: row.name, selection, soonestMs };
      }
    }
  }
  known.set(pod, best ?? null);
  return best;
}

/** A container row as a table row: it matches when its container transition is the pod's next one. */
function containerStage(name: string): PodStage {
  return {
    name,
    select: (pod, context) => {
      const next = nextContainerTransition(pod, context);
      return next?.row === name ? next.selection : undefined;
    },
  };
}

/** The running containers, while the pod is not finished. */
function activeContainers(pod: KubeObject): ContainerStatus[] {
  if (finished(pod)) return [];
  return (statusOf(pod).containerStatuses ?? []).filter((c) => 'running' in c.state);
}

/** The pod lifecycle, in no particular order: at most one row matches a pod. */
export const POD_STAGES: readonly PodStage[] = [
  stage({
    // The kubelet admits the pod: Pending/ContainerCreating with hostIP and start time.
    name: 'pod-admit',
    select: (pod: KubeObject) => (live(pod) && !accepted(pod) && !finished(pod) ? pod : undefined),
    delayMs: () => 0,
    effect: (pod, context: PodStageContext): PodStageEffect => {
      const waiting = (c: ContainerSpec): ContainerStatus => ({
        name: c.name,
        image: parseImage(c.image ?? '').full,
        imageID: '',
        ready: false,
        started: false,
        restartCount: 0,
        state: { waiting: { reason: 'ContainerCreating' } },
        lastState: {},
      });
      const base: PodStatus = {
        ...statusOf(pod),
        hostIP: context.nodeIP,
        hostIPs: [{ ip: context.nodeIP }],
        startTime: kubeTime(context.now),
        qosClass: statusOf(pod).qosClass ?? podQosClass(pod),
        containerStatuses: (specOf(pod).containers ?? []).map(waiting),
      };
      const inits = specOf(pod).initContainers ?? [];
      if (inits.length) {
        base.initContainerStatuses = inits.map((c, index) => {
          const pulled = pullImage(c.image ?? '');
          return {
            ...waiting(c),
            imageID: pulled.ok ? pulled.imageID : '',
            containerID: containerID(pod, c.name, 0),
            ready: true,
            state: {
              terminated: {
                exitCode: 0,
                reason: 'Completed',
                startedAt: kubeTime(context.now + index),
                finishedAt: kubeTime(context.now + index),
              },
            },
          };
        });
      }
      const status = derivePodStatus(pod, base, context.now);
      return { status: { ...status, phase: 'Pending' } };
    },
  }),
  stage({
    // A ReadWriteOnce volume attached to another node for another pod: the containers wait, the event repeats.
    name: 'volume-multi-attach',
    select: (pod: KubeObject, context: PodStageContext) => {
      if (!live(pod) || !accepted(pod) || finished(pod) || readinessDrifted(pod, context.now))
        return undefined;
      if (!(statusOf(pod).containerStatuses ?? []).every((c) => waitingReason(c) === 'ContainerCreating'))
        return undefined;
      const message = context.attachError();
      return message === undefined ? undefined : { pod, message };
    },
    delayMs: (_target, context: PodStageContext) =>
      attachRetryMs(context.memory.attachFailures ?? 0) * context.speed.timeScale,
    effect: ({ message }): PodStageEffect => ({
      events: [{ type: 'Warning', reason: 'FailedAttachVolume', message }],
      facts: { attachFailed: true },
    }),
  }),
  ...CONTAINER_ROWS.map((row) => containerStage(row.name)),
  stage({
    // Someone else (the node lifecycle controller while the node was down) changed readiness: report the truth again.
    name: 'pod-status-resync',
    select: (pod: KubeObject, context: PodStageContext) =>
      live(pod) && accepted(pod) && readinessDrifted(pod, context.now) ? pod : undefined,
    delayMs: () => 0,
    effect: (pod, context): PodStageEffect => ({ status: derivePodStatus(pod, statusOf(pod), context.now) }),
  }),
  stage({
    // Deletion requested: the kubelet sends SIGTERM (Killing) ...
    name: 'pod-kill',
    select: (pod: KubeObject, context: PodStageContext) => {
      if (live(pod) || context.memory.killing) return undefined;
      const running = activeContainers(pod);
      return running.length > 0 ? running : undefined;
    },
    delayMs: () => 0,
    effect: (running): PodStageEffect => ({
      events: running.map((c) => ({
        type: 'Normal' as const,
        reason: 'Killing',
        message: `Stopping container ${c.name}`,
        fieldPath: fieldPath(c.name),
      })),
      facts: { killing: true },
    }),
  }),
  stage({
    // ... and removes the pod once its containers stopped, or its grace period ran out.
    name: 'pod-remove',
    select: (pod: KubeObject, context: PodStageContext) => {
      if (live(pod)) return undefined;
      const active = activeContainers(pod).length > 0;
      return context.memory.killing || !active ? { pod, active } : undefined;
    },
    delayMs: ({ pod, active }, context) => {
      if (!active) return 0;
      const grace =
        1000 * (pod.metadata.deletionGracePeriodSeconds ?? specOf(pod).terminationGracePeriodSeconds ?? 30);
      const ignoresTerm = (specOf(pod).containers ?? []).some((c) => !programOf(c).handlesSigterm);
      const stopMs = ignoresTerm ? grace : within([200, 1000], context.random);
      return Math.min(stopMs, grace, context.speed.terminationCapMs);
    },
    effect: (): PodStageEffect => ({ delete: true }),
  }),
];
