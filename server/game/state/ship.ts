// Pod → ship: the one place that decides what a pod looks like in the game (STYLE rule 9).
import type { V1Pod } from '@kubernetes/client-node';
import type { ControllerKind, Ship, ShipState } from '../protocol.ts';

/** The cluster given to the engine at start (the instructor's): its ship ids are the pod uids, as before rooms. */
export const MAIN_CLUSTER = 'main';

/**
 * Where a pod runs. In the main cluster a pod's fleet is its `player` label or namespace; in an attendee's cluster
 * every game pod flies in that attendee's fleet (`fleet`), whatever its labels say.
 */
export interface PodOrigin {
  cluster: string;
  fleet?: string;
}

export const MAIN_ORIGIN: PodOrigin = { cluster: MAIN_CLUSTER };

/**
 * The id of a ship in the game (Ship.uid on the wire, opaque to browsers): the pod uid in the main cluster,
 * `<cluster>/<pod uid>` elsewhere, so the same uid in two clusters makes two ships. Pod uids never hold a '/'.
 */
export function shipId(cluster: string, podUid: string): string {
  return cluster === MAIN_CLUSTER ? podUid : `${cluster}/${podUid}`;
}

/** The cluster and pod uid behind a ship id (the inverse of shipId). */
export function podOfShip(id: string): { cluster: string; podUid: string } {
  const slash = id.indexOf('/');
  return slash < 0
    ? { cluster: MAIN_CLUSTER, podUid: id }
    : { cluster: id.slice(0, slash), podUid: id.slice(slash + 1) };
}

/** The fleet a pod flies in: its `player` label, else its namespace. */
export function fleetOf(pod: V1Pod): string {
  const player = pod.metadata?.labels?.player?.trim();
  return player ? player : (pod.metadata?.namespace ?? 'default');
}

/**
 * warping (Pending), flying (Running, every container running and the pod Ready), damaged (Running but a container
 * waiting or terminated, or not Ready), destroyed (being deleted, Failed or Succeeded).
 */
export function shipStateOf(pod: V1Pod): ShipState {
  if (pod.metadata?.deletionTimestamp) return 'destroyed';
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') return 'destroyed';
  if (phase !== 'Running') return phase === 'Unknown' ? 'damaged' : 'warping';
  const containers = pod.status?.containerStatuses ?? [];
  const allRunning = containers.length > 0 && containers.every((c) => c.state?.running !== undefined);
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  return allRunning && ready ? 'flying' : 'damaged';
}

const OWNER_KINDS: Record<string, ControllerKind> = {
  ReplicationController: 'ReplicationController',
  ReplicaSet: 'ReplicaSet',
  StatefulSet: 'StatefulSet',
  DaemonSet: 'DaemonSet',
  Job: 'Job',
};

/**
 * The controller shown for a pod. A ReplicaSet made by a Deployment is shown as the Deployment: the Deployment
 * controller names its ReplicaSets `<deployment>-<pod-template-hash>` and stamps that hash on their pods, so the
 * label tells us without reading the ReplicaSet (the game's RBAC only covers pods).
 */
export function controllerOf(pod: V1Pod): { kind: ControllerKind; uid?: string; name?: string } {
  const refs = pod.metadata?.ownerReferences ?? [];
  const owner = refs.find((r) => r.controller) ?? refs[0];
  if (!owner) return { kind: 'Pod' };
  const hash = pod.metadata?.labels?.['pod-template-hash'];
  if (owner.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`)) {
    return { kind: 'Deployment', uid: owner.uid, name: owner.name.slice(0, -hash.length - 1) };
  }
  return { kind: OWNER_KINDS[owner.kind] ?? 'Pod', uid: owner.uid, name: owner.name };
}

export function shipOf(pod: V1Pod, origin: PodOrigin = MAIN_ORIGIN): Ship {
  const controller = controllerOf(pod);
  const ship: Ship = {
    uid: shipId(origin.cluster, pod.metadata?.uid ?? ''),
    name: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? 'default',
    fleet: origin.fleet ?? fleetOf(pod),
    state: shipStateOf(pod),
    controller: controller.kind,
  };
  if (controller.uid) ship.controllerUid = shipId(origin.cluster, controller.uid);
  return ship;
}
