// ClusterIP (10.96.0.0/12) and NodePort (30000–32767) allocation, as a real apiserver does synchronously on create
// and update. Pure: the registry calls it with the new Service (and on update the stored one) and the existing
// ones, and either stores the result or answers 422 with the causes (the real messages).
import type { KubeObject } from '../types.ts';
import type { Cause } from '../validation/causes.ts';
import type { RandomSource } from '../../random.ts';

export const SERVICE_CIDR = '10.96.0.0/12';
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
export const DNS_SERVICE_IP = '10.96.0.10';
const BASE = ipToNumber('10.96.0.0');
const SIZE = 2 ** 20;
export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;

interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  nodePort?: number;
  targetPort?: number | string;
}

interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: ServicePort[];
  allocateLoadBalancerNodePorts?: boolean;
}

export type Allocation = { ok: true; spec: ServiceSpec } | { ok: false; causes: Cause[] };

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

function inRange(ip: string): boolean {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return false;
  const n = ipToNumber(ip);
  return n > BASE && n < BASE + SIZE - 1;
}

const specOf = (service: KubeObject) => (service.spec ?? {}) as ServiceSpec;

function wantsNodePorts(spec: ServiceSpec): boolean {
  return (
    spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false)
  );
}

const protocolOf = (port: ServicePort) => port.protocol ?? 'TCP';

/**
 * What an update keeps of the stored Service's allocations (the apiserver's patchAllocatedValues and
 * dropTypeDependentFields): its clusterIP when the new spec leaves it out, each port's nodePort while the type
 * still wants node ports, and no node ports once the type stops wanting them.
 */
function keepAllocated(spec: ServiceSpec, stored: ServiceSpec): void {
  if (spec.type !== 'ExternalName' && !spec.clusterIP && !spec.clusterIPs?.length && stored.clusterIP) {
    spec.clusterIP = stored.clusterIP;
    spec.clusterIPs = stored.clusterIPs ?? [stored.clusterIP];
  }
  const storedPorts = stored.ports ?? [];
  for (const port of spec.ports ?? []) {
    if (!wantsNodePorts(spec)) delete port.nodePort;
    else if (!port.nodePort && wantsNodePorts(stored)) {
      const same = storedPorts.find((p) => p.port === port.port && protocolOf(p) === protocolOf(port));
      if (same?.nodePort) port.nodePort = same.nodePort;
    }
  }
}

/**
 * Fill spec.clusterIP/clusterIPs and each port's nodePort for a Service being created, or updated from `stored`. Explicit values are
 * honoured when free and in range; `None` makes a headless service; ExternalName services get no address.
 */
export function allocateServiceAddresses(
  service: KubeObject,
  existing: KubeObject[],
  random: RandomSource = Math.random,
  stored?: KubeObject,
): Allocation {
  const spec = structuredClone(specOf(service));
  if (stored) keepAllocated(spec, specOf(stored));
  const others = existing.filter((s) => s.metadata.uid !== service.metadata.uid);
  const usedIps = new Set(others.map((s) => specOf(s).clusterIP).filter((ip): ip is string => Boolean(ip)));
  const usedPorts = new Set(
    others.flatMap((s) => (specOf(s).ports ?? []).map((p) => p.nodePort).filter(Boolean)),
  );
  const causes: Cause[] = [];

  if (spec.type !== 'ExternalName') {
    const requested = spec.clusterIP ?? spec.clusterIPs?.[0];
    if (requested === 'None') {
      spec.clusterIP = 'None';
      spec.clusterIPs = ['None'];
    } else if (requested) {
      if (!inRange(requested)) {
        causes.push({
          reason: 'FieldValueInvalid',
          field: 'spec.clusterIPs',
          message: `Invalid value: []string{"${requested}"}: failed to allocate IP ${requested}: the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR}`,
        });
      } else if (usedIps.has(requested)) {
        causes.push({
          reason: 'FieldValueInvalid',
          field: 'spec.clusterIPs',
          message: `Invalid value: []string{"${requested}"}: failed to allocate IP ${requested}: provided IP is already allocated`,
        });
      } else {
        spec.clusterIP = requested;
        spec.clusterIPs = [requested];
      }
    } else {
      let ip = '';
      for (let tries = 0; tries < SIZE && !ip; tries++) {
        // Dynamic addresses avoid the low band a real allocator keeps for static ones (e.g. 10.96.0.10).
        const candidate = numberToIp(BASE + 256 + Math.floor(random() * (SIZE - 512)));
        if (!usedIps.has(candidate)) ip = candidate;
      }
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
    }
  }

  if (wantsNodePorts(spec)) {
    const span = NODE_PORT_MAX - NODE_PORT_MIN + 1;
    (spec.ports ?? []).forEach((port, index) => {
      if (port.nodePort) {
        const field = `spec.ports[${index}].nodePort`;
        if (port.nodePort < NODE_PORT_MIN || port.nodePort > NODE_PORT_MAX) {
          causes.push({
            reason: 'FieldValueInvalid',
            field,
            message: `Invalid value: ${port.nodePort}: provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`,
          });
        } else if (usedPorts.has(port.nodePort)) {
          causes.push({
            reason: 'FieldValueInvalid',
            field,
            message: `Invalid value: ${port.nodePort}: provided port is already allocated`,
          });
        }
        usedPorts.add(port.nodePort);
        return;
      }
      for (let tries = 0; tries < span; tries++) {
        const candidate = NODE_PORT_MIN + Math.floor(random() * span);
        if (!usedPorts.has(candidate)) {
          port.nodePort = candidate;
          usedPorts.add(candidate);
          return;
        }
      }
    });
  }
  return causes.length ? { ok: false, causes } : { ok: true, spec };
}
