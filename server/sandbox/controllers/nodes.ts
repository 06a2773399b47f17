// Node registration (what each kubelet does when it joins) and the Kube Wars-side switch that stops a node.
import type { ClusterClient, KubeObject } from '../types.ts';
import { nodeObject, readyCondition, type NodeSpec } from './topology.ts';
import { REF, statusCode } from './runtime.ts';

/** Create the nodes that do not exist yet (a restored sandbox keeps its own). */
export function registerNodes(
  client: ClusterClient,
  nodes: NodeSpec[],
  kubeletVersion: string,
  now: Date,
): void {
  for (const spec of nodes) {
    if (client.tryGet(REF.nodes, undefined, spec.name)) continue;
    try {
      client.create(REF.nodes, undefined, nodeObject(spec, kubeletVersion, now.toISOString()));
    } catch (error) {
      if (statusCode(error) !== 409) throw error;
    }
  }
}

/**
 * Stop or restart a node's simulated kubelet: its Ready condition turns Unknown (as when a kubelet stops posting
 * status) or True again. The node lifecycle controller takes it from there.
 */
export function setNodeReady(
  client: ClusterClient,
  name: string,
  ready: boolean,
  now = new Date(),
): KubeObject {
  const node = client.get(REF.nodes, undefined, name);
  const status = (node.status ?? {}) as { conditions?: Record<string, unknown>[] };
  const others = (status.conditions ?? []).filter((condition) => condition.type !== 'Ready');
  return client.update(
    REF.nodes,
    undefined,
    { ...node, status: { ...status, conditions: [...others, readyCondition(ready, now.toISOString())] } },
    { subresource: 'status' },
  );
}

export function isNodeReady(node: KubeObject): boolean {
  const conditions =
    ((node.status ?? {}) as { conditions?: { type?: string; status?: string }[] }).conditions ?? [];
  return conditions.some((condition) => condition.type === 'Ready' && condition.status === 'True');
}
