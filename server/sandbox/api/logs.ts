// pods/log: what the simulated container wrote, as text/plain, optionally followed until the pod goes away.
import type { ServerResponse } from 'node:http';
import { containerLog, followContainerLog, type PrintedOutput } from '../kubelet/logs.ts';
import type { KubeObject } from '../types.ts';
import type { ResourceRequest } from './resources.ts';
import { badRequest } from './status.ts';
import type { WatchTracker } from './watch.ts';
import { queryFlag } from './query-flags.ts';
import type { Clock } from '../../clock.ts';

function chooseContainer(pod: KubeObject, requested: string | null): string {
  const names = ((pod.spec as { containers?: { name: string }[] })?.containers ?? []).map((c) => c.name);
  if (requested) {
    if (!names.includes(requested))
      badRequest(`container ${requested} is not valid for pod ${pod.metadata.name}`);
    return requested;
  }
  if (names.length !== 1) {
    badRequest(
      `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]`,
    );
  }
  return names[0] as string;
}

function waitingReason(pod: KubeObject, container: string): string {
  const statuses = (
    pod.status as { containerStatuses?: { name: string; state?: { waiting?: { reason?: string } } }[] }
  )?.containerStatuses;
  return statuses?.find((s) => s.name === container)?.state?.waiting?.reason ?? 'ContainerCreating';
}

/** The restart count of the container while it runs, undefined when it does not run. */
function runningInstance(pod: KubeObject, container: string): number | undefined {
  const status = (
    pod.status as {
      containerStatuses?: { name: string; restartCount?: number; state?: { running?: unknown } }[];
    }
  )?.containerStatuses?.find((s) => s.name === container);
  return status?.state?.running ? (status.restartCount ?? 0) : undefined;
}

export function serveLogs(
  request: ResourceRequest,
  res: ServerResponse,
  clock: Clock,
  tracker: WatchTracker,
  printed: PrintedOutput,
): void {
  const { registry, ref, path, query } = request;
  const pod = registry.get(ref, path.namespace, path.name as string);
  const container = chooseContainer(pod, query.get('container'));
  const previous = queryFlag(query, 'previous');
  const lines = containerLog(pod, container, clock.now(), { previous, printed });
  if (!lines) {
    if (previous)
      badRequest(`previous terminated container "${container}" in pod "${pod.metadata.name}" not found`);
    badRequest(
      `container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${waitingReason(pod, container)}`,
    );
  }
  const tail = Number(query.get('tailLines') ?? -1);
  const shown = tail >= 0 ? (lines ?? []).slice(Math.max(0, (lines ?? []).length - tail)) : (lines ?? []);
  const timestamps = queryFlag(query, 'timestamps');
  const format = (line: { at: number; text: string }) =>
    `${timestamps ? `${new Date(line.at).toISOString()} ` : ''}${line.text}\n`;
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  res.write(shown.map(format).join(''));
  if (!queryFlag(query, 'follow')) {
    res.end();
    return;
  }
  request.req.socket.setNoDelay(true);
  let stopFollowing = () => {};
  let unwatch = () => {};
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    stopFollowing();
    unwatch();
    untrack();
    res.end();
  };
  const untrack = tracker.add(end);
  request.req.on('close', end);
  stopFollowing = followContainerLog(
    pod,
    container,
    clock,
    clock.now(),
    (line) => res.write(format(line)),
    printed,
  );
  // The stream ends when the container's pod is deleted or replaced, as a real kubelet's does.
  unwatch = registry.watch(
    ref,
    {
      namespace: path.namespace,
      fieldSelector: `metadata.name=${path.name}`,
      resourceVersion: pod.metadata.resourceVersion,
    },
    (event) => {
      if (event.type === 'DELETED' || event.object.metadata.uid !== pod.metadata.uid) return end();
      // The followed instance stopped (exited, or restarted since): its log is complete, as the kubelet's ends.
      if (runningInstance(event.object, container) !== runningInstance(pod, container)) end();
    },
  );
}
