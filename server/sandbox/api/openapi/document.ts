// The OpenAPI v2 document a kube-apiserver publishes, generated from the sandbox's resource table: every path and
// operation the sandbox serves, each operation tagged with its group/version/kind and action, and a definition for
// every schema the operations refer to. kubectl reads it for `kubectl explain`, for client-side validation (1.20),
// for the list merge keys of the patches `kubectl apply` computes, for whether a kind's PATCH takes dryRun (kubectl
// 1.20 refuses `--dry-run=server` otherwise) and for whether it takes fieldValidation (kubectl 1.35 then leaves
// validation to the server). The kinds' schemas come from definitions.ts.
import type { ResourceInfo } from '../../types.ts';
import { messages } from '../protobuf/schema.ts';
import {
  definitionName,
  messageOfKind,
  ref,
  schemaDefinitions,
  type GroupVersionKind,
  type Schema,
} from './definitions.ts';

export { definitionName, type GroupVersionKind, type Schema } from './definitions.ts';

export interface Parameter {
  name: string;
  in: 'query' | 'path' | 'body';
  description: string;
  required?: boolean;
  type?: 'string' | 'integer' | 'boolean';
  uniqueItems?: boolean;
  schema?: Schema;
}

export interface Response {
  description: string;
  schema?: Schema;
}

export type Action = 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection';

export interface Operation {
  description: string;
  operationId: string;
  tags: string[];
  produces: string[];
  schemes: string[];
  parameters: Parameter[];
  responses: Record<string, Response>;
  'x-kubernetes-action': Action;
  'x-kubernetes-group-version-kind': GroupVersionKind;
}

export const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
export type Method = (typeof METHODS)[number];

export type PathItem = { parameters: Parameter[] } & Partial<Record<Method, Operation>>;

export interface OpenApiV2Document {
  swagger: '2.0';
  info: { title: string; version: string };
  paths: Record<string, PathItem>;
  definitions: Record<string, Schema>;
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const STATUS = `${META}.Status`;
const DELETE_OPTIONS = `${META}.DeleteOptions`;
const PATCH = `${META}.Patch`;
const SCALE: GroupVersionKind = { group: 'autoscaling', version: 'v1', kind: 'Scale' };
const EVICTION: GroupVersionKind = { group: 'policy', version: 'v1', kind: 'Eviction' };
const BINDING: GroupVersionKind = { group: '', version: 'v1', kind: 'Binding' };
const TOKEN_REQUEST: GroupVersionKind = {
  group: 'authentication.k8s.io',
  version: 'v1',
  kind: 'TokenRequest',
};
/** The create-only subresources and the kind each takes. */
const POSTED = { eviction: EVICTION, binding: BINDING, token: TOKEN_REQUEST } as const;

const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** 'rbac.authorization.k8s.io' → 'RbacAuthorization', '' → 'Core', as in the apiserver's operation ids. */
function groupCamel(group: string): string {
  if (group === '') return 'Core';
  return group
    .replace(/\.k8s\.io$/, '')
    .split('.')
    .map(capitalise)
    .join('');
}

const query = (
  name: string,
  type: NonNullable<Parameter['type']>,
  description: string,
  uniqueItems = true,
): Parameter => ({ name, in: 'query', type, description, uniqueItems });

const pretty = query('pretty', 'string', "If 'true', then the output is pretty printed.");
const pathParam = (name: string, description: string): Parameter => ({
  name,
  in: 'path',
  required: true,
  type: 'string',
  description,
  uniqueItems: true,
});
const body = (schema: Schema): Parameter => ({
  name: 'body',
  in: 'body',
  required: true,
  description: '',
  schema,
});

const dryRun = query(
  'dryRun',
  'string',
  'When present, indicates that modifications should not be persisted. Valid value: All.',
);
const fieldManager = query(
  'fieldManager',
  'string',
  'A name associated with the actor or entity making changes.',
);
const fieldValidation = query(
  'fieldValidation',
  'string',
  'How the server treats unknown or duplicate fields in the object: Ignore, Warn or Strict.',
);
const writeParameters = [dryRun, fieldManager, fieldValidation];

const listParameters = [
  query('allowWatchBookmarks', 'boolean', 'Requests watch events with type BOOKMARK.'),
  query('continue', 'string', 'The continue token from a previous paged list.'),
  query('fieldSelector', 'string', 'A selector restricting the returned objects by their fields.'),
  query('labelSelector', 'string', 'A selector restricting the returned objects by their labels.'),
  query('limit', 'integer', 'The maximum number of objects to return.'),
  query('resourceVersion', 'string', 'Which resource versions the request may be served from.'),
  query('resourceVersionMatch', 'string', 'How resourceVersion applies to list calls.'),
  query('sendInitialEvents', 'boolean', 'With watch: starts the stream with the current objects.'),
  query('timeoutSeconds', 'integer', 'Timeout for the list or watch call.'),
  query(
    'watch',
    'boolean',
    'Watch for changes and return them as a stream of add, update and remove events.',
  ),
];

const deleteParameters = [
  dryRun,
  query('gracePeriodSeconds', 'integer', 'Seconds before the object should be deleted.'),
  query('orphanDependents', 'boolean', 'Deprecated: use propagationPolicy.'),
  query(
    'propagationPolicy',
    'string',
    'Whether and how garbage collection is performed: Orphan, Background or Foreground.',
  ),
];

const logParameters = [
  query('container', 'string', 'The container to stream logs for.'),
  query('follow', 'boolean', 'Follow the log stream of the pod.'),
  query('limitBytes', 'integer', 'The number of bytes to read before terminating the log output.'),
  query('previous', 'boolean', 'Return the logs of the previously terminated container.'),
  query('sinceSeconds', 'integer', 'A relative time in seconds before now from which to show logs.'),
  query('tailLines', 'integer', 'The number of lines from the end of the logs to show.'),
  query('timestamps', 'boolean', 'Prefix every line of log output with an RFC3339 timestamp.'),
];

const force = query('force', 'boolean', 'Force an apply request to take over fields other managers own.');
const patchParameters = [body(ref(PATCH)), ...writeParameters, force];
const deleteCollectionParameters = [
  body(ref(DELETE_OPTIONS)),
  ...deleteParameters,
  ...listParameters.filter((p) => p.name !== 'watch' && p.name !== 'allowWatchBookmarks'),
];

const ok = (schema: Schema) => ({ '200': { description: 'OK', schema } });
const created = (schema: Schema) => ({ ...ok(schema), '201': { description: 'Created', schema } });
const accepted = (schema: Schema) => ({ ...created(schema), '202': { description: 'Accepted', schema } });
const unauthorized = { '401': { description: 'Unauthorized' } };
const JSON_ONLY = ['application/json'];

function resourcePaths(info: ResourceInfo): Record<string, PathItem> {
  const { kind } = info;
  const gvk: GroupVersionKind = { group: info.group, version: info.version, kind };
  const gv = `${groupCamel(info.group)}${capitalise(info.version)}`;
  const scope = info.namespaced ? 'Namespaced' : '';
  const tags = [
    `${info.group === '' ? 'core' : groupCamel(info.group).replace(/^./, (c) => c.toLowerCase())}_${info.version}`,
  ];
  /** The apiserver's operation ids: verb, group-version, scope, kind, subresource (patchAppsV1NamespacedDeploymentScale). */
  const id = (verb: string, subresource = '') => `${verb}${gv}${scope}${kind}${subresource}`;
  const op = (
    action: Action,
    operationId: string,
    description: string,
    parameters: Parameter[],
    responses: Record<string, Response>,
    { kindOf = gvk, produces = JSON_ONLY } = {},
  ): Operation => ({
    description,
    operationId,
    tags,
    produces,
    schemes: ['https'],
    parameters,
    responses: { ...responses, ...unauthorized },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': kindOf,
  });

  const object = ref(definitionName(gvk));
  const list = ref(definitionName({ ...gvk, kind: `${kind}List` }));
  const prefix = info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`;
  const collection = info.namespaced
    ? `${prefix}/namespaces/{namespace}/${info.resource}`
    : `${prefix}/${info.resource}`;
  const item = `${collection}/{name}`;
  const namespace = info.namespaced
    ? [pathParam('namespace', 'object name and auth scope, such as for teams and projects')]
    : [];
  const itemParameters = [pathParam('name', `name of the ${kind}`), ...namespace, pretty];
  const has = (verb: string) => info.verbs.includes(verb);

  const paths: Record<string, PathItem> = {};
  const add = (path: string, pathItem: PathItem) => {
    if (METHODS.some((method) => pathItem[method])) paths[path] = pathItem;
  };
  const listOf = (operationId: string) =>
    op('list', operationId, `list or watch objects of kind ${kind}`, listParameters, ok(list));

  add(collection, {
    parameters: [...namespace, pretty],
    ...(has('list') && { get: listOf(id('list')) }),
    ...(has('create') && {
      post: op(
        'post',
        id('create'),
        `create a ${kind}`,
        [body(object), ...writeParameters],
        accepted(object),
      ),
    }),
    ...(has('deletecollection') && {
      delete: op(
        'deletecollection',
        `delete${gv}Collection${scope}${kind}`,
        `delete collection of ${kind}`,
        deleteCollectionParameters,
        ok(ref(STATUS)),
      ),
    }),
  });
  add(item, {
    parameters: itemParameters,
    ...(has('get') && { get: op('get', id('read'), `read the specified ${kind}`, [], ok(object)) }),
    ...(has('update') && {
      put: op(
        'put',
        id('replace'),
        `replace the specified ${kind}`,
        [body(object), ...writeParameters],
        created(object),
      ),
    }),
    ...(has('patch') && {
      patch: op(
        'patch',
        id('patch'),
        `partially update the specified ${kind}`,
        patchParameters,
        created(object),
      ),
    }),
    ...(has('delete') && {
      delete: op(
        'delete',
        id('delete'),
        `delete a ${kind}`,
        [body(ref(DELETE_OPTIONS)), ...deleteParameters],
        {
          ...ok(object),
          '202': { description: 'Accepted', schema: object },
        },
      ),
    }),
  });
  if (info.namespaced && has('list')) {
    add(`${prefix}/${info.resource}`, {
      parameters: [pretty],
      get: listOf(`list${gv}${kind}ForAllNamespaces`),
    });
  }

  for (const sub of info.subresources) {
    const Sub = capitalise(sub);
    switch (sub) {
      case 'status':
      case 'scale': {
        const kindOf = sub === 'scale' ? SCALE : gvk;
        const schema = ref(definitionName(kindOf));
        add(`${item}/${sub}`, {
          parameters: itemParameters,
          get: op('get', id('read', Sub), `read ${sub} of the specified ${kind}`, [], ok(schema), { kindOf }),
          put: op(
            'put',
            id('replace', Sub),
            `replace ${sub} of the specified ${kind}`,
            [body(schema), ...writeParameters],
            created(schema),
            { kindOf },
          ),
          patch: op(
            'patch',
            id('patch', Sub),
            `partially update ${sub} of the specified ${kind}`,
            patchParameters,
            created(schema),
            { kindOf },
          ),
        });
        break;
      }
      case 'log':
        add(`${item}/log`, {
          parameters: itemParameters,
          get: op(
            'get',
            id('read', Sub),
            `read log of the specified ${kind}`,
            logParameters,
            ok({ type: 'string' }),
            {
              produces: ['text/plain'],
            },
          ),
        });
        break;
      case 'eviction':
      case 'binding':
      case 'token': {
        const kindOf = POSTED[sub];
        const schema = ref(definitionName(kindOf));
        add(`${item}/${sub}`, {
          parameters: itemParameters,
          post: op(
            'post',
            id('create', Sub),
            `create ${sub} of a ${kind}`,
            [body(schema), ...writeParameters],
            accepted(schema),
            { kindOf },
          ),
        });
        break;
      }
    }
  }
  // The namespace lifecycle controller empties spec.finalizers through this PUT-only subresource.
  if (kind === 'Namespace' && info.group === '') {
    add(`${item}/finalize`, {
      parameters: itemParameters,
      put: op(
        'put',
        id('replace', 'Finalize'),
        'replace finalize of the specified Namespace',
        [body(object), ...writeParameters],
        created(object),
      ),
    });
  }
  return paths;
}

/** An open object schema, for the kinds the schema table does not describe: any field is accepted inside it. */
function openObject(description: string, gvks: GroupVersionKind[]): Schema {
  return {
    description,
    type: 'object',
    additionalProperties: true,
    ...(gvks.length ? { 'x-kubernetes-group-version-kind': gvks } : {}),
  };
}

function definitions(resources: readonly ResourceInfo[]): Record<string, Schema> {
  const groupVersions = [...new Map(resources.map((r) => [`${r.group}/${r.version}`, r])).values()];
  const kinds = new Map<string, GroupVersionKind[]>([
    [
      'meta.v1.DeleteOptions',
      groupVersions.map(({ group, version }) => ({ group, version, kind: 'DeleteOptions' })),
    ],
  ]);
  const described: GroupVersionKind[] = [];
  const undescribed: GroupVersionKind[] = [];
  const served = (gvk: GroupVersionKind) => {
    const message = messageOfKind(gvk);
    if (!(message in messages)) return undescribed.push(gvk);
    if (kinds.get(message)?.some((known) => known.kind === gvk.kind && known.group === gvk.group)) return;
    kinds.set(message, [...(kinds.get(message) ?? []), gvk]);
    return described.push(gvk);
  };
  for (const info of resources) {
    served({ group: info.group, version: info.version, kind: info.kind });
    if (info.subresources.includes('scale')) undescribed.push(SCALE);
    for (const [sub, kindOf] of Object.entries(POSTED))
      if ((info.subresources as string[]).includes(sub)) served(kindOf);
  }
  const defs = schemaDefinitions(
    kinds,
    described.filter((gvk) => resources.some((r) => r.kind === gvk.kind && r.group === gvk.group)),
  );
  // No x-kubernetes-group-version-kind on the kinds without a schema: kubectl 1.20's apply computes its patch from
  // the schema it finds for the kind, and an open schema has no list merge keys, so it would warn "error
  // calculating patch from openapi spec" on every apply of an existing object (measured). Without the extension it
  // uses its built-in types.
  for (const gvk of undescribed) {
    const what = `${gvk.kind} (${gvk.group ? `${gvk.group}/` : ''}${gvk.version})`;
    defs[definitionName(gvk)] ??= openObject(
      `${what}. The sandbox publishes no field schema for this kind.`,
      [],
    );
    if (resources.some((r) => r.kind === gvk.kind && r.group === gvk.group))
      defs[definitionName({ ...gvk, kind: `${gvk.kind}List` })] ??= openObject(
        `A list of ${gvk.kind} objects.`,
        [],
      );
  }
  defs[PATCH] = openObject(
    'A patch body: JSON patch, merge patch, strategic merge patch or apply configuration.',
    [],
  );
  defs[STATUS] = openObject('Status is a return value for calls that do not return other objects.', [
    { group: '', version: 'v1', kind: 'Status' },
  ]);
  return defs;
}

export function buildOpenApiV2(
  resources: readonly ResourceInfo[],
  kubernetesVersion: string,
): OpenApiV2Document {
  const paths: Record<string, PathItem> = {};
  for (const info of resources) Object.assign(paths, resourcePaths(info));
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: kubernetesVersion },
    paths,
    definitions: definitions(resources),
  };
}
