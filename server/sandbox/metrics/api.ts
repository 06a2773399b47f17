// metrics.k8s.io/v1beta1 as metrics-server serves it behind the aggregator: NodeMetrics and PodMetrics, read-only,
// made from the cluster's simulated usage at the moment of the request. `kubectl top` reads these.
import type { ClusterClient, KubeObject } from '../types.ts';
import { REF } from '../controllers/runtime.ts';
import { notFound } from '../errors.ts';
import { kubeTime } from '../time.ts';
import { ClusterUsage, type ContainerUsage, type PodUsage } from './usage.ts';

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';
const GROUP_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;
/** How often metrics-server scrapes the kubelets; each sample covers that window. */
const WINDOW = '15s';

/** The group as /apis lists it. */
export const metricsApiGroup = {
  name: METRICS_GROUP,
  versions: [{ groupVersion: GROUP_VERSION, version: METRICS_VERSION }],
  preferredVersion: { groupVersion: GROUP_VERSION, version: METRICS_VERSION },
};

export const metricsResourceList = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: GROUP_VERSION,
  resources: [
    { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
    { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
  ],
};

/** Cores as nanocores and bytes as Ki, the units metrics-server writes. */
const usageOf = (cpu: number, memory: number) => ({
  cpu: `${Math.round(cpu * 1e9)}n`,
  memory: `${Math.round(memory / 1024)}Ki`,
});

const metadataOf = (object: KubeObject, now: number) => ({
  name: object.metadata.name,
  ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
  creationTimestamp: kubeTime(now),
  ...(object.metadata.labels ? { labels: object.metadata.labels } : {}),
});

const podMetrics = ({ pod, containers }: PodUsage, now: number) => ({
  kind: 'PodMetrics',
  apiVersion: GROUP_VERSION,
  metadata: metadataOf(pod, now),
  timestamp: kubeTime(now),
  window: WINDOW,
  containers: containers.map((c: ContainerUsage) => ({ name: c.name, usage: usageOf(c.cpu, c.memory) })),
});

export interface MetricsRequest {
  resource: string;
  namespace?: string;
  name?: string;
  labelSelector?: string;
}

/** The body for a GET on the group's resources; throws the apiserver's NotFound for an unknown name. */
export function metricsReply(client: ClusterClient, request: MetricsRequest, now: number): unknown {
  const usage = new ClusterUsage(client);
  if (request.resource === 'nodes') {
    const selected = new Set(
      client
        .list(REF.nodes, { labelSelector: request.labelSelector ?? '' })
        .items.map((n) => n.metadata.name),
    );
    const nodes = usage
      .nodes()
      .filter(
        ({ node }) =>
          selected.has(node.metadata.name) && (!request.name || node.metadata.name === request.name),
      )
      .map(({ node, cpu, memory }) => ({
        kind: 'NodeMetrics',
        apiVersion: GROUP_VERSION,
        metadata: metadataOf(node, now),
        timestamp: kubeTime(now),
        window: WINDOW,
        usage: usageOf(cpu, memory),
      }));
    if (request.name) return nodes[0] ?? notFoundError('nodemetrics', request.name);
    return { kind: 'NodeMetricsList', apiVersion: GROUP_VERSION, metadata: {}, items: nodes };
  }
  const selected = new Set(
    client
      .list(REF.pods, {
        ...(request.namespace ? { namespace: request.namespace } : {}),
        labelSelector: request.labelSelector ?? '',
      })
      .items.map((p) => p.metadata.uid),
  );
  const pods = usage
    .pods()
    .filter(
      ({ pod }) => selected.has(pod.metadata.uid) && (!request.name || pod.metadata.name === request.name),
    )
    .map((each) => podMetrics(each, now));
  if (request.name) return pods[0] ?? notFoundError('podmetrics', request.name);
  return { kind: 'PodMetricsList', apiVersion: GROUP_VERSION, metadata: {}, items: pods };
}

/** metrics-server names its kinds in NotFound: podmetrics.metrics.k8s.io "x" not found. */
function notFoundError(resource: string, name: string): never {
  throw notFound(resource, name, METRICS_GROUP);
}
