// A container's environment as the kubelet builds it: PATH and HOSTNAME, the Service variables of the Services
// that existed when the pod started (docker-links style), envFrom, then env (with $(VAR) references), HOME.
import type { ClusterClient, KubeObject } from '../types.ts';
import { REF } from '../controllers/runtime.ts';
import { fieldValue } from './downward.ts';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: { name: string; key: string };
    secretKeyRef?: { name: string; key: string };
    fieldRef?: { fieldPath: string };
    resourceFieldRef?: { resource: string; containerName?: string };
  };
}
interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string };
  secretRef?: { name: string };
}
export interface EnvContainer {
  name: string;
  image?: string;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
}

interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
}

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const envName = (name: string) => name.toUpperCase().replace(/-/g, '_');

/** The variables of one Service, as the kubelet writes them (HELLO_SERVICE_SERVICE_HOST, HELLO_SERVICE_PORT, …). */
export function serviceVariables(service: KubeObject): [string, string][] {
  const spec = (service.spec ?? {}) as { clusterIP?: string; ports?: ServicePort[] };
  const ip = spec.clusterIP;
  if (!ip || ip === 'None') return [];
  const prefix = envName(service.metadata.name ?? '');
  const ports = spec.ports ?? [];
  const first = ports[0];
  if (!first) return [];
  const vars: [string, string][] = [
    [`${prefix}_SERVICE_HOST`, ip],
    [`${prefix}_SERVICE_PORT`, String(first.port)],
  ];
  for (const port of ports)
    if (port.name) vars.push([`${prefix}_SERVICE_PORT_${envName(port.name)}`, String(port.port)]);
  const protocolOf = (port: ServicePort) => (port.protocol ?? 'TCP').toLowerCase();
  vars.push([`${prefix}_PORT`, `${protocolOf(first)}://${ip}:${first.port}`]);
  for (const port of ports) {
    const base = `${prefix}_PORT_${port.port}_${protocolOf(port).toUpperCase()}`;
    vars.push(
      [base, `${protocolOf(port)}://${ip}:${port.port}`],
      [`${base}_PROTO`, protocolOf(port)],
      [`${base}_PORT`, String(port.port)],
      [`${base}_ADDR`, ip],
    );
  }
  return vars;
}

/** `$(NAME)` replaced by an earlier variable's value; `$$(NAME)` stays literal, as the kubelet expands. */
const expandReferences = (value: string, env: Map<string, string>) =>
  value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string | undefined) =>
    name === undefined ? '$' : (env.get(name) ?? whole),
  );

function objectData(client: ClusterClient, kind: 'configmaps' | 'secrets', namespace: string, name: string) {
  const object = client.tryGet({ group: '', resource: kind }, namespace, name);
  const data = (object?.data ?? {}) as Record<string, string>;
  if (kind === 'configmaps') return data;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
}

/** The services a pod sees in its environment: those in its namespace created before it started, and kubernetes. */
function visibleServices(client: ClusterClient, pod: KubeObject): KubeObject[] {
  const started = Date.parse((pod.status as { startTime?: string } | undefined)?.startTime ?? '') || Infinity;
  const namespace = pod.metadata.namespace ?? 'default';
  const existed = (service: KubeObject) => Date.parse(service.metadata.creationTimestamp ?? '') <= started;
  const links = (pod.spec as { enableServiceLinks?: boolean }).enableServiceLinks !== false;
  const own = links
    ? client
        .list(REF.services, { namespace })
        .items.filter((s) => existed(s) && s.metadata.name !== 'kubernetes')
    : [];
  const kubernetes = client.tryGet(REF.services, 'default', 'kubernetes');
  return [...(kubernetes ? [kubernetes] : []), ...own];
}

/** The container's environment, in the order `env` prints it. */
export function containerEnvironment(
  client: ClusterClient,
  pod: KubeObject,
  container: EnvContainer,
  imageEnv: [string, string][],
): Map<string, string> {
  const namespace = pod.metadata.namespace ?? 'default';
  const hostname = (pod.spec as { hostname?: string }).hostname ?? pod.metadata.name ?? '';
  const env = new Map<string, string>([
    ['PATH', PATH],
    ['HOSTNAME', hostname],
  ]);
  for (const service of visibleServices(client, pod))
    for (const [k, v] of serviceVariables(service)) env.set(k, v);
  for (const [k, v] of imageEnv) env.set(k, v);
  for (const source of container.envFrom ?? []) {
    const data = source.configMapRef
      ? objectData(client, 'configmaps', namespace, source.configMapRef.name)
      : source.secretRef
        ? objectData(client, 'secrets', namespace, source.secretRef.name)
        : {};
    for (const [k, v] of Object.entries(data)) env.set(`${source.prefix ?? ''}${k}`, v);
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    let value = variable.value !== undefined ? expandReferences(variable.value, env) : '';
    if (from?.configMapKeyRef)
      value =
        objectData(client, 'configmaps', namespace, from.configMapKeyRef.name)[from.configMapKeyRef.key] ??
        '';
    else if (from?.secretKeyRef)
      value = objectData(client, 'secrets', namespace, from.secretKeyRef.name)[from.secretKeyRef.key] ?? '';
    else if (from?.fieldRef) value = fieldValue(pod, from.fieldRef.fieldPath);
    else if (from?.resourceFieldRef)
      value = resourceValue(pod, container.name, from.resourceFieldRef.resource);
    env.set(variable.name, value);
  }
  env.set('HOME', env.get('HOME') ?? '/root');
  return env;
}

/** limits.cpu in whole cores (rounded up) and limits.memory in bytes, as the kubelet reports them; the node's size when unset. */
function resourceValue(pod: KubeObject, containerName: string, resource: string): string {
  const container = (
    (
      pod.spec as {
        containers?: {
          name: string;
          resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
        }[];
      }
    ).containers ?? []
  ).find((c) => c.name === containerName);
  const [section, kind] = resource.split('.') as ['limits' | 'requests', string];
  const quantity = container?.resources?.[section]?.[kind];
  if (kind === 'cpu') {
    if (!quantity) return '2';
    const cores = quantity.endsWith('m') ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
    return String(Math.max(1, Math.ceil(cores)));
  }
  if (!quantity) return String(4 * 1024 ** 3);
  const units: Record<string, number> = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, K: 1e3, M: 1e6, G: 1e9 };
  const match = /^(\d+(?:\.\d+)?)([KMG]i?)?$/.exec(quantity);
  return match ? String(Number(match[1]) * (units[match[2] ?? ''] ?? 1)) : quantity;
}
