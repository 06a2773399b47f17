// The parts of a pod's spec the simulated kubelet reads.
import type { KubeObject } from '../types.ts';

export interface ContainerSpec {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  imagePullPolicy?: string;
  readinessProbe?: { initialDelaySeconds?: number; periodSeconds?: number };
  livenessProbe?: {
    exec?: { command?: string[] };
    initialDelaySeconds?: number;
    periodSeconds?: number;
    failureThreshold?: number;
  };
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
}

export interface PodSpec {
  containers?: ContainerSpec[];
  initContainers?: ContainerSpec[];
  restartPolicy?: string;
  terminationGracePeriodSeconds?: number;
  nodeName?: string;
  hostNetwork?: boolean;
}

export const specOf = (pod: KubeObject) => (pod.spec ?? {}) as PodSpec;

/** Whether the kubelet restarts a container that exited with `exitCode`, by the pod's restartPolicy. */
export function shouldRestart(pod: KubeObject, exitCode: number): boolean {
  const policy = specOf(pod).restartPolicy ?? 'Always';
  return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
}
