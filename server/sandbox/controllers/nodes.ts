// Node registration (what each kubelet does when it joins) and the Kube Wars-side switch that stops a node.
import type { ClusterClient, KubeObject } from '../types.ts';
import type { EventRecorder, EventSource } from './events.ts';
import { nodeObject, readyCondition, type NodeSpec } from './topology.ts';
import { REF } from './runtime.ts';
import { statusCode } from '../../errors.ts';

/** Create the nodes that do not exist yet (a restored sandbox keeps its own); returns those created. */
export function registerNodes(
  client: ClusterClient,
  nodes: NodeSpec[],
  kubeletVersion: string,
  now: Date,
): KubeObject[] {
  const created: KubeObject[] = [];
  for (const spec of nodes) {
    if (client.tryGet(REF.nodes, undefined, spec.name)) continue;
    try {
      const node = client.create(REF.nodes, undefined, nodeObject(spec, kubeletVersion, now.toISOString()));
      created.push(node);
      createLease(client, node, now);
    } catch (error) {
      if (statusCode(error) !== 409) throw error;
    }
  }
  return created;
}

/**
 * The node's heartbeat Lease in kube-node-lease, as `kubectl describe node` shows it. A real kubelet renews it
 * every 10 s; the sandbox writes it once, since nothing reads its renewals and an idle sandbox must stay idle.
 */
function createLease(client: ClusterClient, node: KubeObject, now: Date): void {
  const name = node.metadata.name ?? '';
  const time = now.toISOString().replace('Z', '000Z');
  try {
    client.create(REF.leases, 'kube-node-lease', {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid ?? '' }],
      },
      spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: time },
    });
  } catch (error) {
    // 404: leases not served (or no kube-node-lease namespace); 409: a restored sandbox has it already.
    const code = statusCode(error);
    if (code !== 404 && code !== 409) throw error;
  }
}

/** What `kubectl describe node` lists after a kubelet joins: its start-up, then the controller's registration. */
export function recordNodeJoined(recorder: EventRecorder, node: KubeObject): void {
  const name = node.metadata.name ?? '';
  const kubelet = { component: 'kubelet', host: name };
  const events: [EventSource, string, string][] = [
    [kubelet, 'Starting', 'Starting kubelet.'],
    [kubelet, 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods'],
    [kubelet, 'NodeHasSufficientMemory', `Node ${name} status is now: NodeHasSufficientMemory`],
    [kubelet, 'NodeHasNoDiskPressure', `Node ${name} status is now: NodeHasNoDiskPressure`],
    [kubelet, 'NodeHasSufficientPID', `Node ${name} status is now: NodeHasSufficientPID`],
    [kubelet, 'NodeReady', `Node ${name} status is now: NodeReady`],
    [
      { component: 'node-controller' },
      'RegisteredNode',
      `Node ${name} event: Registered Node ${name} in Controller`,
    ],
    [{ component: 'kube-proxy', host: name }, 'Starting', ''],
  ];
  // Kubelets and kube-proxy refer to their node with its name as uid (controllers use the real uid): kubectl
  // describe node looks events up both ways, kubectl 1.20 only by name.
  const byName = { ...node, metadata: { ...node.metadata, uid: name } };
  for (const [source, reason, message] of events)
    recorder.record(source.component === 'node-controller' ? node : byName, source, {
      type: 'Normal',
      reason,
      message,
    });
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
