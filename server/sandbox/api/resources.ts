// Verbs on a resource path: get, list, create, update, patch, delete, deletecollection and the subresources.
import type { IncomingMessage } from 'node:http';
import { applyJsonPatch } from '../patch/json-patch.ts';
import { applyMergePatch } from '../patch/merge-patch.ts';
import { malformedPatchBody } from '../patch/patch-body.ts';
import { parseFieldSelector, supportedFields, unsupportedFieldMessage } from '../query/field-selector.ts';
import { parseLabelSelector } from '../query/label-selector.ts';
import { toScale } from '../registry/scale.ts';
import type {
  DeleteOptions,
  KubeObject,
  PatchType,
  PropagationPolicy,
  ResourceInfo,
  ResourceRef,
  SandboxRegistry,
  WriteOptions,
} from '../types.ts';
import { parseBody, parseObjectBody, readBody } from './body.ts';
import { invalid } from '../errors.ts';
import {
  forbidden as forbiddenCause,
  notSupported as notSupportedCause,
  type Cause,
} from '../validation/causes.ts';
import type { ResourcePath } from './paths.ts';
import { badRequest, fail, statusBody } from './status.ts';
import { encodedTable, tableRequest } from './tables/index.ts';
import { checkObjectBody, validatedPatch } from '../validation-fields/request.ts';
import { queryFlag } from './query-flags.ts';
import { ConversionError, converterFor } from '../conversion/index.ts';
import { patchView } from '../conversion/patch-view.ts';
import { encodedJson } from '../store/encoded.ts';

/**
 * A body already encoded as JSON (from stored objects' cached bytes): sent as it is, its parts written one after
 * another (joining a list's thousands of parts into one buffer first would copy them all once more).
 */
export class EncodedJson {
  readonly parts: readonly Buffer[];
  readonly length: number;
  constructor(parts: Buffer | readonly Buffer[]) {
    this.parts = Buffer.isBuffer(parts) ? [parts] : parts;
    this.length = this.parts.reduce((sum, part) => sum + part.length, 0);
  }
}

export interface Reply {
  code: number;
  body: unknown;
  /** Texts sent as `Warning: 299 - "…"` headers, e.g. unknown fields under fieldValidation=Warn. */
  warnings?: string[];
}

const patchTypes: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

const apiVersionOf = (info: ResourceInfo) => (info.group ? `${info.group}/${info.version}` : info.version);
const typeOf = (info: ResourceInfo) => ({ apiVersion: apiVersionOf(info), kind: info.kind });

export function writeOptions(query: URLSearchParams, subresource?: string): WriteOptions {
  const dryRun = query.getAll('dryRun');
  if (dryRun.some((value) => value !== 'All')) badRequest(`Invalid dry run value: ${dryRun.join(',')}`);
  const validation = query.get('fieldValidation');
  if (validation && !['Strict', 'Warn', 'Ignore'].includes(validation)) {
    badRequest(`fieldValidation invalid value: ${validation}`);
  }
  return {
    ...(dryRun.length ? { dryRun: true } : {}),
    ...(query.get('fieldManager') ? { fieldManager: query.get('fieldManager') as string } : {}),
    ...(validation ? { fieldValidation: validation as WriteOptions['fieldValidation'] } : {}),
    ...(subresource === 'status' || subresource === 'scale' ? { subresource } : {}),
    ...(queryFlag(query, 'force') ? { force: true } : {}),
  };
}

function deleteOptions(query: URLSearchParams, body: Record<string, unknown> | undefined): DeleteOptions {
  const grace = query.get('gracePeriodSeconds') ?? body?.gracePeriodSeconds;
  const policy = (query.get('propagationPolicy') ?? body?.propagationPolicy) as string | undefined;
  if (policy && !['Background', 'Foreground', 'Orphan'].includes(policy)) {
    badRequest(
      `propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`,
    );
  }
  const orphan = body?.orphanDependents;
  return {
    ...(query.getAll('dryRun').length || (body?.dryRun as unknown[] | undefined)?.length
      ? { dryRun: true }
      : {}),
    ...(grace !== undefined && grace !== null ? { gracePeriodSeconds: Number(grace) } : {}),
    ...(policy
      ? { propagationPolicy: policy as PropagationPolicy }
      : orphan === true
        ? { propagationPolicy: 'Orphan' }
        : {}),
    ...(body?.preconditions ? { preconditions: body.preconditions as DeleteOptions['preconditions'] } : {}),
  };
}

/** A query parameter Go decodes into an integer: text it cannot parse is a 400, as the parameter codec answers. */
function checkInteger(query: URLSearchParams, name: string): void {
  const value = query.get(name);
  if (value !== null && !/^[+-]?\d+$/.test(value))
    badRequest(`strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
}

/**
 * The apiserver's checks of list and watch options (apimachinery's ValidateListOptions, with the WatchList
 * feature on, as the sandbox serves watch-list), then its parse of the resourceVersion.
 */
export function checkListQuery(query: URLSearchParams): void {
  checkInteger(query, 'limit');
  checkInteger(query, 'timeoutSeconds');
  const watch = queryFlag(query, 'watch');
  const match = query.get('resourceVersionMatch') ?? '';
  const resourceVersion = query.get('resourceVersion') ?? '';
  const sendInitialEvents = query.has('sendInitialEvents');
  const resuming = Boolean(query.get('continue'));
  const causes: Cause[] = [];
  const matchField = 'resourceVersionMatch';
  if (watch) {
    if (sendInitialEvents && match !== 'NotOlderThan')
      causes.push(
        forbiddenCause(matchField, 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'),
      );
    if (match) {
      if (!sendInitialEvents)
        causes.push(
          forbiddenCause(
            matchField,
            'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
          ),
        );
      if (match !== 'NotOlderThan') causes.push(notSupportedCause(matchField, match, ['NotOlderThan']));
      if (resuming)
        causes.push(
          forbiddenCause(matchField, 'resourceVersionMatch is forbidden when continue is provided'),
        );
    }
  } else {
    if (match) {
      if (!resourceVersion)
        causes.push(
          forbiddenCause(matchField, 'resourceVersionMatch is forbidden unless resourceVersion is provided'),
        );
      if (resuming)
        causes.push(
          forbiddenCause(matchField, 'resourceVersionMatch is forbidden when continue is provided'),
        );
      if (match !== 'Exact' && match !== 'NotOlderThan')
        causes.push(notSupportedCause(matchField, match, ['Exact', 'NotOlderThan', '']));
      if (match === 'Exact' && resourceVersion === '0')
        causes.push(
          forbiddenCause(matchField, 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'),
        );
    }
    if (sendInitialEvents)
      causes.push(forbiddenCause('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  }
  if (causes.length) throw invalid('ListOptions', '', causes, 'meta.k8s.io');
  if (resourceVersion && !/^\d+$/.test(resourceVersion)) {
    badRequest(
      `invalid resource version: resourceVersion: Invalid value: ${JSON.stringify(resourceVersion)}: strconv.ParseUint: parsing ${JSON.stringify(resourceVersion)}: invalid syntax`,
    );
  }
}

/** Checks selectors up front so a bad one is a 400 with the apiserver's message, whatever the registry does. */
export function listOptions(info: ResourceInfo, path: ResourcePath, query: URLSearchParams) {
  checkListQuery(query);
  const labelSelector = query.get('labelSelector') ?? undefined;
  const fieldSelector = query.get('fieldSelector') ?? undefined;
  if (labelSelector) parseLabelSelector(labelSelector);
  if (fieldSelector) {
    const known = supportedFields(info.kind);
    for (const requirement of parseFieldSelector(fieldSelector)) {
      if (!known.includes(requirement.field)) badRequest(unsupportedFieldMessage(requirement.field));
    }
  }
  return {
    ...(path.namespace ? { namespace: path.namespace } : {}),
    ...(labelSelector ? { labelSelector } : {}),
    ...(fieldSelector ? { fieldSelector } : {}),
  };
}

interface ContinueToken {
  after: string;
}

const objectKey = (object: KubeObject) => `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;

/** One page of items already in key order (registry.listShared's), after the continue token's key. */
function paginate(sorted: readonly KubeObject[], query: URLSearchParams) {
  const token = query.get('continue');
  let start = 0;
  if (token) {
    let decoded: ContinueToken;
    try {
      decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken;
    } catch {
      return badRequest('continue key is not valid: illegal base64 data');
    }
    start = sorted.findIndex((item) => objectKey(item) > decoded.after);
    if (start < 0) start = sorted.length;
  }
  const limit = Number(query.get('limit') ?? 0);
  if (!(limit > 0) || start + limit >= sorted.length) return { page: sorted.slice(start) };
  const page = sorted.slice(start, start + limit);
  const last = page[page.length - 1] as KubeObject;
  return {
    page,
    continueToken: Buffer.from(JSON.stringify({ after: objectKey(last) })).toString('base64url'),
    remaining: sorted.length - start - limit,
  };
}

export interface ResourceRequest {
  registry: SandboxRegistry;
  info: ResourceInfo;
  ref: ResourceRef;
  path: ResourcePath;
  query: URLSearchParams;
  req: IncomingMessage;
  now: number;
}

function asTable(
  request: ResourceRequest,
  objects: KubeObject[],
  meta: { resourceVersion?: string; continueToken?: string },
) {
  const include = tableRequest(request.req.headers.accept, request.query.get('includeObject') ?? undefined);
  if (!include) return undefined;
  const view = (object: KubeObject) => served(request.info, object);
  return new EncodedJson(
    encodedTable(request.info.kind, objects, { now: request.now, includeObject: include, view, ...meta }),
  );
}

/** A stored object in the request's version (autoscaling/v1 shows a stored autoscaling/v2 HPA); a Status as is. */
export const served = (info: ResourceInfo, object: KubeObject): KubeObject =>
  (object.kind === info.kind && converterFor(info)?.toServed(object)) || object;

/** The JSON bytes of a stored object as served: its cached bytes unless the request's version converts it. */
export const servedJson = (info: ResourceInfo, object: KubeObject): Buffer =>
  converterFor(info) ? Buffer.from(JSON.stringify(served(info, object))) : encodedJson(object);

const comma = Buffer.from(',');
const listEnd = Buffer.from(']}');

/** A v1 object whose round-trip annotations cannot be read back is a bad request, not a server error. */
function converting<T>(convert: () => T): T {
  try {
    return convert();
  } catch (error) {
    if (error instanceof ConversionError) badRequest(error.message);
    throw error;
  }
}

const stored = (info: ResourceInfo, object: KubeObject): KubeObject =>
  converting(() => converterFor(info)?.toStored(object) ?? object);

/** Patches the object as the request's version shows it: a converted version is patched as its own view. */
function patchInVersion(
  request: ResourceRequest,
  type: PatchType,
  patch: unknown,
  options: WriteOptions,
): KubeObject {
  const { registry, ref, path, info, now } = request;
  const name = path.name as string;
  const converter = converterFor(info);
  if (!converter) return registry.patch(ref, path.namespace, name, type, patch, options);
  return converting(() =>
    patchView(registry, converter, { ref, namespace: path.namespace, name, type, patch, options, now }),
  );
}

export function listResource(request: ResourceRequest): Reply {
  const { registry, info, ref, path, query } = request;
  const { items, resourceVersion } = registry.listShared(ref, listOptions(info, path, query));
  const { page, continueToken, remaining } = paginate(items, query);
  const table = asTable(request, page, { resourceVersion, ...(continueToken ? { continueToken } : {}) });
  if (table) return { code: 200, body: table };
  const head = {
    kind: `${info.kind}List`,
    apiVersion: apiVersionOf(info),
    metadata: {
      resourceVersion,
      ...(continueToken ? { continue: continueToken, remainingItemCount: remaining } : {}),
    },
  };
  // The list is its items' cached bytes joined, as the apiserver's watch cache answers a list.
  const parts: Buffer[] = [Buffer.from(`${JSON.stringify(head).slice(0, -1)},"items":[`)];
  for (const object of page) {
    if (parts.length > 1) parts.push(comma);
    parts.push(servedJson(info, object));
  }
  parts.push(listEnd);
  return { code: 200, body: new EncodedJson(parts) };
}

export function getResource(request: ResourceRequest): Reply {
  const { registry, ref, path } = request;
  const object = registry.getShared(ref, path.namespace, path.name as string);
  if (path.subresource === 'scale') return { code: 200, body: toScale(object) };
  const table = asTable(request, [object], { resourceVersion: object.metadata.resourceVersion ?? '' });
  return { code: 200, body: table ?? new EncodedJson(servedJson(request.info, object)) };
}

function checkBodyIdentity(request: ResourceRequest, body: Record<string, unknown>): KubeObject {
  const { info, path } = request;
  const expectedVersion = apiVersionOf(info);
  if (body.apiVersion !== undefined && body.apiVersion !== expectedVersion) {
    badRequest(
      `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${expectedVersion})`,
    );
  }
  if (body.kind !== undefined && body.kind !== info.kind) {
    badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${info.kind})`);
  }
  const metadata = (body.metadata ?? {}) as Record<string, unknown>;
  if (info.namespaced && metadata.namespace !== undefined && metadata.namespace !== path.namespace) {
    badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (path.name && metadata.name !== undefined && metadata.name !== path.name) {
    badRequest('the name of the object does not match the name on the URL');
  }
  return { ...body, apiVersion: expectedVersion, kind: info.kind, metadata } as KubeObject;
}

/** A create or update body after field validation and the identity checks, in the form the registry stores. */
function acceptedBody(
  request: ResourceRequest,
  raw: Buffer,
  body: Record<string, unknown>,
  options: WriteOptions,
): { object: KubeObject; warnings: string[] } {
  const { warnings, body: accepted } = checkObjectBody(
    raw,
    request.req.headers['content-type'],
    body,
    typeOf(request.info),
    options,
  );
  return { object: stored(request.info, checkBodyIdentity(request, accepted)), warnings };
}

export async function createResource(request: ResourceRequest): Promise<Reply> {
  const { registry, ref, path, query, req } = request;
  const raw = await readBody(req);
  if (path.subresource === 'eviction') {
    const eviction = parseObjectBody(raw, req.headers['content-type']);
    registry.evict(
      path.namespace as string,
      path.name as string,
      deleteOptions(query, eviction.deleteOptions as Record<string, unknown>),
    );
    return { code: 201, body: statusBody(201, '', '') };
  }
  if (path.name)
    fail(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  const body = parseObjectBody(raw, req.headers['content-type']);
  const options = writeOptions(query);
  const { object, warnings } = acceptedBody(request, raw, body, options);
  const created = registry.create(ref, path.namespace, object, options);
  return { code: 201, body: served(request.info, created), warnings };
}

export async function updateResource(request: ResourceRequest): Promise<Reply> {
  const { registry, ref, path, query, req } = request;
  const raw = await readBody(req);
  const body = parseObjectBody(raw, req.headers['content-type']);
  if (path.subresource === 'scale') {
    // The registry carries the Scale's replicas (and resourceVersion, for conflicts) into the workload.
    const scale = body as Partial<KubeObject>;
    const named = { ...scale, metadata: { ...scale.metadata, name: path.name } } as KubeObject;
    return { code: 200, body: registry.update(ref, path.namespace, named, writeOptions(query, 'scale')) };
  }
  const subresource = path.subresource === 'finalize' ? undefined : path.subresource;
  const options = writeOptions(query, subresource);
  const { object, warnings } = acceptedBody(request, raw, body, options);
  const updated = registry.update(ref, path.namespace, object, options);
  return { code: 200, body: served(request.info, updated), warnings };
}

export async function patchResource(request: ResourceRequest): Promise<Reply> {
  const { registry, ref, path, query, req } = request;
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  const type = patchTypes[contentType];
  if (!type) {
    fail(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${Object.keys(patchTypes).slice(0, 4).join(', ')}`,
    );
  }
  const rawPatch = await readBody(req);
  const patch = parseBody(rawPatch, type === 'apply' ? 'application/yaml' : 'application/json');
  const malformed = malformedPatchBody(type as PatchType, patch);
  if (malformed) badRequest(malformed);
  if (type === 'apply' && !query.get('fieldManager')) {
    badRequest(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
  }
  const options = writeOptions(query, path.subresource);
  if (path.subresource === 'scale') {
    // Patch the Scale document, then carry its replicas into the workload.
    const current = registry.get(ref, path.namespace, path.name as string);
    const scale = toScale(current);
    const patchedScale = (
      type === 'json' ? applyJsonPatch(scale, patch) : applyMergePatch(scale, patch)
    ) as KubeObject;
    const replicas = (patchedScale.spec as { replicas?: unknown } | undefined)?.replicas;
    if (typeof replicas !== 'number' || replicas < 0)
      badRequest('Scale.autoscaling "" is invalid: spec.replicas: must be a non-negative number');
    const { subresource: _ignored, ...workloadOptions } = options;
    const updated = registry.patch(
      ref,
      path.namespace,
      path.name as string,
      'merge',
      { spec: { replicas } },
      workloadOptions,
    );
    return { code: 200, body: toScale(updated) };
  }
  const patchType = type as PatchType;
  const { object, warnings } = validatedPatch(
    {
      patch: (preview) =>
        patchInVersion(request, patchType, patch, preview ? { ...options, dryRun: true } : options),
      replace: (pruned) =>
        served(request.info, registry.update(ref, path.namespace, stored(request.info, pruned), options)),
    },
    patchType,
    rawPatch,
    patch,
    typeOf(request.info),
    options,
  );
  return { code: 200, body: object, warnings };
}

export async function deleteResource(request: ResourceRequest): Promise<Reply> {
  const { registry, ref, path, query, req, info } = request;
  const raw = await readBody(req);
  const body = raw.length ? parseObjectBody(raw, req.headers['content-type']) : undefined;
  const options = deleteOptions(query, body);
  if (!path.name) {
    const { items, resourceVersion } = registry.list(ref, listOptions(info, path, query));
    const deleted = items.map((item) =>
      registry.delete(ref, item.metadata.namespace, item.metadata.name as string, options),
    );
    return {
      code: 200,
      body: {
        kind: `${info.kind}List`,
        apiVersion: apiVersionOf(info),
        metadata: { resourceVersion },
        items: deleted.map((item) => served(info, item)),
      },
    };
  }
  const result = registry.delete(ref, path.namespace, path.name, options);
  return { code: 200, body: served(info, result) };
}
