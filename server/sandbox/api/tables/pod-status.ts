// The STATUS, READY and RESTARTS of a pod as kubectl prints them (ContainerCreating, CrashLoopBackOff, Terminating…).
import type { KubeObject } from '../../types.ts';
import { get, humanDuration, list } from './columns.ts';

interface ContainerStatus {
  ready?: boolean;
  restartCount?: number;
  state?: {
    waiting?: { reason?: string };
    running?: unknown;
    terminated?: { reason?: string; exitCode?: number; signal?: number };
  };
  lastState?: { terminated?: { finishedAt?: string } };
}

function terminatedReason(terminated: { reason?: string; exitCode?: number; signal?: number }): string {
  if (terminated.reason) return terminated.reason;
  return terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
}

export function podStatus(pod: KubeObject): string {
  let reason = String(get(pod, 'status', 'reason') ?? get(pod, 'status', 'phase') ?? 'Pending');
  const initStatuses = list<ContainerStatus>(get(pod, 'status', 'initContainerStatuses'));
  const initCount = list(get(pod, 'spec', 'initContainers')).length;
  let initializing = false;
  initStatuses.forEach((status, index) => {
    if (initializing) return;
    const { terminated, waiting } = status.state ?? {};
    if (terminated && terminated.exitCode === 0) return;
    initializing = true;
    if (terminated) reason = `Init:${terminatedReason(terminated)}`;
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${index}/${initCount}`;
  });
  if (!initializing) {
    let hasRunning = false;
    for (const status of [...list<ContainerStatus>(get(pod, 'status', 'containerStatuses'))].reverse()) {
      const { waiting, terminated, running } = status.state ?? {};
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated) reason = terminatedReason(terminated);
      else if (running && status.ready) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) {
      const ready = list<{ type: string; status: string }>(get(pod, 'status', 'conditions')).some(
        (c) => c.type === 'Ready' && c.status === 'True',
      );
      reason = ready ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata.deletionTimestamp)
    reason = get(pod, 'status', 'reason') === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

export function podReady(pod: KubeObject): string {
  const statuses = list<ContainerStatus>(get(pod, 'status', 'containerStatuses'));
  const total = list(get(pod, 'spec', 'containers')).length;
  return `${statuses.filter((s) => s.ready).length}/${total}`;
}

export function podRestarts(pod: KubeObject, now: number): string {
  const statuses = list<ContainerStatus>(get(pod, 'status', 'containerStatuses'));
  const restarts = statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0);
  const lastRestart = Math.max(
    0,
    ...statuses.map((s) => Date.parse(s.lastState?.terminated?.finishedAt ?? '') || 0),
  );
  return restarts > 0 && lastRestart > 0
    ? `${restarts} (${humanDuration(now - lastRestart)} ago)`
    : String(restarts);
}
