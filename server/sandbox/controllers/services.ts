// Endpoints and EndpointSlices from the pods a Service selects (ready → addresses, not ready → notReadyAddresses),
// the `kubernetes` Service of the default namespace, and address allocation for Services the registry left without.
import type { ClusterClient, KubeObject } from '../types.ts';
import type { Informer } from './runtime.ts';
import { REF, ReconcileQueue, keyOf } from './runtime.ts';
import { statusCode } from '../../errors.ts';
import { matchesLabelSelector, selectorFromMap } from '../query/label-selector.ts';
import { KUBERNETES_SERVICE_IP } from '../registry/service-ips.ts';
import { isPodReady, ownerReference, randomSuffix } from './workloads.ts';
import { canonicalJson } from './deployment-plan.ts';
import type { Clock } from '../../clock.ts';
import type { RandomSource } from '../../random.ts';

interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  targetPort?: number | string;
}
interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  selector?: Record<string, string>;
  ports?: ServicePort[];
  publishNotReadyAddresses?: boolean;
}
interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';

const serviceSpec = (s: KubeObject) => (s.spec ?? {}) as ServiceSpec;
const podIP = (p: KubeObject) => (p.status as { podIP?: string } | undefined)?.podIP;

function resolvePort(port: ServicePort, pod: KubeObject): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const containers = ((pod.spec ?? {}) as { containers?: { ports?: ContainerPort[] }[] }).containers ?? [];
  return containers.flatMap((c) => c.ports ?? []).find((p) => p.name === target)?.containerPort;
}

export interface ServiceEndpoints {
  subsets: Record<string, unknown>[];
  sliceEndpoints: Record<string, unknown>[];
  slicePorts: Record<string, unknown>[];
}

/** Pure: the endpoints of a Service with a selector, from the pods in its namespace. */
export function endpointsFor(service: KubeObject, pods: KubeObject[]): ServiceEndpoints {
  const spec = serviceSpec(service);
  const selector = selectorFromMap(spec.selector);
  const chosen = pods
    .filter((p) => podIP(p) && matchesLabelSelector(selector, p.metadata.labels))
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const ports = spec.ports ?? [];
  const resolved = chosen[0] ? ports.map((port) => resolvePort(port, chosen[0] as KubeObject) ?? 0) : [];
  const placement = (pod: KubeObject) => ({
    nodeName: (pod.spec as { nodeName?: string }).nodeName,
    targetRef: {
      kind: 'Pod',
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      uid: pod.metadata.uid,
    },
  });
  const address = (pod: KubeObject) => ({ ip: podIP(pod), ...placement(pod) });
  const serving = (pod: KubeObject) => isPodReady(pod) || spec.publishNotReadyAddresses === true;
  const live = chosen.filter((p) => !p.metadata.deletionTimestamp);
  const ready = live.filter(serving);
  const notReady = live.filter((p) => !serving(p));
  const endpointPorts = ports.map((port, index) => ({
    ...(port.name ? { name: port.name } : {}),
    port: resolved[index],
    protocol: port.protocol ?? 'TCP',
  }));
  const subsets = live.length
    ? [
        {
          ...(ready.length ? { addresses: ready.map(address) } : {}),
          ...(notReady.length ? { notReadyAddresses: notReady.map(address) } : {}),
          ports: endpointPorts,
        },
      ]
    : [];
  const sliceEndpoints = chosen.map((pod) => {
    const terminating = Boolean(pod.metadata.deletionTimestamp);
    return {
      addresses: [podIP(pod)],
      conditions: { ready: serving(pod) && !terminating, serving: serving(pod), terminating },
      ...placement(pod),
    };
  });
  const slicePorts = ports.map((port, index) => ({
    name: port.name ?? '',
    port: resolved[index],
    protocol: port.protocol ?? 'TCP',
  }));
  return { subsets, sliceEndpoints, slicePorts };
}

export class ServiceController {
  private readonly queue: ReconcileQueue;
  /** Slices created whose ADDED event has not arrived yet, by service key (so a second pass does not add another). */
  private readonly createdSlices = new Map<string, string>();

  constructor(
    private readonly client: ClusterClient,
    private readonly services: Informer,
    private readonly pods: Informer,
    private readonly slices: Informer,
    private readonly masterIP: string,
    clock: Clock,
    private readonly random: RandomSource,
  ) {
    this.queue = new ReconcileQueue(clock, 'endpoints', (key) => this.reconcile(key));
    services.onChange((type, service) => {
      if (type !== 'DELETED') this.queue.enqueue(keyOf(service));
    });
    pods.onChange((_type, pod, previous) => {
      for (const service of this.services.byIndex('namespace', pod.metadata.namespace ?? '')) {
        const selector = selectorFromMap(serviceSpec(service).selector);
        if (
          matchesLabelSelector(selector, pod.metadata.labels) ||
          (previous && matchesLabelSelector(selector, previous.metadata.labels))
        ) {
          this.queue.enqueue(keyOf(service));
        }
      }
    });
  }

  stop(): void {
    this.queue.stop();
  }

  /** The `kubernetes` Service in default, pointing at the control plane's apiserver. */
  ensureKubernetesService(): void {
    if (this.client.tryGet(REF.services, 'default', 'kubernetes')) return;
    try {
      this.client.create(REF.services, 'default', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
        spec: {
          type: 'ClusterIP',
          clusterIP: KUBERNETES_SERVICE_IP,
          clusterIPs: [KUBERNETES_SERVICE_IP],
          ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
          sessionAffinity: 'None',
        },
      });
    } catch (error) {
      if (statusCode(error) !== 409) throw error;
    }
  }

  private reconcile(key: string): void {
    const slash = key.indexOf('/');
    const service = this.services.get(key.slice(0, slash), key.slice(slash + 1));
    if (!service || service.metadata.deletionTimestamp) return;
    const spec = serviceSpec(service);
    let wanted: ServiceEndpoints;
    if (service.metadata.namespace === 'default' && service.metadata.name === 'kubernetes') {
      const ports = [{ name: 'https', port: 6443, protocol: 'TCP' }];
      wanted = {
        subsets: [{ addresses: [{ ip: this.masterIP }], ports }],
        sliceEndpoints: [
          { addresses: [this.masterIP], conditions: { ready: true, serving: true, terminating: false } },
        ],
        slicePorts: ports,
      };
    } else if (spec.selector && Object.keys(spec.selector).length) {
      wanted = endpointsFor(service, this.pods.byIndex('namespace', service.metadata.namespace ?? ''));
    } else {
      return; // Without a selector, Endpoints are the user's to write.
    }
    this.writeEndpoints(service, wanted);
    this.writeSlice(service, wanted);
  }

  private writeEndpoints(service: KubeObject, wanted: ServiceEndpoints): void {
    const namespace = service.metadata.namespace;
    const name = service.metadata.name ?? '';
    const current = this.client.tryGet(REF.endpoints, namespace, name);
    const labels = { ...(service.metadata.labels ?? {}) };
    if (!current) {
      this.client.create(REF.endpoints, namespace, {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name, labels },
        subsets: wanted.subsets,
      });
      return;
    }
    if (canonicalJson(current.subsets ?? []) === canonicalJson(wanted.subsets)) return;
    this.client.update(REF.endpoints, namespace, { ...current, subsets: wanted.subsets });
  }

  private writeSlice(service: KubeObject, wanted: ServiceEndpoints): void {
    const namespace = service.metadata.namespace ?? '';
    const name = service.metadata.name ?? '';
    const key = `${namespace}/${name}`;
    const created = this.createdSlices.get(key);
    const current =
      this.slices.byIndex('service', key)[0] ??
      (created ? this.client.tryGet(REF.endpointslices, namespace, created) : undefined);
    if (current) this.createdSlices.delete(key);
    const body = { addressType: 'IPv4', endpoints: wanted.sliceEndpoints, ports: wanted.slicePorts };
    if (!current) {
      const isApiserver = namespace === 'default' && name === 'kubernetes';
      const sliceName = isApiserver ? 'kubernetes' : `${name}-${randomSuffix(this.random)}`;
      this.createdSlices.set(key, sliceName);
      this.client.create(REF.endpointslices, namespace, {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name: sliceName,
          labels: {
            ...(service.metadata.labels ?? {}),
            [SERVICE_NAME_LABEL]: name,
            [MANAGED_BY]: isApiserver
              ? 'endpointslicemirroring-controller.k8s.io'
              : 'endpointslice-controller.k8s.io',
          },
          ...(isApiserver ? {} : { generateName: `${name}-`, ownerReferences: [ownerReference(service)] }),
        },
        ...body,
      });
      return;
    }
    if (
      canonicalJson({ e: current.endpoints ?? [], p: current.ports ?? [] }) ===
      canonicalJson({ e: body.endpoints, p: body.ports })
    )
      return;
    this.client.update(REF.endpointslices, namespace, { ...current, ...body });
  }
}

export const sliceService = (slice: KubeObject) => {
  const name = slice.metadata.labels?.[SERVICE_NAME_LABEL];
  return name ? [`${slice.metadata.namespace ?? ''}/${name}`] : [];
};
