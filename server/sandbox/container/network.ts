// The pod network as seen from inside a container: cluster DNS (Services, headless Services' pods, StatefulSet
// pod names, the search path of /etc/resolv.conf) and where a TCP connection to an address and port ends up:
// a Service's ClusterIP goes to one of its ready endpoints (kube-proxy's choice), a pod IP to the pod itself.
import type { ClusterClient, KubeObject } from '../types.ts';
import { REF } from '../controllers/runtime.ts';
import type { RandomSource } from '../../random.ts';

export const CLUSTER_DOMAIN = 'cluster.local';
const DEFAULT_DNS_IP = '10.96.0.10';

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
}
interface ServiceSpec {
  clusterIP?: string;
  type?: string;
  externalName?: string;
  ports?: ServicePort[];
}
interface EndpointAddress {
  ip: string;
  targetRef?: { name?: string; namespace?: string };
}
interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: { name?: string; port: number }[];
}

const specOf = (service: KubeObject) => (service.spec ?? {}) as ServiceSpec;
const podIPOf = (pod: KubeObject) => (pod.status as { podIP?: string } | undefined)?.podIP;
const isIPv4 = (text: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(text);

/** Where a connection lands: a container of a pod listening (or not) on a port. */
export interface Destination {
  pod: KubeObject;
  port: number;
}

export type Connection =
  { kind: 'connected'; destination: Destination } | { kind: 'refused' } | { kind: 'unreachable' };

export class ClusterNetwork {
  constructor(
    private readonly client: ClusterClient,
    private readonly random: RandomSource,
  ) {}

  dnsServerIP(): string {
    const spec = this.client.tryGet(REF.services, 'kube-system', 'kube-dns')?.spec as ServiceSpec | undefined;
    return spec?.clusterIP ?? DEFAULT_DNS_IP;
  }

  searchDomains(namespace: string): string[] {
    return [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN];
  }

  /** The fully qualified name and addresses `name` resolves to from a pod in `namespace`, or undefined (NXDOMAIN). */
  resolve(name: string, namespace: string): { fqdn: string; addresses: string[] } | undefined {
    const bare = name.replace(/\.$/, '').toLowerCase();
    if (isIPv4(bare)) return { fqdn: bare, addresses: [bare] };
    if (bare === 'localhost') return { fqdn: 'localhost', addresses: ['127.0.0.1'] };
    // ndots:5 — a name with fewer dots is tried with each search domain first.
    const candidates = name.endsWith('.')
      ? [bare]
      : [
          ...(bare.split('.').length - 1 < 5 ? this.searchDomains(namespace).map((d) => `${bare}.${d}`) : []),
          bare,
        ];
    for (const fqdn of candidates) {
      const addresses = this.lookupFqdn(fqdn);
      if (addresses?.length) return { fqdn, addresses };
    }
    return undefined;
  }

  private lookupFqdn(fqdn: string): string[] | undefined {
    const suffix = `.${CLUSTER_DOMAIN}`;
    if (!fqdn.endsWith(suffix)) return undefined;
    const labels = fqdn.slice(0, -suffix.length).split('.');
    // a-b-c-d.namespace.pod.cluster.local
    if (labels.length === 3 && labels[2] === 'pod') {
      const ip = (labels[0] ?? '').replace(/-/g, '.');
      return isIPv4(ip) ? [ip] : undefined;
    }
    if (labels[labels.length - 1] !== 'svc') return undefined;
    if (labels.length === 3) {
      const [service, namespace] = labels as [string, string];
      return this.serviceAddresses(namespace, service);
    }
    if (labels.length === 4) {
      // hostname.subdomain.namespace.svc: a StatefulSet's pod behind its headless Service.
      const [hostname, subdomain, namespace] = labels as [string, string, string];
      const pod = this.client.list(REF.pods, { namespace }).items.find((p) => {
        const spec = p.spec as { hostname?: string; subdomain?: string };
        return (spec.hostname ?? p.metadata.name) === hostname && spec.subdomain === subdomain;
      });
      const ip = pod && podIPOf(pod);
      return ip ? [ip] : undefined;
    }
    return undefined;
  }

  private serviceAddresses(namespace: string, name: string): string[] | undefined {
    const service = this.client.tryGet(REF.services, namespace, name);
    if (!service) return undefined;
    const spec = specOf(service);
    if (spec.type === 'ExternalName') return undefined;
    if (spec.clusterIP && spec.clusterIP !== 'None') return [spec.clusterIP];
    return this.readyEndpoints(service).map((address) => address.ip);
  }

  private readyEndpoints(service: KubeObject): EndpointAddress[] {
    const endpoints = this.client.tryGet(
      REF.endpoints,
      service.metadata.namespace,
      service.metadata.name ?? '',
    );
    const subsets = (endpoints?.subsets ?? []) as EndpointSubset[];
    return subsets.flatMap((s) => s.addresses ?? []);
  }

  /** Reverse lookup for nslookup's answer lines: the Service or pod name of an address. */
  nameOf(ip: string): string | undefined {
    const service = this.client.list(REF.services).items.find((s) => specOf(s).clusterIP === ip);
    if (service) return `${service.metadata.name}.${service.metadata.namespace}.svc.${CLUSTER_DOMAIN}`;
    const pod = this.podAt(ip);
    if (pod) return `${ip.replace(/\./g, '-')}.${pod.metadata.namespace}.pod.${CLUSTER_DOMAIN}`;
    return undefined;
  }

  private podAt(ip: string): KubeObject | undefined {
    return this.client
      .list(REF.pods)
      .items.find((p) => podIPOf(p) === ip && !(p.spec as { hostNetwork?: boolean }).hostNetwork);
  }

  /**
   * Where connections to ip:port may land: a ClusterIP's ready endpoints (empty when it has none or no such port),
   * a pod IP's pod; undefined when the address is neither.
   */
  backends(ip: string, port: number): Destination[] | undefined {
    const service = this.client.list(REF.services).items.find((s) => specOf(s).clusterIP === ip);
    if (service) {
      const servicePort = specOf(service).ports?.find((p) => p.port === port);
      if (!servicePort) return [];
      const endpoints = this.client.tryGet(
        REF.endpoints,
        service.metadata.namespace,
        service.metadata.name ?? '',
      );
      const subsets = (endpoints?.subsets ?? []) as EndpointSubset[];
      return subsets.flatMap((subset) => {
        const target = subset.ports?.find((p) => p.name === servicePort.name) ?? subset.ports?.[0];
        return (subset.addresses ?? []).flatMap((address) => {
          const pod = this.podAt(address.ip);
          return pod ? [{ pod, port: target?.port ?? port }] : [];
        });
      });
    }
    const pod = this.podAt(ip);
    return pod ? [{ pod, port }] : undefined;
  }

  /** A TCP connection to ip:port, through kube-proxy when ip is a ClusterIP. */
  connect(ip: string, port: number): Connection {
    const choices = this.backends(ip, port);
    if (!choices) return ip.startsWith('127.') ? { kind: 'refused' } : { kind: 'unreachable' };
    // No ready endpoint: kube-proxy rejects the connection (REJECT rule), so the client sees a refusal.
    const choice = choices[Math.floor(this.random() * choices.length)];
    return choice ? { kind: 'connected', destination: choice } : { kind: 'refused' };
  }

  /** Pods answer ping; ClusterIPs are virtual (kube-proxy rules) and do not. */
  answersPing(ip: string): boolean {
    return ip.startsWith('127.') || Boolean(this.podAt(ip)) || this.isNodeIP(ip);
  }

  private isNodeIP(ip: string): boolean {
    return this.client
      .list(REF.nodes)
      .items.some((n) =>
        ((n.status as { addresses?: { address: string }[] } | undefined)?.addresses ?? []).some(
          (a) => a.address === ip,
        ),
      );
  }
}
