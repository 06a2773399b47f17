// Capital ships: the controller behind a hit pod, found by walking the real ownerReferences (pod → ReplicaSet →
// Deployment) and checking every controller as read from the cluster, then deleted exactly as read. A name is never
// guessed: a hand-made ReplicaSet `web-abc` must not bring down an unrelated Deployment `web`.
import type { V1ObjectMeta, V1OwnerReference, V1Pod } from '@kubernetes/client-node';
import { statusCode } from '../../errors.ts';
import type { CapitalShipSettings } from '../protocol.ts';
import { type LabelSelector, matchesSelector } from '../state/selector.ts';
import {
  CAPITAL_KINDS,
  type CapitalKind,
  type ControllerObject,
  messageOf,
  type Preconditions,
  type ShotClient,
} from './shot.ts';

export interface CapitalRules {
  selector: LabelSelector;
  selectorText: string;
  isProtected(namespace: string): boolean;
}

/** One controller as read and checked: deleted only while its uid and resourceVersion are still these. */
export interface CapitalController extends Preconditions {
  kind: CapitalKind;
  name: string;
  namespace: string;
}

/** The controllers a capital ship is made of, top first (a Deployment, then its ReplicaSet), or why none may go. */
export type CapitalShip = { controllers: CapitalController[] } | { refused: string };

export const controllerLabel = (c: Pick<CapitalController, 'kind' | 'name'>) => `${c.kind}/${c.name}`;

const controllerRef = (meta: V1ObjectMeta | undefined) =>
  meta?.ownerReferences?.find((r) => r.controller === true);

const isCapitalKind = (kind: string): kind is CapitalKind =>
  (CAPITAL_KINDS as readonly string[]).includes(kind);

/** `gone`: the controller no longer exists as the reference named it, or is already being deleted. */
type Checked = { controller: CapitalController; object: ControllerObject } | { refused: string; gone?: true };

/** Reads the controller an owner reference names and checks it is that very object and a fair target. */
async function readChecked(
  client: ShotClient,
  ref: Pick<V1OwnerReference, 'kind' | 'name' | 'uid'>,
  kind: CapitalKind,
  namespace: string,
  rules: CapitalRules,
): Promise<Checked> {
  const label = controllerLabel({ kind, name: ref.name });
  if (rules.isProtected(namespace)) return { refused: `${label} is in the protected namespace ${namespace}` };
  let object: ControllerObject | undefined;
  try {
    object = await client.readController(kind, namespace, ref.name);
  } catch (err) {
    return { refused: `could not read ${label}: ${messageOf(err)}` };
  }
  // Another object under the owner's name (or none) is not the pod's controller: a recreated or forged one.
  if (!object || object.metadata?.uid !== ref.uid) {
    return { refused: `${label} is not the controller the pod names (uid ${ref.uid})`, gone: true };
  }
  if (!matchesSelector(rules.selector, object.spec?.template?.metadata?.labels)) {
    return { refused: `${label} makes pods outside the game selector ${rules.selectorText}` };
  }
  if (object.metadata.deletionTimestamp) return { refused: `${label} is already being deleted`, gone: true };
  const resourceVersion = object.metadata.resourceVersion ?? '';
  return { controller: { kind, name: ref.name, namespace, uid: ref.uid, resourceVersion }, object };
}

/**
 * The capital ship a hit pod belongs to: its controller (by the pod's controller reference) and, for a ReplicaSet
 * controlled by a Deployment, that Deployment. Undefined when the pod has no controller of a capital kind.
 */
export async function findCapitalShip(
  client: ShotClient,
  pod: V1Pod,
  rules: CapitalRules,
): Promise<CapitalShip | undefined> {
  const namespace = pod.metadata?.namespace ?? 'default';
  const ref = controllerRef(pod.metadata);
  // The Deployment controller never owns pods itself: a pod naming one was edited by hand.
  if (!ref || ref.kind === 'Deployment' || !isCapitalKind(ref.kind)) return undefined;
  const owner = await readChecked(client, ref, ref.kind, namespace, rules);
  if ('refused' in owner) return { refused: owner.refused };
  const parentRef = controllerRef(owner.object.metadata);
  if (ref.kind !== 'ReplicaSet' || parentRef?.kind !== 'Deployment')
    return { controllers: [owner.controller] };
  const parent = await readChecked(client, parentRef, 'Deployment', namespace, rules);
  if ('refused' in parent) return { refused: parent.refused };
  return { controllers: [parent.controller, owner.controller] };
}

/**
 * Deletes the controllers top first, each as re-read and re-checked just before: a controller's status moves with
 * every pod it replaces (the shot that made this a capital ship just deleted one), and the garbage collector updates
 * a ReplicaSet when its Deployment goes, so a resourceVersion read earlier would rarely still hold.
 */
export async function destroyCapitalShip(
  client: ShotClient,
  controllers: readonly CapitalController[],
  propagationPolicy: CapitalShipSettings['propagationPolicy'],
  rules: CapitalRules,
): Promise<void> {
  for (const controller of controllers) await deleteAsRead(client, controller, propagationPolicy, rules);
}

const DELETE_ATTEMPTS = 3;

/** Deletes the controller only as re-read (uid and resourceVersion); a conflict means re-read and try again. */
async function deleteAsRead(
  client: ShotClient,
  expected: CapitalController,
  propagationPolicy: CapitalShipSettings['propagationPolicy'],
  rules: CapitalRules,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const checked = await readChecked(client, expected, expected.kind, expected.namespace, rules);
    if ('refused' in checked) {
      // Gone already (a Background delete of its Deployment takes a ReplicaSet along): nothing left to destroy.
      if (checked.gone) return;
      throw new Error(checked.refused);
    }
    const { controller } = checked;
    try {
      await client.deleteController(
        controller.kind,
        controller.namespace,
        controller.name,
        controller,
        propagationPolicy,
      );
      return;
    } catch (err) {
      const code = statusCode(err);
      if (code === 404) return;
      if (code !== 409 || attempt === DELETE_ATTEMPTS) throw err;
    }
  }
}
