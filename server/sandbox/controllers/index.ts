// The simulated cluster behind the sandbox's API: nodes, scheduler, kubelets and controllers, all plain clients
// of the registry (watch + writes), as kube-controller-manager, kube-scheduler and kubelets are of an apiserver.
import type { ClusterClient, Clock, KubeObject, RandomSource } from '../types.ts';
import { Kubelets } from '../kubelet/kubelet.ts';
import { Scheduler } from '../scheduler/scheduler.ts';
import { SPEEDS } from '../stages/speed.ts';
import { DeploymentController } from './deployment.ts';
import { EventRecorder } from './events.ts';
import { registerNodes } from './nodes.ts';
import { ReplicaController } from './replicaset.ts';
import { Informer, REF, controllerUid } from './runtime.ts';
import { defaultTopology } from './topology.ts';

export interface ControllerOptions {
  clock: Clock;
  random: RandomSource;
  /** fast: transitions at once; realistic: image pulls and starts take seconds, with jitter. */
  speed: 'fast' | 'realistic';
  /** Worker nodes besides the control plane (default 2, as the Vagrant cluster). */
  nodes?: number;
  /** Kubelet version the nodes report (default v1.35.0). */
  kubeletVersion?: string;
}

const byUid = (object: KubeObject) => [object.metadata.uid ?? ''];
const byController = (object: KubeObject) => {
  const uid = controllerUid(object);
  return uid ? [uid] : [];
};
const orphansByNamespace = (object: KubeObject) =>
  controllerUid(object) ? [] : [object.metadata.namespace ?? ''];

export function startControllers(client: ClusterClient, options: ControllerOptions): { stop(): void } {
  const { clock, random } = options;
  const topology = defaultTopology(options.nodes ?? 2);
  registerNodes(client, topology, options.kubeletVersion ?? 'v1.35.0', new Date(clock.now()));

  const informer = (
    ref: (typeof REF)[keyof typeof REF],
    indexes: Record<string, (o: KubeObject) => string[]>,
  ) => {
    const made = new Informer(client, ref);
    for (const [name, of] of Object.entries(indexes)) made.addIndex(name, of);
    return made;
  };
  const pods = informer(REF.pods, { controller: byController, orphan: orphansByNamespace });
  const nodes = informer(REF.nodes, { uid: byUid });
  const replicaSets = informer(REF.replicasets, {
    uid: byUid,
    controller: byController,
    orphan: orphansByNamespace,
  });
  const replicationControllers = informer(REF.replicationcontrollers, { uid: byUid });
  const deployments = informer(REF.deployments, { uid: byUid });
  const informers = [pods, nodes, replicaSets, replicationControllers, deployments];

  const recorder = new EventRecorder(client, clock);
  const parts: { stop(): void }[] = [
    new Scheduler(client, pods, nodes, recorder, clock, random),
    new Kubelets(client, pods, nodes, recorder, clock, random, SPEEDS[options.speed]),
    new ReplicaController(client, REF.replicasets, replicaSets, pods, recorder, clock, random),
    new ReplicaController(
      client,
      REF.replicationcontrollers,
      replicationControllers,
      pods,
      recorder,
      clock,
      random,
    ),
    new DeploymentController(client, deployments, replicaSets, recorder, clock),
  ];
  // Handlers are all registered: start the watches (their initial ADDED events reach every controller).
  for (const each of informers) each.start();
  return {
    stop() {
      for (const each of informers) each.stop();
      for (const part of parts) part.stop();
    },
  };
}
