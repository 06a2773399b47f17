// The CPU and memory every running container uses now, as the kubelet's cAdvisor would measure them: what the
// container does itself (activityOf), plus the requests other pods' loops send to the servers it runs, each
// container held to its CPU limit (throttled) and to its node's cores.
import type { ClusterClient, KubeObject } from '../types.ts';
import { REF } from '../controllers/runtime.ts';
import { ClusterNetwork } from '../container/network.ts';
import { specOf } from '../pod/spec.ts';
import { statusOf } from '../pod/status.ts';
import { parseQuantity } from '../scheduler/quantity.ts';
import {
  SERVER_BYTES_PER_REQUEST_RATE,
  SERVER_CPU_PER_REQUEST,
  activityOf,
  memoryLimitOf,
} from './activity.ts';

export interface ContainerUsage {
  name: string;
  /** Cores. */
  cpu: number;
  /** Bytes. */
  memory: number;
}

export interface PodUsage {
  pod: KubeObject;
  containers: ContainerUsage[];
}

export interface NodeUsage {
  node: KubeObject;
  cpu: number;
  memory: number;
}

/** What the node itself runs besides pods (systemd, kubelet, containerd), [cores, bytes]. */
const NODE_OVERHEAD: [number, number] = [0.03, 450 * 2 ** 20];

const isRunning = (pod: KubeObject) =>
  !pod.metadata.deletionTimestamp && statusOf(pod).phase === 'Running' && Boolean(specOf(pod).nodeName);

const runningContainers = (pod: KubeObject) =>
  new Set((statusOf(pod).containerStatuses ?? []).filter((c) => 'running' in c.state).map((c) => c.name));

/** A stable spread of ±8 % per container, so replicas of one Deployment do not read exactly alike. */
function spread(key: string): number {
  let hash = 2166136261;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 16777619);
  return 0.92 + (((hash >>> 0) % 1000) / 1000) * 0.16;
}

export class ClusterUsage {
  private readonly network: ClusterNetwork;

  constructor(private readonly client: ClusterClient) {
    // Load balancing is judged as an even spread over the ready endpoints: no random choice is drawn.
    this.network = new ClusterNetwork(client, () => 0);
  }

  /** Every running pod's containers (those with a running state), with their usage. */
  pods(): PodUsage[] {
    const pods = this.client.list(REF.pods).items.filter(isRunning);
    const served = this.requestsServed(pods);
    const nodes = new Map(this.client.list(REF.nodes).items.map((n) => [n.metadata.name ?? '', n]));
    return pods.map((pod) => {
      const running = runningContainers(pod);
      const nodeCores = parseQuantity(
        (nodes.get(specOf(pod).nodeName ?? '')?.status as { allocatable?: { cpu?: string } } | undefined)
          ?.allocatable?.cpu ?? '1',
      );
      const containers = (specOf(pod).containers ?? [])
        .filter((container) => running.has(container.name))
        .map((container) => {
          const activity = activityOf(container);
          const perSecond = served.get(`${pod.metadata.uid}/${container.name}`) ?? 0;
          const jitter = spread(`${pod.metadata.uid}/${container.name}`);
          const wanted = activity.cpuCores * jitter + perSecond * SERVER_CPU_PER_REQUEST;
          const limit = container.resources?.limits?.cpu;
          const cap = Math.min(nodeCores, limit === undefined ? Infinity : parseQuantity(limit));
          return {
            name: container.name,
            cpu: Math.min(wanted, cap),
            // The cgroup never holds more than the limit: past it the OOM killer ends the container.
            memory: Math.min(
              Math.round(activity.memoryBytes * jitter + perSecond * SERVER_BYTES_PER_REQUEST_RATE),
              memoryLimitOf(container) ?? Infinity,
            ),
          };
        });
      return { pod, containers };
    });
  }

  /** Every node's usage: its pods' plus its own, within its capacity. */
  nodes(pods: PodUsage[] = this.pods()): NodeUsage[] {
    return this.client.list(REF.nodes).items.map((node) => {
      const onNode = pods.filter((p) => specOf(p.pod).nodeName === node.metadata.name);
      const sum = (of: (c: ContainerUsage) => number) =>
        onNode.reduce((total, p) => total + p.containers.reduce((t, c) => t + of(c), 0), 0);
      const capacity = (node.status as { capacity?: { cpu?: string } } | undefined)?.capacity;
      return {
        node,
        cpu: Math.min(parseQuantity(capacity?.cpu ?? '1'), NODE_OVERHEAD[0] + sum((c) => c.cpu)),
        memory: NODE_OVERHEAD[1] + sum((c) => c.memory),
      };
    });
  }

  /** Requests per second each server container receives from the running pods' loops, by `uid/container`. */
  private requestsServed(pods: KubeObject[]): Map<string, number> {
    const served = new Map<string, number>();
    for (const client of pods) {
      const running = runningContainers(client);
      for (const container of specOf(client).containers ?? []) {
        if (!running.has(container.name)) continue;
        for (const flow of activityOf(container).requests) {
          const address = this.network.resolve(flow.host, client.metadata.namespace ?? 'default')
            ?.addresses[0];
          const backends = address ? this.network.backends(address, flow.port) : undefined;
          if (!backends?.length) continue;
          for (const { pod, port } of backends) {
            const listener = serverContainer(pod, port);
            if (!listener) continue;
            const key = `${pod.metadata.uid}/${listener}`;
            served.set(key, (served.get(key) ?? 0) + flow.perSecond / backends.length);
          }
        }
      }
    }
    return served;
  }
}

/** The container of a pod that answers on `port`: the one declaring it, else the pod's first. */
function serverContainer(pod: KubeObject, port: number): string | undefined {
  const containers = specOf(pod).containers ?? [];
  const declared = containers.find((c) =>
    ((c as { ports?: { containerPort?: number }[] }).ports ?? []).some((p) => p.containerPort === port),
  );
  return (declared ?? containers[0])?.name;
}
