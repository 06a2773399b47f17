// The simulated cluster behind the sandbox's API: nodes, scheduler, kubelets and controllers, all plain clients
// of the registry (watch + writes), as kube-controller-manager, kube-scheduler and kubelets are of an apiserver.
import type { ClusterClient, Clock, RandomSource } from '../types.ts';
import { defaultTopology } from './topology.ts';
import { registerNodes } from './nodes.ts';

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

export function startControllers(client: ClusterClient, options: ControllerOptions): { stop(): void } {
  const topology = defaultTopology(options.nodes ?? 2);
  registerNodes(client, topology, options.kubeletVersion ?? 'v1.35.0', new Date(options.clock.now()));
  return {
    stop() {},
  };
}
