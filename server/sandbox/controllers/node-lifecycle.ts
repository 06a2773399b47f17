// Node lifecycle: a node whose kubelet stopped reporting (Ready not True) is tainted unreachable/not-ready, its pods
// are marked not ready, and after the eviction toleration its pods are deleted so their controllers replace them
// elsewhere. A node that comes back loses the taints.
import type { ClusterClient, KubeObject } from '../types.ts';
import type { EventRecorder } from './events.ts';
import type { Informer } from './runtime.ts';
import { KeyedTimers, REF } from './runtime.ts';
import { statusCode } from '../../errors.ts';
import type { Clock } from '../../clock.ts';

const UNREACHABLE = 'node.kubernetes.io/unreachable';
const NOT_READY = 'node.kubernetes.io/not-ready';
/** The default toleration the apiserver's admission gives pods; the sandbox shortens it to its own setting. */
const ADMISSION_DEFAULT_SECONDS = 300;

interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}
interface Toleration {
  key?: string;
  operator?: string;
  effect?: string;
  tolerationSeconds?: number;
}

function readyStatus(node: KubeObject): string {
  const conditions =
    ((node.status ?? {}) as { conditions?: { type: string; status: string }[] }).conditions ?? [];
  return conditions.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
}

/** How long a pod stays on a failed node: undefined when it tolerates the taint forever (DaemonSet pods). */
export function evictionDelayMs(pod: KubeObject, taintKey: string, defaultMs: number): number | undefined {
  const tolerations = ((pod.spec ?? {}) as { tolerations?: Toleration[] }).tolerations ?? [];
  const match = tolerations.find(
    (t) =>
      (!t.effect || t.effect === 'NoExecute') &&
      (t.operator === 'Exists' ? !t.key || t.key === taintKey : t.key === taintKey),
  );
  if (!match) return defaultMs;
  if (match.tolerationSeconds === undefined) return undefined;
  if (match.tolerationSeconds === ADMISSION_DEFAULT_SECONDS) return defaultMs;
  return Math.max(0, match.tolerationSeconds * 1000);
}

export class NodeLifecycleController {
  private readonly timers: KeyedTimers;

  constructor(
    private readonly client: ClusterClient,
    private readonly nodes: Informer,
    private readonly pods: Informer,
    private readonly recorder: EventRecorder,
    private readonly clock: Clock,
    private readonly evictionMs: number,
  ) {
    this.timers = new KeyedTimers(clock);
    nodes.onChange((type, node) => {
      if (type === 'DELETED') return;
      try {
        this.sync(node);
      } catch (error) {
        if (statusCode(error) !== 409 && statusCode(error) !== 404) throw error;
      }
    });
  }

  stop(): void {
    this.timers.cancelAll();
  }

  private sync(node: KubeObject): void {
    const name = node.metadata.name ?? '';
    const ready = readyStatus(node);
    const spec = (node.spec ?? {}) as { taints?: Taint[] };
    const taints = spec.taints ?? [];
    const others = taints.filter((t) => t.key !== UNREACHABLE && t.key !== NOT_READY);
    if (ready === 'True') {
      if (others.length !== taints.length) {
        this.writeTaints(node, others);
        this.nodeEvent(node, 'NodeReady');
      }
      for (const key of this.podTimerKeys(name)) this.timers.cancel(key);
      return;
    }
    const key = ready === 'Unknown' ? UNREACHABLE : NOT_READY;
    if (taints.some((t) => t.key === key && t.effect === 'NoExecute')) return; // already handled
    const now = new Date(this.clock.now()).toISOString();
    this.writeTaints(node, [
      ...others,
      { key, effect: 'NoSchedule' },
      { key, effect: 'NoExecute', timeAdded: now },
    ]);
    this.nodeEvent(node, 'NodeNotReady');
    for (const pod of this.podsOn(name)) {
      this.markNotReady(pod);
      const delay = evictionDelayMs(pod, key, this.evictionMs);
      if (delay !== undefined)
        this.timers.schedule(`${name}/${pod.metadata.uid}`, delay, () => this.evict(pod));
    }
  }

  private nodeEvent(node: KubeObject, status: 'NodeReady' | 'NodeNotReady'): void {
    this.recorder.record(
      node,
      { component: 'node-controller' },
      {
        type: 'Normal',
        reason: status,
        message: `Node ${node.metadata.name} status is now: ${status}`,
      },
    );
  }

  private podsOn(nodeName: string): KubeObject[] {
    return this.pods.byIndex('node', nodeName);
  }

  private podTimerKeys(nodeName: string): string[] {
    return this.podsOn(nodeName).map((pod) => `${nodeName}/${pod.metadata.uid}`);
  }

  private writeTaints(node: KubeObject, taints: Taint[]): void {
    this.client.patch(REF.nodes, undefined, node.metadata.name ?? '', 'merge', {
      spec: { taints: taints.length ? taints : null },
    });
  }

  private markNotReady(pod: KubeObject): void {
    const status = (pod.status ?? {}) as { conditions?: { type: string; status: string }[] };
    if (!status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return;
    const now = new Date(this.clock.now()).toISOString();
    const conditions = status.conditions.map((c) =>
      c.type === 'Ready' || c.type === 'ContainersReady'
        ? { ...c, status: 'False', lastTransitionTime: now }
        : c,
    );
    try {
      this.client.patch(
        REF.pods,
        pod.metadata.namespace,
        pod.metadata.name ?? '',
        'merge',
        { status: { conditions } },
        {
          subresource: 'status',
        },
      );
    } catch (error) {
      if (statusCode(error) !== 404) throw error;
    }
  }

  private evict(pod: KubeObject): void {
    const current = this.pods.get(pod.metadata.namespace, pod.metadata.name ?? '');
    if (!current || current.metadata.uid !== pod.metadata.uid || current.metadata.deletionTimestamp) return;
    this.recorder.record(
      current,
      { component: 'taint-eviction-controller' },
      {
        type: 'Normal',
        reason: 'TaintManagerEviction',
        message: `Marking for deletion Pod ${current.metadata.namespace}/${current.metadata.name}`,
      },
    );
    try {
      this.client.delete(REF.pods, current.metadata.namespace, current.metadata.name ?? '', {
        preconditions: { uid: current.metadata.uid },
      });
    } catch (error) {
      if (statusCode(error) !== 404 && statusCode(error) !== 409) throw error;
    }
  }
}
