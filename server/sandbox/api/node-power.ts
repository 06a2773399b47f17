// The Kube Wars side of the sandbox's server: stop and start a simulated node, as pulling a worker's plug would.
// It lives outside the Kubernetes paths (/kubewars/v1/…) and outside discovery, so no Kubernetes client sees it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isNodeReady, setNodeReady } from '../controllers/nodes.ts';
import { REF } from '../controllers/runtime.ts';
import type { ClusterClient } from '../types.ts';
import { errorStatus } from './errors.ts';
import { fail, notFoundPath } from './status.ts';

export const NODE_POWER_PREFIX = '/kubewars/';

/** Present on every answer of this API: tells the CLI it reached a Kube Wars sandbox, not some other server. */
export const NODE_POWER_HEADER = 'x-kubewars-api';
export const NODE_POWER_API_VERSION = 'kubewars/v1';

/** What POST /kubewars/v1/nodes/{name}/stop and /start answer. */
export interface NodePowerReply {
  name: string;
  ready: boolean;
  /** How long pods without a longer toleration stay on a stopped node before they are evicted. */
  evictionTimeoutSeconds: number;
}

export const nodePowerPath = (name: string, action: 'stop' | 'start') =>
  `/kubewars/v1/nodes/${encodeURIComponent(name)}/${action}`;

const ROUTE = /^\/kubewars\/v1\/nodes\/([^/]+)\/(stop|start)$/;

export interface NodePowerOptions {
  client: ClusterClient;
  evictionTimeoutSeconds: number;
  now: () => number;
  /** Throws the 403 when the caller may not write this node's status, which is what stopping it does. */
  authorize?: (name: string) => void;
}

function reply(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Content-Length': Buffer.byteLength(text),
    [NODE_POWER_HEADER]: NODE_POWER_API_VERSION,
  });
  res.end(text);
}

/** Stops or starts the node; a node already in the asked state is left as is, so its eviction clock keeps running. */
export function setNodePower(options: NodePowerOptions, name: string, ready: boolean): NodePowerReply {
  const node = options.client.tryGet(REF.nodes, undefined, name);
  if (!node) {
    const known = options.client
      .list(REF.nodes)
      .items.map((item) => item.metadata.name ?? '')
      .sort();
    return fail(404, 'NotFound', `node "${name}" not found: the sandbox's nodes are ${known.join(', ')}`, {
      name,
      kind: 'nodes',
    });
  }
  if (isNodeReady(node) !== ready) setNodeReady(options.client, name, ready, new Date(options.now()));
  return { name, ready, evictionTimeoutSeconds: options.evictionTimeoutSeconds };
}

/** Serves a request under NODE_POWER_PREFIX (the caller has authenticated it). */
export function serveNodePower(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  options: NodePowerOptions,
): void {
  try {
    const match = pathname.match(ROUTE);
    if (!match) return notFoundPath();
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      fail(
        405,
        'MethodNotAllowed',
        `${req.method} is not allowed here: POST ${pathname} ${match[2]}s the node`,
      );
    }
    // Node names are DNS names, never percent-encoded: anything else is simply a node that does not exist.
    options.authorize?.(match[1] as string);
    reply(res, 200, setNodePower(options, match[1] as string, match[2] === 'start'));
  } catch (error) {
    const status = errorStatus(error);
    reply(res, status.code, status);
  }
}
