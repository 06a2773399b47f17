// The simulated kubelet's pod lifecycle as a table of stages. Each stage acts on one container at a time; the pod's
// phase and conditions are then derived from its containers, as the kubelet's status manager does.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../types.ts';
import type { EventSpec } from '../controllers/events.ts';
import { parseImage, pullImage } from '../kubelet/images.ts';
import { livenessFailure, programOf } from '../kubelet/programs.ts';
import { within, type SpeedProfile } from './speed.ts';
import type { Stage, StageEffect } from './stage.ts';
import type { RandomSource } from '../../random.ts';

export interface ContainerSpec {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  imagePullPolicy?: string;
  readinessProbe?: { initialDelaySeconds?: number; periodSeconds?: number };
  livenessProbe?: {
    exec?: { command?: string[] };
    initialDelaySeconds?: number;
    periodSeconds?: number;
    failureThreshold?: number;
  };
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
}

type State =
  | { waiting: { reason: string; message?: string } }
  | { running: { startedAt: string } }
  | {
      terminated: {
        exitCode: number;
        reason: string;
        startedAt: string;
        finishedAt: string;
        containerID?: string;
      };
    };

export interface ContainerStatus {
  name: string;
  image: string;
  imageID: string;
  containerID?: string;
  ready: boolean;
  started: boolean;
  restartCount: number;
  state: State;
  lastState: State | Record<string, never>;
}

export interface PodStatus {
  phase?: string;
  conditions?: {
    type: string;
    status: string;
    reason?: string;
    message?: string;
    lastTransitionTime?: string;
  }[];
  hostIP?: string;
  hostIPs?: { ip: string }[];
  podIP?: string;
  podIPs?: { ip: string }[];
  startTime?: string;
  qosClass?: string;
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
  [key: string]: unknown;
}

/** What the kubelet remembers about a pod between stages (lost on restart, like a real kubelet's memory). */
export interface PodMemory {
  killing: boolean;
  pullFailures: Record<string, number>;
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
  memory: PodMemory;
}

export type PodStage = Stage<KubeObject, PodStageContext>;

const spec = (pod: KubeObject) =>
  (pod.spec ?? {}) as {
    containers?: ContainerSpec[];
    initContainers?: ContainerSpec[];
    restartPolicy?: string;
    terminationGracePeriodSeconds?: number;
  };
const STATE_KEYS = ['waiting', 'running', 'terminated'] as const;
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** A container status the kubelet could have written: a client's /status write may hold anything Go accepts, e.g. {}. */
function wellFormed(value: unknown): value is ContainerStatus {
  if (!isRecord(value) || typeof value.name !== 'string' || !isRecord(value.state)) return false;
  const state = value.state;
  return STATE_KEYS.some((key) => isRecord(state[key]));
}

/**
 * The pod's status as the kubelet reads it. Container statuses it could not have written are left out, so the
 * stages rebuild them (as a real kubelet overwrites a status it disagrees with) instead of failing on them.
 */
export function statusOf(pod: KubeObject): PodStatus {
  const status = (pod.status ?? {}) as PodStatus;
  const lists = ['containerStatuses', 'initContainerStatuses'] as const;
  if (lists.every((name) => status[name] === undefined || status[name].every(wellFormed))) return status;
  const cleaned: PodStatus = { ...status };
  for (const name of lists) {
    const list = status[name];
    if (list === undefined) continue;
    const kept = list.filter(wellFormed);
    if (kept.length > 0) cleaned[name] = kept;
    else delete cleaned[name];
  }
  return cleaned;
}
const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const fieldPath = (name: string) => `spec.containers{${name}}`;

function containerID(pod: KubeObject, name: string, restartCount: number): string {
  const seed = `${pod.metadata.uid ?? pod.metadata.name}/${name}/${restartCount}`;
  return `containerd://${createHash('sha256').update(seed).digest('hex')}`;
}

function shouldRestart(pod: KubeObject, exitCode: number): boolean {
  const policy = spec(pod).restartPolicy ?? 'Always';
  return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
}

/** Restart back-off: immediate for the first restart, then 10 s doubling to 5 min (scaled by speed). */
export function restartBackoffMs(restartCount: number, speed: SpeedProfile): number {
  if (restartCount === 0) return 0;
  return Math.min(10_000 * 2 ** (restartCount - 1), 300_000) * speed.timeScale;
}

function backoffLabel(restartCount: number): string {
  const seconds = Math.min(10 * 2 ** Math.max(restartCount - 1, 0), 300);
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${seconds % 60}s` : `${seconds}s`;
}

function qosClass(pod: KubeObject): string {
  const containers = spec(pod).containers ?? [];
  const hasAny = containers.some(
    (c) => Object.keys(c.resources?.requests ?? {}).length || Object.keys(c.resources?.limits ?? {}).length,
  );
  if (!hasAny) return 'BestEffort';
  const guaranteed = containers.every((c) => {
    const limits = c.resources?.limits ?? {};
    const requests = { ...limits, ...(c.resources?.requests ?? {}) };
    return (
      limits.cpu !== undefined &&
      limits.memory !== undefined &&
      String(requests.cpu) === String(limits.cpu) &&
      String(requests.memory) === String(limits.memory)
    );
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Phase and conditions from the containers, as kubelet's status manager computes them. */
export function derivePodStatus(pod: KubeObject, status: PodStatus, now: number): PodStatus {
  const containers = status.containerStatuses ?? [];
  const started = containers.some((c) => c.started || 'terminated' in c.state || c.restartCount > 0);
  const finished =
    containers.length > 0 &&
    containers.every((c) => 'terminated' in c.state && !shouldRestart(pod, c.state.terminated.exitCode));
  let phase = started ? 'Running' : 'Pending';
  if (finished) {
    phase = containers.every((c) => 'terminated' in c.state && c.state.terminated.exitCode === 0)
      ? 'Succeeded'
      : 'Failed';
  }
  const unready = containers.filter((c) => !c.ready).map((c) => c.name);
  const previous = new Map((status.conditions ?? []).map((c) => [c.type, c]));
  const condition = (type: string, ok: boolean, reason?: string, message?: string) => {
    const before = previous.get(type);
    const value = ok ? 'True' : 'False';
    return {
      type,
      status: value,
      ...(reason ? { reason } : {}),
      ...(message ? { message } : {}),
      lastProbeTime: null,
      lastTransitionTime: before && before.status === value ? before.lastTransitionTime : iso(now),
    };
  };
  const readyReason = finished ? 'PodCompleted' : unready.length ? 'ContainersNotReady' : undefined;
  const readyMessage =
    !finished && unready.length ? `containers with unready status: [${unready.join(' ')}]` : undefined;
  return {
    ...status,
    phase,
    conditions: [
      condition('PodReadyToStartContainers', !finished),
      condition('Initialized', true, finished ? 'PodCompleted' : undefined),
      condition('Ready', unready.length === 0 && !finished, readyReason, readyMessage),
      condition('ContainersReady', unready.length === 0 && !finished, readyReason, readyMessage),
      condition('PodScheduled', true),
    ],
  };
}

function withContainer(
  pod: KubeObject,
  now: number,
  name: string,
  change: (c: ContainerStatus) => ContainerStatus,
) {
  const status = statusOf(pod);
  const containerStatuses = (status.containerStatuses ?? []).map((c) => (c.name === name ? change(c) : c));
  return derivePodStatus(pod, { ...status, containerStatuses }, now);
}

function findContainer(pod: KubeObject, test: (c: ContainerStatus, spec: ContainerSpec) => boolean) {
  const specs = new Map((spec(pod).containers ?? []).map((c) => [c.name, c]));
  for (const status of statusOf(pod).containerStatuses ?? []) {
    const containerSpec = specs.get(status.name);
    if (containerSpec && test(status, containerSpec)) return { status, spec: containerSpec };
  }
  return undefined;
}

const isWaiting = (c: ContainerStatus, reason: string) =>
  'waiting' in c.state && c.state.waiting.reason === reason;
const live = (pod: KubeObject) => !pod.metadata.deletionTimestamp;
const accepted = (pod: KubeObject) => Boolean(statusOf(pod).hostIP && statusOf(pod).containerStatuses);

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
  pod: KubeObject,
  status: ContainerStatus,
  container: ContainerSpec,
  now: number,
  restartCount: number,
  lastState: ContainerStatus['lastState'],
): ContainerStatus {
  const pulled = pullImage(container.image ?? '');
  return {
    ...status,
    imageID: pulled.ok ? pulled.imageID : '',
    containerID: containerID(pod, container.name, restartCount),
    started: true,
    ready: !container.readinessProbe,
    restartCount,
    state: { running: { startedAt: iso(now) } },
    lastState,
  };
}

function pullFailure(pod: KubeObject, context: PodStageContext, container: ContainerSpec): StageEffect {
  const image = container.image ?? '';
  const result = pullImage(image);
  const message = result.ok ? '' : result.message;
  const reason = result.ok ? 'ErrImagePull' : result.reason;
  context.memory.pullFailures[container.name] = (context.memory.pullFailures[container.name] ?? 0) + 1;
  const path = fieldPath(container.name);
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
    status: withContainer(pod, context.now, container.name, (c) => ({
      ...c,
      state: { waiting: { reason, message } },
    })),
    events,
  };
}

const terminatedOf = (c: ContainerStatus) => ('terminated' in c.state ? c.state.terminated : undefined);

/** The pod lifecycle, in no particular order: predicates are mutually exclusive. */
export const POD_STAGES: readonly PodStage[] = [
  {
    // The kubelet admits the pod: Pending/ContainerCreating with hostIP and start time.
    name: 'pod-admit',
    matches: (pod) => live(pod) && !accepted(pod) && !statusOf(pod).phase?.match(/Succeeded|Failed/),
    delayMs: () => 0,
    effect: (pod, context) => {
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
        startTime: iso(context.now),
        qosClass: statusOf(pod).qosClass ?? qosClass(pod),
        containerStatuses: (spec(pod).containers ?? []).map(waiting),
      };
      const inits = spec(pod).initContainers ?? [];
      if (inits.length) {
        base.initContainerStatuses = inits.map((c, index) => ({
          ...waiting(c),
          imageID: pullImage(c.image ?? '').ok
            ? (pullImage(c.image ?? '') as { imageID: string }).imageID
            : '',
          containerID: containerID(pod, c.name, 0),
          ready: true,
          state: {
            terminated: {
              exitCode: 0,
              reason: 'Completed',
              startedAt: iso(context.now + index),
              finishedAt: iso(context.now + index),
            },
          },
        }));
      }
      const status = derivePodStatus(pod, base, context.now);
      return { status: { ...status, phase: 'Pending' } };
    },
  },
  {
    // Image pulled (or present), container created and started.
    name: 'container-start',
    matches: (pod) =>
      live(pod) &&
      accepted(pod) &&
      findContainer(pod, (c, s) => isWaiting(c, 'ContainerCreating') && pullImage(s.image ?? '').ok) !==
        undefined,
    delayMs: (pod, context) => {
      const found = findContainer(pod, (c) => isWaiting(c, 'ContainerCreating'));
      const pull = found && needsPull(found.spec, context) ? within(context.speed.pullMs, context.random) : 0;
      return pull + within(context.speed.startMs, context.random);
    },
    effect: (pod, context) => {
      const found = findContainer(
        pod,
        (c, s) => isWaiting(c, 'ContainerCreating') && pullImage(s.image ?? '').ok,
      );
      if (!found) return {};
      const status = withContainer(pod, context.now, found.spec.name, (c) =>
        runningStatus(pod, c, found.spec, context.now, 0, {}),
      );
      const ip = context.podIP();
      return {
        status: { ...status, podIP: ip, podIPs: [{ ip }] },
        events: [
          ...pullEvents(found.spec, context, within(context.speed.pullMs, context.random)),
          ...startedEvents(found.spec),
        ],
      };
    },
  },
  {
    // A first pull that fails: ErrImagePull.
    name: 'image-pull-fail',
    matches: (pod) =>
      live(pod) &&
      accepted(pod) &&
      findContainer(pod, (c, s) => isWaiting(c, 'ContainerCreating') && !pullImage(s.image ?? '').ok) !==
        undefined,
    delayMs: (_pod, context) => within(context.speed.pullMs, context.random),
    effect: (pod, context) => {
      const found = findContainer(
        pod,
        (c, s) => isWaiting(c, 'ContainerCreating') && !pullImage(s.image ?? '').ok,
      );
      return found ? pullFailure(pod, context, found.spec) : {};
    },
  },
  {
    // After a failed pull the kubelet backs off: ImagePullBackOff.
    name: 'image-pull-backoff',
    matches: (pod) => live(pod) && findContainer(pod, (c) => isWaiting(c, 'ErrImagePull')) !== undefined,
    delayMs: (_pod, context) => 1000 * context.speed.timeScale,
    effect: (pod, context) => {
      const found = findContainer(pod, (c) => isWaiting(c, 'ErrImagePull'));
      if (!found) return {};
      const image = found.spec.image ?? '';
      const path = fieldPath(found.spec.name);
      return {
        status: withContainer(pod, context.now, found.spec.name, (c) => ({
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
  },
  {
    // The back-off over, the kubelet pulls again (and fails again: the image still does not exist).
    name: 'image-pull-retry',
    matches: (pod) => live(pod) && findContainer(pod, (c) => isWaiting(c, 'ImagePullBackOff')) !== undefined,
    delayMs: (pod, context) => {
      const found = findContainer(pod, (c) => isWaiting(c, 'ImagePullBackOff'));
      const failures = context.memory.pullFailures[found?.spec.name ?? ''] ?? 1;
      return Math.min(10_000 * 2 ** (failures - 1), 300_000) * context.speed.timeScale;
    },
    effect: (pod, context) => {
      const found = findContainer(pod, (c) => isWaiting(c, 'ImagePullBackOff'));
      return found ? pullFailure(pod, context, found.spec) : {};
    },
  },
  {
    // A declared readiness probe passes once its initial delay is over.
    name: 'readiness-probe-pass',
    matches: (pod) =>
      live(pod) &&
      findContainer(pod, (c, s) => 'running' in c.state && !c.ready && Boolean(s.readinessProbe)) !==
        undefined,
    delayMs: (pod, context) => {
      const found = findContainer(
        pod,
        (c, s) => 'running' in c.state && !c.ready && Boolean(s.readinessProbe),
      );
      if (!found || !('running' in found.status.state)) return 0;
      const due =
        Date.parse(found.status.state.running.startedAt) +
        1000 * (found.spec.readinessProbe?.initialDelaySeconds ?? 0);
      return Math.max(0, due - context.now);
    },
    effect: (pod, context) => {
      const found = findContainer(
        pod,
        (c, s) => 'running' in c.state && !c.ready && Boolean(s.readinessProbe),
      );
      return found
        ? { status: withContainer(pod, context.now, found.spec.name, (c) => ({ ...c, ready: true })) }
        : {};
    },
  },
  {
    // A finite command ends: Completed (0) or Error.
    name: 'container-exit',
    matches: (pod) => live(pod) && findExiting(pod) !== undefined,
    delayMs: (pod, context) => {
      const found = findExiting(pod);
      if (!found || !('running' in found.status.state)) return 0;
      const due =
        Date.parse(found.status.state.running.startedAt) + found.program.afterMs * context.speed.timeScale;
      return Math.max(0, due - context.now);
    },
    effect: (pod, context) => {
      const found = findExiting(pod);
      if (!found || !('running' in found.status.state)) return {};
      const { exitCode } = found.program;
      const startedAt = found.status.state.running.startedAt;
      return {
        status: withContainer(pod, context.now, found.spec.name, (c) => ({
          ...c,
          ready: false,
          started: false,
          state: {
            terminated: {
              exitCode,
              reason: exitCode === 0 ? 'Completed' : 'Error',
              startedAt,
              finishedAt: iso(context.now),
              containerID: c.containerID,
            },
          },
        })),
      };
    },
  },
  {
    // An exec liveness probe whose file the script removed fails `failureThreshold` times: the kubelet kills the
    // container (137) and restarts it.
    name: 'liveness-probe-fail',
    matches: (pod) => live(pod) && findUnhealthy(pod) !== undefined,
    delayMs: (pod, context) => {
      const found = findUnhealthy(pod);
      if (!found || !('running' in found.status.state)) return 0;
      const probe = found.spec.livenessProbe ?? {};
      const period = (probe.periodSeconds ?? 10) * 1000;
      const firstFailure = Math.max(found.failure.afterMs, (probe.initialDelaySeconds ?? 0) * 1000);
      const due =
        Date.parse(found.status.state.running.startedAt) +
        firstFailure +
        period * (probe.failureThreshold ?? 3);
      return Math.max(0, due - context.now);
    },
    effect: (pod, context) => {
      const found = findUnhealthy(pod);
      if (!found || !('running' in found.status.state)) return {};
      const name = found.spec.name;
      const unhealthy: EventSpec = {
        type: 'Warning',
        reason: 'Unhealthy',
        message: found.failure.message,
        fieldPath: fieldPath(name),
      };
      const startedAt = found.status.state.running.startedAt;
      return {
        status: withContainer(pod, context.now, name, (c) => ({
          ...c,
          ready: false,
          started: false,
          state: {
            terminated: {
              exitCode: 137,
              reason: 'Error',
              startedAt,
              finishedAt: iso(context.now),
              containerID: c.containerID,
            },
          },
        })),
        events: [
          ...Array.from({ length: found.spec.livenessProbe?.failureThreshold ?? 3 }, () => unhealthy),
          {
            type: 'Normal',
            reason: 'Killing',
            message: `Container ${name} failed liveness probe, will be restarted`,
            fieldPath: fieldPath(name),
          },
        ],
      };
    },
  },
  {
    // A container that exited again after restarts waits in CrashLoopBackOff.
    name: 'crash-loop-backoff',
    matches: (pod) =>
      live(pod) &&
      findContainer(pod, (c) => {
        const t = terminatedOf(c);
        return t !== undefined && c.restartCount > 0 && shouldRestart(pod, t.exitCode);
      }) !== undefined,
    delayMs: () => 0,
    effect: (pod, context) => {
      const found = findContainer(pod, (c) => terminatedOf(c) !== undefined && c.restartCount > 0);
      if (!found) return {};
      const name = found.spec.name;
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
  },
  {
    // The restart: at once the first time, after the back-off later.
    name: 'container-restart',
    matches: (pod) => live(pod) && findRestartable(pod) !== undefined,
    delayMs: (pod, context) => {
      const found = findRestartable(pod);
      return found && 'waiting' in found.status.state
        ? restartBackoffMs(found.status.restartCount, context.speed)
        : 0;
    },
    effect: (pod, context) => {
      const found = findRestartable(pod);
      if (!found) return {};
      const lastState = 'terminated' in found.status.state ? found.status.state : found.status.lastState;
      return {
        status: withContainer(pod, context.now, found.spec.name, (c) =>
          runningStatus(pod, c, found.spec, context.now, c.restartCount + 1, lastState),
        ),
        events: [...pullEvents(found.spec, context, 0), ...startedEvents(found.spec)],
      };
    },
  },
  {
    // Someone else (the node lifecycle controller while the node was down) changed readiness: report the truth again.
    name: 'pod-status-resync',
    matches: (pod, context) => live(pod) && accepted(pod) && readinessDrifted(pod, context.now),
    delayMs: () => 0,
    effect: (pod, context) => ({ status: derivePodStatus(pod, statusOf(pod), context.now) }),
  },
  {
    // Deletion requested: the kubelet sends SIGTERM (Killing) ...
    name: 'pod-kill',
    matches: (pod, context) => !live(pod) && !context.memory.killing && isActive(pod),
    delayMs: () => 0,
    effect: (pod, context) => {
      context.memory.killing = true;
      return {
        events: (statusOf(pod).containerStatuses ?? [])
          .filter((c) => 'running' in c.state)
          .map((c) => ({
            type: 'Normal' as const,
            reason: 'Killing',
            message: `Stopping container ${c.name}`,
            fieldPath: fieldPath(c.name),
          })),
      };
    },
  },
  {
    // ... and removes the pod once its containers stopped, or its grace period ran out.
    name: 'pod-remove',
    matches: (pod, context) => !live(pod) && (context.memory.killing || !isActive(pod)),
    delayMs: (pod, context) => {
      if (!isActive(pod)) return 0;
      const grace =
        1000 * (pod.metadata.deletionGracePeriodSeconds ?? spec(pod).terminationGracePeriodSeconds ?? 30);
      const ignoresTerm = (spec(pod).containers ?? []).some((c) => !programOf(c).handlesSigterm);
      const stopMs = ignoresTerm ? grace : within([200, 1000], context.random);
      return Math.min(stopMs, grace, context.speed.terminationCapMs);
    },
    effect: () => ({ delete: true }),
  },
];

function readinessDrifted(pod: KubeObject, now: number): boolean {
  const readyOf = (status: PodStatus) => status.conditions?.find((c) => c.type === 'Ready')?.status;
  const status = statusOf(pod);
  if (!(status.containerStatuses ?? []).some((c) => c.started)) return false;
  return readyOf(status) !== readyOf(derivePodStatus(pod, status, now));
}

function isActive(pod: KubeObject): boolean {
  return (
    (statusOf(pod).containerStatuses ?? []).some((c) => 'running' in c.state) &&
    !/Succeeded|Failed/.test(statusOf(pod).phase ?? '')
  );
}

function findExiting(pod: KubeObject) {
  // A container its liveness probe will kill first is left to liveness-probe-fail (stages stay exclusive).
  const found = findContainer(
    pod,
    (c, s) => 'running' in c.state && programOf(s).kind === 'exits' && livenessFailure(s) === undefined,
  );
  const program = found ? programOf(found.spec) : undefined;
  return found && program?.kind === 'exits' ? { ...found, program } : undefined;
}

function findUnhealthy(pod: KubeObject) {
  const found = findContainer(pod, (c, s) => 'running' in c.state && livenessFailure(s) !== undefined);
  const failure = found ? livenessFailure(found.spec) : undefined;
  return found && failure ? { ...found, failure } : undefined;
}

function findRestartable(pod: KubeObject) {
  return findContainer(pod, (c) => {
    const t = terminatedOf(c);
    if (t) return c.restartCount === 0 && shouldRestart(pod, t.exitCode);
    return isWaiting(c, 'CrashLoopBackOff');
  });
}
