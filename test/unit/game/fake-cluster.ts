// A cluster for the engine's unit tests: pods by namespace/name, seen by the game through a fake informer, and shot
// at through the ShotClient it also is (a delete reaches the informer, as the watch of a real cluster would tell).
import { KubeConfig, type V1Pod } from '@kubernetes/client-node';
import type { ControllerObject, Preconditions, ShotClient } from '../../../server/game/chaos/shot.ts';
import { FakeInformer } from './fake-informer.ts';

/** A kubeconfig that only names its cluster: fakes are picked by that name. */
export function kubeConfigOf(name: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name, server: 'https://127.0.0.1:1' }],
    users: [{ name: 'admin' }],
    contexts: [{ name, cluster: name, user: 'admin' }],
    currentContext: name,
  });
  return kc;
}

const keyOf = (pod: V1Pod) => `${pod.metadata?.namespace}/${pod.metadata?.name}`;
const statusError = (code: number, message: string) => Object.assign(new Error(message), { code });

export class FakeCluster implements ShotClient {
  readonly informer = new FakeInformer();
  readonly kubeConfig: KubeConfig;
  readonly pods = new Map<string, V1Pod>();
  /** Controllers by `Kind namespace/name`, for capital ships. */
  readonly controllers = new Map<string, ControllerObject>();
  readonly calls: string[] = [];
  closed = false;
  /** Controller deletes fail with this status code. */
  refuseControllers?: number;
  /** The cluster's resourceVersion, stamped on each pod put, as an API server does on every write. */
  private version = 0;

  constructor(readonly name: string) {
    this.kubeConfig = kubeConfigOf(name);
  }

  /** Creates or changes a pod; the game hears of it. */
  put(pod: V1Pod): void {
    const had = this.pods.has(keyOf(pod));
    this.putUnheard(pod);
    this.informer.emit(had ? 'update' : 'add', pod);
  }

  /** Creates or changes a pod; the game has not heard of it yet (its watch event is still on the way). */
  putUnheard(pod: V1Pod): void {
    pod.metadata = { ...pod.metadata, resourceVersion: String(++this.version) };
    this.pods.set(keyOf(pod), pod);
  }

  async readPod(namespace: string, name: string) {
    this.calls.push(`read ${namespace}/${name}`);
    return this.pods.get(`${namespace}/${name}`);
  }

  /** A controller the pods' owner references can name (kind, namespace and name from the object). */
  putController(kind: string, controller: ControllerObject): void {
    this.controllers.set(
      `${kind} ${controller.metadata?.namespace}/${controller.metadata?.name}`,
      controller,
    );
  }

  async deletePod(namespace: string, name: string, { uid, resourceVersion }: Preconditions) {
    this.calls.push(`delete ${namespace}/${name} uid=${uid} rv=${resourceVersion}`);
    const pod = this.pods.get(`${namespace}/${name}`);
    if (!pod) throw statusError(404, 'not found');
    if (pod.metadata?.uid !== uid) throw statusError(409, 'uid precondition failed');
    if (pod.metadata?.resourceVersion !== resourceVersion)
      throw statusError(409, 'resourceVersion precondition failed');
    this.pods.delete(`${namespace}/${name}`);
    this.informer.emit('delete', pod);
  }

  async evictPod(namespace: string, name: string, { uid }: Preconditions) {
    this.calls.push(`evict ${namespace}/${name} uid=${uid}`);
  }

  async readController(kind: string, namespace: string, name: string) {
    this.calls.push(`read ${kind} ${namespace}/${name}`);
    return this.controllers.get(`${kind} ${namespace}/${name}`);
  }

  async deleteController(
    kind: string,
    namespace: string,
    name: string,
    { uid }: Preconditions,
    policy: string,
  ) {
    this.calls.push(`delete ${kind} ${namespace}/${name} uid=${uid} ${policy}`);
    if (this.refuseControllers) throw statusError(this.refuseControllers, 'forbidden');
  }

  close() {
    this.closed = true;
  }
}
