// The limits of a room's attendee cluster, enforced where a real apiserver enforces a ResourceQuota: at create,
// with the same 403 Forbidden, so kubectl prints it and controllers report it as FailedCreate.
import { forbidden } from '../errors.ts';
import type { ObjectStore } from '../store/object-store.ts';
import type { KubeObject, ResourceInfo } from '../types.ts';

export interface ClusterLimits {
  /** Pods the cluster may hold besides its own components' (see SYSTEM_NAMESPACES), finished ones aside. */
  pods?: number;
  /** Objects of any kind the cluster may hold, Events aside (they expire within the hour on their own). */
  objects?: number;
}

const PODS = '/pods';
const EVENTS = '/events';

/** Where the cluster's own pods run (kubeadm's and the flannel manifest's, see kubeadm/system-components.ts). */
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-flannel']);

const holdsPodSlot = (pod: KubeObject) => {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return !SYSTEM_NAMESPACES.has(pod.metadata.namespace ?? '') && phase !== 'Succeeded' && phase !== 'Failed';
};

/**
 * Throws the apiserver's 403 when creating `object` would take the cluster past a limit. The object is named as
 * admission names it: by the generateName prefix the client asked for when it gave one, so a controller's refusals
 * read alike (and its FailedCreate events count up instead of piling up).
 */
export function admitWithinLimits(
  store: ObjectStore,
  limits: ClusterLimits,
  info: ResourceInfo,
  object: KubeObject,
): void {
  const refuse = (limit: number, what: string, which: string) => {
    const resource = info.group ? `${info.resource}.${info.group}` : info.resource;
    const name = object.metadata.generateName || object.metadata.name;
    throw forbidden(
      `${resource} "${name}" is forbidden: this attendee cluster already holds its limit of ${limit} ${what} (${which})`,
    );
  };
  const key = `${info.group}/${info.resource}`;
  if (key === EVENTS) return;
  if (limits.pods !== undefined && key === PODS && holdsPodSlot(object)) {
    const held = store.list(PODS).filter(holdsPodSlot).length;
    if (held >= limits.pods) refuse(limits.pods, 'pods', "the room's --attendee-pod-limit");
  }
  if (limits.objects !== undefined) {
    const held = store.count() - store.count(EVENTS);
    if (held >= limits.objects) refuse(limits.objects, 'objects', "the room's limit of objects per attendee");
  }
}
