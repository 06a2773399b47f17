// A pod's status as the kubelet writes it: the container states, and the phase and conditions derived from them as
// the kubelet's status manager derives them.
import type { KubeObject } from '../types.ts';
import { shouldRestart } from './spec.ts';
import { kubeTime } from '../time.ts';

export type ContainerState =
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
  state: ContainerState;
  lastState: ContainerState | Record<string, never>;
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
      lastTransitionTime: before && before.status === value ? before.lastTransitionTime : kubeTime(now),
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

/** The Ready condition's status derived from the containers differs from the one written (someone else wrote it). */
export function readinessDrifted(pod: KubeObject, now: number): boolean {
  const readyOf = (status: PodStatus) => status.conditions?.find((c) => c.type === 'Ready')?.status;
  const status = statusOf(pod);
  if (!(status.containerStatuses ?? []).some((c) => c.started)) return false;
  return readyOf(status) !== readyOf(derivePodStatus(pod, status, now));
}
