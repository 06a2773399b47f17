// The sandbox's HTTP entry point: authentication, non-resource endpoints, discovery, then resource verbs.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceInfo, SandboxRegistry } from '../types.ts';
import type { Authenticator, Authorizer, Identity, ResourceAttributes } from './auth.ts';
import { forbiddenMessage, isPublicPath, mastersOnly } from './auth.ts';
import { apiGroupDocument, apiGroupList, apiResourceList, apiVersions } from './discovery.ts';
import { errorStatus } from './errors.ts';
import { OPENAPI_V2_PROTOBUF, openApiDocuments } from './openapi/index.ts';
import { serveLogs } from './logs.ts';
import {
  METRICS_GROUP,
  metricsApiGroup,
  metricsReply,
  metricsResourceList,
  METRICS_VERSION,
} from '../metrics/api.ts';
import type { PrintedOutput } from '../kubelet/logs.ts';
import { NODE_POWER_PREFIX, serveNodePower } from './node-power.ts';
import { parseApiPath, type ApiPath } from './paths.ts';
import type { Reply, ResourceRequest } from './resources.ts';
import {
  EncodedJson,
  createResource,
  deleteResource,
  getResource,
  listResource,
  patchResource,
  updateResource,
} from './resources.ts';
import { fail, notFoundPath, statusBody } from './status.ts';
import type { WatchTracker } from './watch.ts';
import { serveWatch } from './watch.ts';
import { createStreaming } from './streaming/index.ts';
import { proxyAttributes, proxyTarget } from './streaming/proxy.ts';
import { queryFlag } from './query-flags.ts';
import { warningHeader } from '../validation-fields/request.ts';
import type { Clock } from '../../clock.ts';
import { impersonatedIdentity } from '../auth/impersonation.ts';
import { isReview, serveReview, type ReviewContext } from '../auth/reviews.ts';
import type { ServiceAccountTokens } from '../auth/service-account-tokens.ts';
import { serveTokenRequest } from '../auth/token-request.ts';

export interface ApiServerOptions {
  registry: SandboxRegistry;
  resources: ResourceInfo[];
  authenticator: Authenticator;
  /** Who may do what once authenticated (default: system:masters may do anything, as on a real cluster). */
  authorizer?: Authorizer;
  clock: Clock;
  /** Kubernetes version reported by /version, e.g. v1.35.0. */
  version: string;
  serverAddress: () => string;
  tracker: WatchTracker;
  /** Seconds a stopped node's pods stay before eviction, as the Kube Wars node API reports it. */
  nodeEvictionTimeoutSeconds: number;
  /** Issues ServiceAccount tokens (TokenRequest); without it the token subresource is not served. */
  serviceAccountTokens?: ServiceAccountTokens;
  /** Answers the access and identity reviews (`kubectl auth can-i`, `auth whoami`); without it they are 404. */
  reviews?: ReviewContext;
  /** The registry as one requester writes through it, with their admission checks (RBAC's escalation check). */
  admission?: (identity: Identity, registry: SandboxRegistry) => SandboxRegistry;
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  // Encoded once: measuring a string's UTF-8 length and then writing it would encode it twice.
  const body =
    reply.body instanceof EncodedJson ? reply.body : new EncodedJson(Buffer.from(JSON.stringify(reply.body)));
  res.writeHead(reply.code, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Content-Length': body.length,
    ...(reply.warnings?.length ? { Warning: reply.warnings.map(warningHeader) } : {}),
  });
  // Written corked: the parts leave in one writev.
  res.cork();
  for (const part of body.parts) res.write(part);
  res.uncork();
  res.end();
}

function versionInfo(version: string) {
  const [major, minor] = version.replace(/^v/, '').split('.');
  return {
    major,
    minor,
    gitVersion: version,
    gitCommit: 'kubewars-sandbox',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.25.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

const methodNotAllowed = () =>
  fail(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');

/** The API verb of a request on a resource itself (not a subresource), as discovery lists verbs. */
function verbOf(method: string, named: boolean, query: URLSearchParams): string {
  switch (method) {
    case 'GET':
      if (named) return 'get';
      return queryFlag(query, 'watch') ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

/** Throws the apiserver's 403 when the authorizer refuses a request on a path that is no resource. */
function authorizePath(options: ApiServerOptions, identity: Identity, verb: string, path: string): void {
  if (options.authorizer?.allowsPath?.(identity, { verb, path }) ?? true) return;
  fail(403, 'Forbidden', `forbidden: User "${identity.user}" cannot ${verb} path "${path}"`);
}

/** Throws the apiserver's 403 when the authorizer refuses the request. */
function authorize(options: ApiServerOptions, identity: Identity, attributes: ResourceAttributes): void {
  if ((options.authorizer ?? mastersOnly).allows(identity, attributes)) return;
  fail(403, 'Forbidden', forbiddenMessage(identity, attributes), {
    ...(attributes.name ? { name: attributes.name } : {}),
    kind: attributes.resource,
  });
}

async function serveResource(
  request: ResourceRequest,
  res: ServerResponse,
  options: ApiServerOptions,
  identity: Identity,
  printed: PrintedOutput,
): Promise<void> {
  const { info, path, req, query } = request;
  const method = req.method ?? 'GET';
  const sub = path.subresource;
  if (
    sub &&
    !(info.subresources as string[]).includes(sub) &&
    !(sub === 'finalize' && info.kind === 'Namespace')
  ) {
    notFoundPath();
  }
  if (info.namespaced && !path.namespace && path.name) notFoundPath();
  if (!info.namespaced && path.namespace) notFoundPath();

  const verb = verbOf(method, Boolean(path.name), query);
  // A verb the resource does not serve (DELETE on the namespaces collection, a list of bindings) has no route.
  if (!sub && !info.verbs.includes(verb)) methodNotAllowed();
  const attributes = {
    verb,
    group: info.group,
    resource: info.resource,
    ...(sub ? { subresource: sub } : {}),
    ...(path.namespace ? { namespace: path.namespace } : {}),
    ...(path.name ? { name: path.name } : {}),
  };
  authorize(options, identity, attributes);
  if (isReview(info.group, info.resource))
    return options.reviews
      ? send(res, await serveReview(request, identity, options.reviews))
      : notFoundPath();
  if (method === 'GET' && sub === 'log')
    return serveLogs(request, res, options.clock, options.tracker, printed);
  if (method === 'GET' && !path.name) {
    if (queryFlag(query, 'watch')) return serveWatch(request, res, options.tracker);
    return send(res, listResource(request));
  }
  switch (method) {
    case 'GET':
      if (sub === 'token') methodNotAllowed();
      return send(res, getResource(request));
    case 'POST':
      if (sub === 'token' && options.serviceAccountTokens)
        return send(res, await serveTokenRequest(request, options.serviceAccountTokens));
      if (sub && sub !== 'eviction') methodNotAllowed();
      return send(res, await createResource(request));
    case 'PUT':
      if (!path.name || sub === 'eviction' || sub === 'log' || sub === 'token') methodNotAllowed();
      return send(res, await updateResource(request));
    case 'PATCH':
      if (!path.name || sub === 'eviction' || sub === 'log' || sub === 'token') methodNotAllowed();
      return send(res, await patchResource(request));
    case 'DELETE':
      if (sub) methodNotAllowed();
      return send(res, await deleteResource(request));
    default:
      return methodNotAllowed();
  }
}

/** The metrics API's discovery documents and reads, authorized as the aggregator would pass them on. */
function serveMetrics(
  options: ApiServerOptions,
  identity: Identity,
  path: Exclude<ApiPath, { type: 'groups' }>,
  method: string,
  url: URL,
): unknown {
  if (path.type === 'group') return { kind: 'APIGroup', apiVersion: 'v1', ...metricsApiGroup };
  if (path.version !== METRICS_VERSION) return notFoundPath();
  if (path.type === 'groupVersion') return metricsResourceList;
  const served = metricsResourceList.resources.find((r) => r.name === path.resource);
  if (!served || path.subresource || (path.namespace && !served.namespaced)) return notFoundPath();
  if (method !== 'GET') return methodNotAllowed();
  const verb = path.name ? 'get' : 'list';
  authorize(options, identity, {
    verb,
    group: METRICS_GROUP,
    resource: path.resource,
    ...(path.namespace ? { namespace: path.namespace } : {}),
    ...(path.name ? { name: path.name } : {}),
  });
  const labelSelector = url.searchParams.get('labelSelector');
  return metricsReply(
    options.registry,
    {
      resource: path.resource,
      ...(path.namespace ? { namespace: path.namespace } : {}),
      ...(path.name ? { name: path.name } : {}),
      ...(labelSelector ? { labelSelector } : {}),
    },
    options.clock.now(),
  );
}

function sendDocument(res: ServerResponse, contentType: string, body: Buffer): void {
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': body.length });
  res.end(body);
}

export function createApiHandler(options: ApiServerOptions) {
  const { resources } = options;
  // The resource table is fixed while the server runs: the OpenAPI documents are built once, here.
  const openApi = openApiDocuments(resources, options.version);
  // exec, attach and port-forward arrive as HTTP upgrades: the server's 'upgrade' event calls handleUpgrade.
  const streaming = createStreaming({
    client: options.registry,
    authenticator: options.authenticator,
    authorize: (identity, attributes) => authorize(options, identity, attributes),
    clock: options.clock,
    tracker: options.tracker,
  });
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      const pathname = url.pathname.replace(/\/+$/, '') || '/';
      const authenticated = options.authenticator.authenticate(req);
      if (!isPublicPath(pathname) && !authenticated) {
        return send(res, { code: 401, body: statusBody(401, 'Unauthorized', 'Unauthorized') });
      }
      const identity =
        authenticated &&
        impersonatedIdentity(req, authenticated, (attributes) =>
          authorize(options, authenticated, attributes),
        );
      if (pathname.startsWith(NODE_POWER_PREFIX)) {
        const caller = identity ?? fail(401, 'Unauthorized', 'Unauthorized');
        return serveNodePower(req, res, pathname, {
          authorize: (name) =>
            authorize(options, caller, {
              verb: 'update',
              group: '',
              resource: 'nodes',
              subresource: 'status',
              name,
            }),
          client: options.registry,
          evictionTimeoutSeconds: options.nodeEvictionTimeoutSeconds,
          now: options.clock.now,
        });
      }
      const proxy = proxyTarget(url.pathname, url.search);
      if (proxy) {
        const caller = identity ?? fail(401, 'Unauthorized', 'Unauthorized');
        authorize(options, caller, proxyAttributes(proxy, req.method ?? 'GET'));
        return streaming.serveProxy(req, res, proxy);
      }
      const apiPath = parseApiPath(pathname);
      if (identity && apiPath?.type !== 'resource')
        authorizePath(options, identity, (req.method ?? 'GET').toLowerCase(), url.pathname);
      if (pathname === '/version') return send(res, { code: 200, body: versionInfo(options.version) });
      if (['/healthz', '/livez', '/readyz'].includes(pathname)) {
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        return void res.end('ok');
      }
      if (pathname === '/openapi/v2') {
        const protobuf = /protobuf/.test(req.headers.accept ?? '');
        return sendDocument(
          res,
          protobuf ? OPENAPI_V2_PROTOBUF : 'application/json',
          protobuf ? openApi.v2Protobuf : openApi.v2Json,
        );
      }
      if (pathname === '/openapi/v3') return sendDocument(res, 'application/json', openApi.v3Index);
      if (pathname.startsWith('/openapi/v3/')) {
        const document = openApi.v3.get(pathname.slice('/openapi/v3/'.length)) ?? notFoundPath();
        return sendDocument(res, 'application/json', document);
      }
      if (!apiPath) return notFoundPath();
      if (apiPath.type !== 'resource' && req.method !== 'GET') methodNotAllowed();
      // metrics.k8s.io is no stored resource: on a cluster the aggregator proxies it to metrics-server.
      if (apiPath.type !== 'groups' && apiPath.group === METRICS_GROUP) {
        const caller = identity ?? fail(401, 'Unauthorized', 'Unauthorized');
        return send(res, {
          code: 200,
          body: serveMetrics(options, caller, apiPath, req.method ?? 'GET', url),
        });
      }
      switch (apiPath.type) {
        case 'groups': {
          if (apiPath.legacy) return send(res, { code: 200, body: apiVersions(options.serverAddress()) });
          const list = apiGroupList(resources);
          return send(res, { code: 200, body: { ...list, groups: [...list.groups, metricsApiGroup] } });
        }
        case 'group':
          return send(res, { code: 200, body: apiGroupDocument(resources, apiPath.group) ?? notFoundPath() });
        case 'groupVersion':
          return send(res, {
            code: 200,
            body: apiResourceList(resources, apiPath.group, apiPath.version) ?? notFoundPath(),
          });
        case 'resource': {
          const info = resources.find(
            (r) =>
              r.group === apiPath.group && r.version === apiPath.version && r.resource === apiPath.resource,
          );
          if (!info) return notFoundPath();
          const caller = identity ?? fail(401, 'Unauthorized', 'Unauthorized');
          const request: ResourceRequest = {
            registry: options.admission?.(caller, options.registry) ?? options.registry,
            info,
            ref: { group: info.group, resource: info.resource },
            path: apiPath,
            query: url.searchParams,
            req,
            now: options.clock.now(),
          };
          return await serveResource(request, res, options, caller, streaming.printed);
        }
      }
    } catch (error) {
      const status = errorStatus(error);
      send(res, { code: status.code, body: status });
    }
  };
  return Object.assign(handle, { handleUpgrade: streaming.handleUpgrade });
}
