// When a kubeadm cluster first answers a learner, its own pods already run: `kubeadm init` returns once the
// control plane's static pods are up, and by the time anyone types `kubectl get pods -A`, kube-proxy, CoreDNS and
// the CNI run too. The sandbox boots the same way: its kubelets start these pods at once, and the cluster is
// handed out only when they are Running and Ready.
import type { ClusterClient, KubeObject, ResourceRef } from '../types.ts';
import { REF } from '../controllers/runtime.ts';
import { isPodActive, isPodReady } from '../controllers/workloads.ts';
import type { Clock } from '../../clock.ts';
import { logger } from '../../log.ts';

/** Where kubeadm and the CNI manifest put the cluster's own pods. */
export const SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-flannel'];

/** A boot that does not settle (a restored sandbox whose learner stopped a node or broke CoreDNS) waits no longer. */
const BOOT_LIMIT_MS = 5000;

export const isSystemPod = (pod: KubeObject) => SYSTEM_NAMESPACES.includes(pod.metadata.namespace ?? '');

interface WorkloadStatus {
  observedGeneration?: number;
  readyReplicas?: number;
  desiredNumberScheduled?: number;
  numberReady?: number;
}

const statusOf = (object: KubeObject) => (object.status ?? {}) as WorkloadStatus;
const observed = (object: KubeObject) =>
  (statusOf(object).observedGeneration ?? -1) >= (object.metadata.generation ?? 0);
const replicasOf = (deployment: KubeObject) =>
  (deployment.spec as { replicas?: number } | undefined)?.replicas ?? 1;

/** Every system Deployment and DaemonSet has all its pods ready, and every system pod is Ready. */
export function systemReady(client: ClusterClient): boolean {
  const inSystem = (ref: ResourceRef) =>
    SYSTEM_NAMESPACES.flatMap((namespace) => client.list(ref, { namespace }).items);
  return (
    inSystem(REF.deployments).every(
      (d) => observed(d) && (statusOf(d).readyReplicas ?? 0) >= replicasOf(d),
    ) &&
    inSystem(REF.daemonsets).every(
      (ds) => observed(ds) && statusOf(ds).numberReady === statusOf(ds).desiredNumberScheduled,
    ) &&
    inSystem(REF.pods).every((pod) => !isPodActive(pod) || isPodReady(pod))
  );
}

export interface Boot {
  /** Resolves once the system pods run (or the boot limit passed, or the cluster stopped). */
  readonly done: Promise<void>;
  cancel(): void;
}

/** Follows the system workloads until they are ready; `onDone` runs once, whichever way the boot ends. */
export function awaitSystemReady(client: ClusterClient, clock: Clock, onDone: () => void): Boot {
  const watched = [REF.pods, REF.deployments, REF.daemonsets];
  const stops: (() => void)[] = [];
  let checkPending = false;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = () => {
      finish = () => {};
      for (const stop of stops) stop();
      clock.clearTimeout(limit);
      onDone();
      resolve();
    };
  });
  const limit = clock.setTimeout(() => {
    logger.warn('the cluster’s system pods are not all ready: the sandbox serves anyway');
    finish();
  }, BOOT_LIMIT_MS);
  // A burst of writes (a DaemonSet's pods on every node) makes one check, not one per event.
  const check = () => {
    if (checkPending) return;
    checkPending = true;
    clock.setTimeout(() => {
      checkPending = false;
      if (systemReady(client)) finish();
    }, 0);
  };
  for (const ref of watched) {
    const { resourceVersion } = client.list(ref, { namespace: SYSTEM_NAMESPACES[0] });
    stops.push(
      client.watch(ref, { resourceVersion }, (event) => {
        if (SYSTEM_NAMESPACES.includes(event.object.metadata.namespace ?? '')) check();
      }),
    );
  }
  check();
  return { done, cancel: () => finish() };
}
