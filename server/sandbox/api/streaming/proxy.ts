// pods/proxy and services/proxy: the apiserver forwards an HTTP request to a pod's port, or through a Service to
// one of its ready endpoints, and passes the simulated app's answer back (kubectl proxy, `get --raw …/proxy/`).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpGet } from '../../container/apps.ts';
import type { ContainerInsides } from '../../container/inside.ts';
import { REF } from '../../controllers/runtime.ts';
import type { ClusterClient, KubeObject } from '../../types.ts';
import type { ResourceAttributes } from '../auth.ts';
import { fail } from '../status.ts';

const PROXY_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/(pods|services)\/([^/]+)\/proxy(\/.*)?$/;

export interface ProxyTarget {
  namespace: string;
  resource: 'pods' | 'services';
  /** The object's name, without the scheme and port the path may add (`https:web:8443`). */
  name: string;
  port?: string;
  path: string;
}

/** The proxy request a path addresses, or undefined for any other path. */
export function proxyTarget(pathname: string, search: string): ProxyTarget | undefined {
  const match = PROXY_PATH.exec(pathname);
  if (!match) return undefined;
  const [, namespace = '', resource, reference = '', rest] = match;
  const parts = decodeURIComponent(reference).split(':');
  const [name = '', port] = parts.length === 3 ? parts.slice(1) : parts;
  return {
    namespace: decodeURIComponent(namespace),
    resource: resource as 'pods' | 'services',
    name,
    ...(port ? { port } : {}),
    path: `${rest ?? '/'}${search}`,
  };
}

export function proxyAttributes(target: ProxyTarget, method: string): ResourceAttributes {
  const verbs: Record<string, string> = {
    GET: 'get',
    HEAD: 'get',
    POST: 'create',
    PUT: 'update',
    PATCH: 'patch',
    DELETE: 'delete',
  };
  return {
    verb: verbs[method] ?? method.toLowerCase(),
    group: '',
    resource: target.resource,
    subresource: 'proxy',
    namespace: target.namespace,
    name: target.name,
  };
}

const unreachable = (message: string): never => fail(503, 'ServiceUnavailable', message);

interface ContainerPort {
  name?: string;
  containerPort: number;
}
const containerPorts = (pod: KubeObject) =>
  ((pod.spec as { containers?: { ports?: ContainerPort[] }[] }).containers ?? []).flatMap(
    (c) => c.ports ?? [],
  );

/** The pod and port a proxy request lands on. */
function destination(
  client: ClusterClient,
  insides: ContainerInsides,
  target: ProxyTarget,
): { pod: KubeObject; port: number } {
  if (target.resource === 'pods') {
    const pod = client.get(REF.pods, target.namespace, target.name);
    const named = containerPorts(pod).find((p) => p.name === target.port)?.containerPort;
    const port = named ?? Number(target.port ?? containerPorts(pod)[0]?.containerPort ?? 80);
    return { pod, port };
  }
  const service = client.get(REF.services, target.namespace, target.name);
  const spec = (service.spec ?? {}) as { clusterIP?: string; ports?: { name?: string; port: number }[] };
  const servicePort =
    spec.ports?.find((p) => p.name === target.port || String(p.port) === target.port) ??
    (target.port ? undefined : spec.ports?.[0]);
  if (!servicePort)
    return fail(503, 'ServiceUnavailable', `no endpoints available for service "${target.name}"`);
  const connection = insides.network.connect(spec.clusterIP ?? '', servicePort.port);
  if (connection.kind !== 'connected')
    return unreachable(`no endpoints available for service "${target.name}"`);
  return connection.destination;
}

export function serveProxy(
  req: IncomingMessage,
  res: ServerResponse,
  client: ClusterClient,
  insides: ContainerInsides,
  target: ProxyTarget,
): void {
  const { pod, port } = destination(client, insides, target);
  const reply = httpGet(pod, port, target.path, insides);
  const ip = (pod.status as { podIP?: string } | undefined)?.podIP ?? '';
  const answer =
    reply ??
    unreachable(`error trying to reach service: dial tcp ${ip}:${port}: connect: connection refused`);
  res.writeHead(answer.status, {
    'Content-Type': answer.contentType,
    'Content-Length': Buffer.byteLength(answer.body),
  });
  res.end(req.method === 'HEAD' ? undefined : answer.body);
}
