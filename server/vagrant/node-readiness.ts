// After `vagrant up`: waits until every planned node is Ready through the API, polling with a deadline.
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { V1Node } from '@kubernetes/client-node';

export interface NodeReadiness {
  name: string;
  ready: boolean;
}

/** Ready means the node's Ready condition is True, as `kubectl get nodes` prints it. */
export function nodeReadiness(nodes: readonly V1Node[]): NodeReadiness[] {
  return nodes.map((node) => ({
    name: node.metadata?.name ?? '',
    ready: node.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false,
  }));
}

export type ListNodes = () => Promise<V1Node[]>;

export function listNodesWith(kubeconfigPath: string): ListNodes {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath);
  const api = kubeConfig.makeApiClient(CoreV1Api);
  return async () => (await api.listNode()).items;
}

export interface WaitForNodesOptions {
  listNodes: ListNodes;
  expected: readonly string[];
  timeoutMs: number;
  pollMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Called after every poll with the names still not Ready (or the error that made the poll fail). */
  onPoll?: (notReady: string[], error: unknown) => void;
}

/** Resolves with [] when all expected nodes are Ready, or with those still not Ready at the deadline. */
export async function waitForNodesReady(options: WaitForNodesOptions): Promise<string[]> {
  const deadline = options.now() + options.timeoutMs;
  for (;;) {
    let notReady = [...options.expected];
    let failure: unknown;
    try {
      const ready = new Set(
        nodeReadiness(await options.listNodes())
          .filter((node) => node.ready)
          .map((node) => node.name),
      );
      notReady = options.expected.filter((name) => !ready.has(name));
    } catch (error) {
      failure = error;
    }
    options.onPoll?.(notReady, failure);
    if (notReady.length === 0 || options.now() >= deadline) return notReady;
    await options.sleep(options.pollMs);
  }
}
