// kube-scheduler: binds pending pods in batches (one pass per burst of events). Pods that fit nowhere stay Pending
// with PodScheduled=False and a FailedScheduling event, and are retried when a node changes or a pod goes away.
import type { ClusterClient, KubeObject } from '../types.ts';
import type { EventRecorder } from '../controllers/events.ts';
import type { Informer } from '../controllers/runtime.ts';
import { REF, keyOf } from '../controllers/runtime.ts';
import { statusCode } from '../../errors.ts';
import { ClusterView, PlacedPods, schedulePod } from './schedule.ts';
import { claimLookup, readWriteOncePodClaims } from '../controllers/storage.ts';
import type { Clock } from '../../clock.ts';
import type { RandomSource } from '../../random.ts';

const SOURCE = { component: 'default-scheduler' };

function wantsScheduling(pod: KubeObject): boolean {
  const spec = (pod.spec ?? {}) as { nodeName?: string; schedulerName?: string };
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return (
    !spec.nodeName &&
    (spec.schedulerName ?? 'default-scheduler') === 'default-scheduler' &&
    !pod.metadata.deletionTimestamp &&
    phase !== 'Succeeded' &&
    phase !== 'Failed'
  );
}

/** What of a node the filters read; a heartbeat changes none of it. */
function schedulingFacts(node: KubeObject): string {
  const spec = (node.spec ?? {}) as { unschedulable?: boolean; taints?: unknown };
  const status = (node.status ?? {}) as {
    allocatable?: unknown;
    capacity?: unknown;
    conditions?: { type: string; status?: string }[];
  };
  return JSON.stringify([
    node.metadata.labels,
    spec.unschedulable,
    spec.taints,
    status.allocatable,
    status.capacity,
    status.conditions?.find((c) => c.type === 'Ready')?.status,
  ]);
}

/**
 * Whether a node change could let a waiting pod fit, as kube-scheduler's queueing hints decide: a new node, or a
 * change of labels, taints, cordon, allocatable/capacity or readiness. Heartbeats (lease, condition times) cannot.
 */
export function nodeChangeMayHelp(node: KubeObject, previous: KubeObject | undefined): boolean {
  return !previous || schedulingFacts(node) !== schedulingFacts(previous);
}

export class Scheduler {
  private readonly queue = new Set<string>();
  /** Pods that fit nowhere, by key, with the last message written. */
  private readonly unschedulable = new Map<string, string>();
  private flushScheduled = false;
  private stopped = false;
  /** What the bound pods hold, kept from the pod informer's changes. */
  private readonly placed: PlacedPods;

  constructor(
    private readonly client: ClusterClient,
    private readonly pods: Informer,
    private readonly nodes: Informer,
    private readonly recorder: EventRecorder,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {
    this.placed = PlacedPods.of(pods.objects.values());
    pods.onChange((type, pod) => {
      const key = keyOf(pod);
      this.placed.update(key, type === 'DELETED' ? undefined : pod);
      if (type === 'DELETED') {
        this.unschedulable.delete(key);
        this.queue.delete(key);
        // Freed room: give the waiting pods another try.
        if ((pod.spec as { nodeName?: string } | undefined)?.nodeName) this.retryUnschedulable();
        return;
      }
      if (wantsScheduling(pod) && !this.unschedulable.has(key)) this.enqueue(key);
    });
    nodes.onChange((type, node, previous) => {
      if (type !== 'DELETED' && nodeChangeMayHelp(node, previous)) this.retryUnschedulable();
    });
  }

  stop(): void {
    this.stopped = true;
  }

  private retryUnschedulable(): void {
    for (const key of this.unschedulable.keys()) this.enqueue(key);
  }

  private enqueue(key: string): void {
    this.queue.add(key);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.clock.setTimeout(() => this.flush(), 0);
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.stopped) return;
    const keys = [...this.queue];
    this.queue.clear();
    const nodes = [...this.nodes.objects.values()];
    const view = new ClusterView(this.placed);
    for (const key of keys) {
      const slash = key.indexOf('/');
      const pod = this.pods.get(key.slice(0, slash), key.slice(slash + 1));
      if (!pod || !wantsScheduling(pod)) {
        this.unschedulable.delete(key);
        continue;
      }
      const exclusive = readWriteOncePodClaims(pod, claimLookup(this.client));
      const decision = schedulePod(pod, nodes, view, this.random, exclusive);
      try {
        if ('node' in decision) {
          this.bind(pod, decision.node);
          view.place(pod, decision.node);
          this.unschedulable.delete(key);
        } else {
          this.reportUnschedulable(pod, decision.message);
          this.unschedulable.set(key, decision.message);
        }
      } catch (error) {
        const code = statusCode(error);
        if (code !== 404 && code !== 409) throw error;
        // Gone or changed meanwhile: its next event brings it back if it still needs a node.
      }
    }
  }

  private bind(pod: KubeObject, nodeName: string): void {
    const namespace = pod.metadata.namespace;
    const name = pod.metadata.name ?? '';
    const bound = bindPod(this.client, pod, nodeName);
    const now = new Date(this.clock.now()).toISOString();
    const status = (bound.status ?? {}) as { conditions?: { type: string }[] };
    this.client.update(
      REF.pods,
      namespace,
      {
        ...bound,
        status: {
          ...status,
          conditions: [
            ...(status.conditions ?? []).filter((c) => c.type !== 'PodScheduled'),
            { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now },
          ],
        },
      },
      { subresource: 'status' },
    );
    this.recorder.record(pod, SOURCE, {
      type: 'Normal',
      reason: 'Scheduled',
      message: `Successfully assigned ${namespace}/${name} to ${nodeName}`,
    });
  }

  private reportUnschedulable(pod: KubeObject, message: string): void {
    const status = (pod.status ?? {}) as { conditions?: { type: string; message?: string }[] };
    const current = status.conditions?.find((c) => c.type === 'PodScheduled');
    this.recorder.record(pod, SOURCE, { type: 'Warning', reason: 'FailedScheduling', message });
    if (current?.message === message) return;
    this.client.update(
      REF.pods,
      pod.metadata.namespace,
      {
        ...pod,
        status: {
          ...status,
          phase: 'Pending',
          conditions: [
            ...(status.conditions ?? []).filter((c) => c.type !== 'PodScheduled'),
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message,
              lastProbeTime: null,
              lastTransitionTime: new Date(this.clock.now()).toISOString(),
            },
          ],
        },
      },
      { subresource: 'status' },
    );
  }
}

/** The binding: spec.nodeName set once, as POST pods/{name}/binding does. */
export function bindPod(client: ClusterClient, pod: KubeObject, nodeName: string): KubeObject {
  return client.patch(REF.pods, pod.metadata.namespace, pod.metadata.name ?? '', 'merge', {
    metadata: { resourceVersion: pod.metadata.resourceVersion },
    spec: { nodeName },
  });
}
