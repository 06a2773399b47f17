// One shot: check the pod is still a fair target (as the game's watch last saw it, or read again when it changed
// since), then delete (or evict) exactly that pod, once.
import {
  AppsV1Api,
  CoreV1Api,
  createConfiguration,
  type KubeConfig,
  type RequestContext,
  type SecurityAuthentication,
  ServerConfiguration,
  type V1ObjectMeta,
  type V1Pod,
  type V1PodTemplateSpec,
} from '@kubernetes/client-node';
import { statusCode } from '../../errors.ts';
import { KeptAliveAgents } from '../../keep-alive-kube-config.ts';
import type { CapitalShipSettings, ChaosSettings, ShotOutcome } from '../protocol.ts';
import { type LabelSelector, matchesSelector } from '../state/selector.ts';

/** What a delete or an eviction must find unchanged: exactly the object that was read and checked. */
export interface Preconditions {
  uid: string;
  resourceVersion: string;
}

/** The controllers a capital ship can be; a pod's owner of another kind is no capital ship. */
export const CAPITAL_KINDS = ['Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet'] as const;
export type CapitalKind = (typeof CAPITAL_KINDS)[number];

/** A controller as read from the cluster: what the capital ship checks look at. */
export interface ControllerObject {
  metadata?: V1ObjectMeta;
  spec?: { template?: V1PodTemplateSpec };
}

/** The cluster calls a shot needs; tests give a fake, the engine gives client-node. Errors carry `code`. */
export interface ShotClient {
  /** Undefined when the pod does not exist. */
  readPod(namespace: string, name: string): Promise<V1Pod | undefined>;
  /** `gracePeriodSeconds` undefined: the pod's own terminationGracePeriodSeconds. */
  deletePod(
    namespace: string,
    name: string,
    preconditions: Preconditions,
    gracePeriodSeconds?: number,
  ): Promise<void>;
  evictPod(
    namespace: string,
    name: string,
    preconditions: Preconditions,
    gracePeriodSeconds?: number,
  ): Promise<void>;
  /** Undefined when the controller does not exist. */
  readController(kind: CapitalKind, namespace: string, name: string): Promise<ControllerObject | undefined>;
  deleteController(
    kind: CapitalKind,
    namespace: string,
    name: string,
    preconditions: Preconditions,
    propagationPolicy: CapitalShipSettings['propagationPolicy'],
  ): Promise<void>;
  /** Releases kept-alive connections. */
  close(): void;
}

export interface ShotTarget {
  uid: string;
  name: string;
  namespace: string;
}

export interface ShotRules {
  selector: LabelSelector;
  selectorText: string;
  isProtected(namespace: string): boolean;
  /** The settings now: read again after the pod is, so a hard stop or dry run set meanwhile still applies. */
  chaos(): Pick<ChaosSettings, 'halted' | 'dryRun' | 'weapon' | 'gracePeriodSeconds'>;
}

export const HARD_STOP_REASON = 'hard stop: firing is halted';

export interface ShotResult {
  outcome: ShotOutcome;
  reason?: string;
  /** The pod as read just before firing (undefined if it was gone). */
  pod?: V1Pod;
}

/** The API server's message of a failed call (its Status body), else the error's own. */
export function messageOf(err: unknown): string {
  const body = (err as { body?: unknown })?.body;
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as { message?: unknown };
      if (typeof parsed.message === 'string') return parsed.message;
    } catch {
      // not JSON: fall back to the error's own message
    }
  }
  return err instanceof Error ? err.message : String(err);
}

/** Why a pod as read may not be shot, or undefined when the game selector and its state allow it. */
function unfit(pod: V1Pod, rules: ShotRules): Omit<ShotResult, 'pod'> | undefined {
  if (!matchesSelector(rules.selector, pod.metadata?.labels)) {
    return { outcome: 'refused', reason: `no longer matches the game selector ${rules.selectorText}` };
  }
  if (pod.metadata?.deletionTimestamp) return { outcome: 'missed', reason: 'already being deleted' };
  return undefined;
}

/** The pod changed since it was checked: the delete's preconditions no longer hold (409). */
const CHANGED = Symbol('changed');

/** Deletes (or evicts) exactly `pod`, checked already: a 409 means it changed since. */
async function fireAt(
  client: ShotClient,
  target: ShotTarget,
  pod: V1Pod,
  chaos: Pick<ChaosSettings, 'weapon' | 'gracePeriodSeconds'>,
): Promise<ShotResult | typeof CHANGED> {
  const preconditions = { uid: target.uid, resourceVersion: pod.metadata?.resourceVersion ?? '' };
  const grace = chaos.gracePeriodSeconds ?? undefined;
  try {
    if (chaos.weapon === 'evict') await client.evictPod(target.namespace, target.name, preconditions, grace);
    else await client.deletePod(target.namespace, target.name, preconditions, grace);
    // The deletion has started: with a grace period the pod still runs a while, but the ship is destroyed.
    return { outcome: 'hit', pod };
  } catch (err) {
    const code = statusCode(err);
    if (code === 404) return { outcome: 'missed', reason: 'already gone', pod };
    // 409 on a precondition: the name now belongs to another pod, or the pod changed since it was checked.
    if (code === 409) return CHANGED;
    if (code === 429) return { outcome: 'refused', reason: `eviction blocked: ${messageOf(err)}`, pod };
    return { outcome: 'refused', reason: `the cluster refused: ${messageOf(err)}`, pod };
  }
}

/**
 * Fires at `target`. Never retries a refused or failed shot: it is reported, and the scheduler picks a new target
 * next time. The uid and resourceVersion preconditions make sure the deleted pod is exactly the one checked: never a
 * pod recreated under the same name, nor one relabelled out of the game in between.
 *
 * `seen` is the pod as the game's watch last delivered it. When it passes every check, it is fired at without reading
 * the pod first: the preconditions hold the delete to that very version, so a pod changed since (relabelled, or
 * replaced) is not deleted but read and checked again, as if `seen` had not been given. A dry run always reads the
 * pod: it deletes nothing, so no precondition would catch a copy that is out of date.
 */
export async function fireShot(
  client: ShotClient,
  target: ShotTarget,
  rules: ShotRules,
  seen?: V1Pod,
): Promise<ShotResult> {
  if (rules.isProtected(target.namespace)) {
    return { outcome: 'refused', reason: `namespace ${target.namespace} is protected` };
  }
  if (seen?.metadata?.uid === target.uid && seen.metadata.resourceVersion && !unfit(seen, rules)) {
    const chaos = rules.chaos();
    if (!chaos.halted && !chaos.dryRun) {
      const fired = await fireAt(client, target, seen, chaos);
      if (fired !== CHANGED) return fired;
    }
  }
  let pod: V1Pod | undefined;
  try {
    pod = await client.readPod(target.namespace, target.name);
  } catch (err) {
    return { outcome: 'refused', reason: `could not read the pod: ${messageOf(err)}` };
  }
  if (!pod || pod.metadata?.uid !== target.uid) return { outcome: 'missed', reason: 'already gone' };
  const refusal = unfit(pod, rules);
  if (refusal) return { ...refusal, pod };
  const chaos = rules.chaos();
  if (chaos.halted) return { outcome: 'refused', reason: HARD_STOP_REASON, pod };
  if (chaos.dryRun) return { outcome: 'hit', reason: 'dry run: nothing deleted', pod };
  const fired = await fireAt(client, target, pod, chaos);
  return fired === CHANGED
    ? { outcome: 'missed', reason: 'replaced or changed since it was aimed at', pod }
    : fired;
}

/**
 * The kubeconfig's authentication, with the shots' own kept-alive agent (see KeptAliveAgents): a shot's calls (a
 * delete, and a read first when the watch's copy of the pod is out of date) should neither pay a TLS handshake nor
 * wait behind the engine's other requests.
 */
function keepAliveAuth(kubeConfig: KubeConfig): SecurityAuthentication & { close(): void } {
  const agents = new KeptAliveAgents();
  return {
    getName: () => 'kubeconfig-keep-alive',
    async applySecurityAuthentication(context: RequestContext) {
      await kubeConfig.applySecurityAuthentication(context);
      const made = context.getAgent();
      if (made) context.setAgent(agents.instead('shots', made));
    },
    close: () => agents.close(),
  };
}

/** client-node calls behind a ShotClient. */
export function kubeShotClient(kubeConfig: KubeConfig): ShotClient {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new Error('The kubeconfig has no current cluster: pick a context with a cluster.');
  const auth = keepAliveAuth(kubeConfig);
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(server, {}),
    authMethods: { default: auth },
  });
  const core = new CoreV1Api(configuration);
  const apps = new AppsV1Api(configuration);
  return {
    close: () => auth.close(),
    async readPod(namespace, name) {
      try {
        return await core.readNamespacedPod({ namespace, name });
      } catch (err) {
        if (statusCode(err) === 404) return undefined;
        throw err;
      }
    },
    async deletePod(namespace, name, preconditions, gracePeriodSeconds) {
      await core.deleteNamespacedPod({
        namespace,
        name,
        body: { ...(gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds }), preconditions },
      });
    },
    async evictPod(namespace, name, preconditions, gracePeriodSeconds) {
      await core.createNamespacedPodEviction({
        namespace,
        name,
        body: {
          apiVersion: 'policy/v1',
          kind: 'Eviction',
          metadata: { name, namespace },
          deleteOptions: {
            ...(gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds }),
            preconditions,
          },
        },
      });
    },
    async readController(kind, namespace, name) {
      const request = { namespace, name };
      try {
        if (kind === 'Deployment') return await apps.readNamespacedDeployment(request);
        if (kind === 'ReplicaSet') return await apps.readNamespacedReplicaSet(request);
        if (kind === 'StatefulSet') return await apps.readNamespacedStatefulSet(request);
        return await core.readNamespacedReplicationController(request);
      } catch (err) {
        if (statusCode(err) === 404) return undefined;
        throw err;
      }
    },
    async deleteController(kind, namespace, name, preconditions, propagationPolicy) {
      const request = { namespace, name, body: { propagationPolicy, preconditions } };
      if (kind === 'Deployment') await apps.deleteNamespacedDeployment(request);
      else if (kind === 'ReplicaSet') await apps.deleteNamespacedReplicaSet(request);
      else if (kind === 'StatefulSet') await apps.deleteNamespacedStatefulSet(request);
      else await core.deleteNamespacedReplicationController(request);
    },
  };
}
