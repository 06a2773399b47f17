// A container whose main process ended from the inside (the shell of `kubectl run -it` exited): the kubelet
// records the exit in the pod's status, from which the phase follows and the restart policy acts.
import type { ClusterClient, KubeObject } from '../types.ts';
import { REF } from '../controllers/runtime.ts';
import { statusOf } from '../pod/status.ts';
import { ended, withContainer } from '../stages/pod-stages.ts';
import { statusCode } from '../../errors.ts';

export function reportProcessExit(
  client: ClusterClient,
  pod: KubeObject,
  containerName: string,
  exitCode: number,
  now: number,
): void {
  let current: KubeObject | undefined = pod;
  // A status written meanwhile (readiness, another container) conflicts: record the exit on the newer pod.
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!current || current.metadata.uid !== pod.metadata.uid) return;
    const running = statusOf(current).containerStatuses?.find((c) => c.name === containerName);
    if (!running || !('running' in running.state)) return;
    const startedAt = running.state.running.startedAt;
    const status = withContainer(current, now, containerName, (c) => ended(c, startedAt, exitCode, now));
    const updated: KubeObject = { ...current, status };
    try {
      client.update(REF.pods, current.metadata.namespace, updated, { subresource: 'status' });
      return;
    } catch (error) {
      const code = statusCode(error);
      // kubectl run --rm may have deleted the pod already: nothing is left to record.
      if (code === 404) return;
      if (code !== 409) throw error;
      current = client.tryGet(REF.pods, pod.metadata.namespace, pod.metadata.name ?? '');
    }
  }
}
