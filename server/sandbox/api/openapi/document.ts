// The OpenAPI v2 document a kube-apiserver publishes, generated from the sandbox's resource table: every path and
// operation the sandbox serves, each operation tagged with its group/version/kind and action, and one definition
// per kind. kubectl reads it for three things: whether a kind's PATCH takes dryRun (kubectl 1.20 refuses
// `--dry-run=server` otherwise), whether it takes fieldValidation (kubectl 1.35 then leaves validation to the
// server), and a schema per kind for client-side validation. The schemas are deliberately open (any object):
// a closed schema would make kubectl reject every field it does not list.
import type { ResourceInfo } from '../../types.ts';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** The subset of a Swagger 2.0 schema this document uses: a reference, or an open object / a string. */
export interface Schema {
  $ref?: string;
  type?: 'object' | 'string';
  description?: string;
  additionalProperties?: boolean;
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
}

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

/** The Go package a kind lives in names its definition: core for the legacy group, else the group's first label. */
export function definitionName({ group, version, kind }: GroupVersionKind): string {
  return `io.k8s.api.${group === '' ? 'core' : (group.split('.')[0] as string)}.${version}.${kind}`;
}

const ref = (name: string): Schema => ({ $ref: `#/definitions/${name}` });

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

const unauthorized = { '401': { description: 'Unauthorized' } };
const JSON_ONLY = ['application/json'];

/** Builds operations for one resource (or subresource) path: ids, tags and GVK shared. */
function operations(info: ResourceInfo) {
  const gvCamel = `${groupCamel(info.group)}${capitalise(info.version)}`;
  const scope = info.namespaced ? 'Namespaced' : '';
  const tags = [
    `${info.group === '' ? 'core' : groupCamel(info.group).replace(/^./, (c) => c.toLowerCase())}_${info.version}`,
  ];
  return (
    action: Action,
    operationId: string,
    description: string,
    gvk: GroupVersionKind,
    parameters: Parameter[],
    responses: Record<string, Response>,
    produces = JSON_ONLY,
  ): Operation => ({
    description,
    operationId: operationId.replace('{gv}', gvCamel).replace('{scope}', scope),
    tags,
    produces,
    schemes: ['https'],
    parameters,
    responses: { ...responses, ...unauthorized },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
  });
}

function resourcePaths(info: ResourceInfo): Record<string, PathItem> {
  const { kind, verbs } = info;
  const gvk: GroupVersionKind = { group: info.group, version: info.version, kind };
  const object = ref(definitionName(gvk));
  const list = ref(definitionName({ ...gvk, kind: `${kind}List` }));
  const op = operations(info);
  const prefix = info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`;
  const collection = info.namespaced
    ? `${prefix}/namespaces/{namespace}/${info.resource}`
    : `${prefix}/${info.resource}`;
  const item = `${collection}/{name}`;
  const namespace = info.namespaced
    ? [pathParam('namespace', 'object name and auth scope, such as for teams and projects')]
    : [];
  const itemParameters = [pathParam('name', `name of the ${kind}`), ...namespace, pretty];
  const ok = (schema: Schema) => ({ '200': { description: 'OK', schema } });
  const created = (schema: Schema) => ({ ...ok(schema), '201': { description: 'Created', schema } });
  const accepted = (schema: Schema) => ({ '202': { description: 'Accepted', schema } });
  const has = (verb: string) => verbs.includes(verb);

  const paths: Record<string, PathItem> = {};
  const add = (path: string, pathItem: PathItem) => {
    if (METHODS.some((method) => pathItem[method])) paths[path] = pathItem;
  };

  add(collection, {
    parameters: [...namespace, pretty],
    ...(has('list') && {
      get: op(
        'list',
        'list{gv}{scope}' + kind,
        `list or watch objects of kind ${kind}`,
        gvk,
        listParameters,
        ok(list),
      ),
    }),
    ...(has('create') && {
      post: op(
        'post',
        'create{gv}{scope}' + kind,
        `create a ${kind}`,
        gvk,
        [body(object), ...writeParameters],
        {
          ...created(object),
          ...accepted(object),
        },
      ),
    }),
    ...(has('deletecollection') && {
      delete: op(
        'deletecollection',
        'delete{gv}Collection{scope}' + kind,
        `delete collection of ${kind}`,
        gvk,
        [
          body(ref(DELETE_OPTIONS)),
          ...deleteParameters,
          ...listParameters.filter((p) => p.name !== 'watch' && p.name !== 'allowWatchBookmarks'),
        ],
        ok(ref(STATUS)),
      ),
    }),
  });
  add(item, {
    parameters: itemParameters,
    ...(has('get') && {
      get: op('get', 'read{gv}{scope}' + kind, `read the specified ${kind}`, gvk, [], ok(object)),
    }),
    ...(has('update') && {
      put: op(
        'put',
        'replace{gv}{scope}' + kind,
        `replace the specified ${kind}`,
        gvk,
        [body(object), ...writeParameters],
        created(object),
      ),
    }),
    ...(has('patch') && {
      patch: op(
        'patch',
        'patch{gv}{scope}' + kind,
        `partially update the specified ${kind}`,
        gvk,
        [
          body(ref(PATCH)),
          ...writeParameters,
          query('force', 'boolean', 'Force an apply request to take over fields other managers own.'),
        ],
        created(object),
      ),
    }),
    ...(has('delete') && {
      delete: op(
        'delete',
        'delete{gv}{scope}' + kind,
        `delete a ${kind}`,
        gvk,
        [body(ref(DELETE_OPTIONS)), ...deleteParameters],
        {
          ...ok(object),
          ...accepted(object),
        },
      ),
    }),
  });
  if (info.namespaced && has('list')) {
    add(`${prefix}/${info.resource}`, {
      parameters: [pretty],
      get: op(
        'list',
        `list{gv}${kind}ForAllNamespaces`,
        `list or watch objects of kind ${kind}`,
        gvk,
        listParameters,
        ok(list),
      ),
    });
  }
  for (const sub of info.subresources) {
    const path = `${item}/${sub}`;
    const Sub = capitalise(sub);
    switch (sub) {
      case 'status':
      case 'scale': {
        const subGvk = sub === 'scale' ? SCALE : gvk;
        const schema = ref(definitionName(subGvk));
        add(path, {
          parameters: itemParameters,
          get: op(
            'get',
            `read{gv}{scope}${kind}${Sub}`,
            `read ${sub} of the specified ${kind}`,
            subGvk,
            [],
            ok(schema),
          ),
          put: op(
            'put',
            `replace{gv}{scope}${kind}${Sub}`,
            `replace ${sub} of the specified ${kind}`,
            subGvk,
            [body(schema), ...writeParameters],
            created(schema),
          ),
          patch: op(
            'patch',
            `patch{gv}{scope}${kind}${Sub}`,
            `partially update ${sub} of the specified ${kind}`,
            subGvk,
            [
              body(ref(PATCH)),
              ...writeParameters,
              query('force', 'boolean', 'Force an apply request to take over fields other managers own.'),
            ],
            created(schema),
          ),
        });
        break;
      }
      case 'log':
        add(path, {
          parameters: itemParameters,
          get: op(
            'get',
            `read{gv}{scope}${kind}Log`,
            `read log of the specified ${kind}`,
            gvk,
            logParameters,
            ok({ type: 'string' }),
            ['text/plain'],
          ),
        });
        break;
      case 'eviction':
      case 'binding': {
        const subGvk = sub === 'eviction' ? EVICTION : BINDING;
        const schema = ref(definitionName(subGvk));
        add(path, {
          parameters: itemParameters,
          post: op(
            'post',
            `create{gv}{scope}${kind}${Sub}`,
            `create ${sub} of a ${kind}`,
            subGvk,
            [body(schema), ...writeParameters],
            {
              ...created(schema),
              ...accepted(schema),
            },
          ),
        });
        break;
      }
    }
  }
  // The namespace lifecycle controller empties spec.finalizers through this PUT-only subresource.
  if (info.kind === 'Namespace' && info.group === '') {
    add(`${item}/finalize`, {
      parameters: itemParameters,
      put: op(
        'put',
        'replace{gv}NamespaceFinalize',
        'replace finalize of the specified Namespace',
        gvk,
        [body(object), ...writeParameters],
        created(object),
      ),
    });
  }
  return paths;
}

/** An open object schema: kubectl's validator accepts any fields inside it. */
function openObject(description: string, gvks: GroupVersionKind[]): Schema {
  return {
    description,
    type: 'object',
    additionalProperties: true,
    ...(gvks.length ? { 'x-kubernetes-group-version-kind': gvks } : {}),
  };
}

function definitions(resources: readonly ResourceInfo[]): Record<string, Schema> {
  const defs: Record<string, Schema> = {};
  const kindDescription = (gvk: GroupVersionKind) =>
    `${gvk.kind} (${gvk.group ? `${gvk.group}/` : ''}${gvk.version}). This server publishes no field schema: ` +
    'see https://kubernetes.io/docs/reference/kubernetes-api/ for its fields.';
  // No x-kubernetes-group-version-kind on these: kubectl 1.20's apply computes its patch from the schema it finds
  // for the kind, and an open schema has no list merge keys, so it warns "error calculating patch from openapi spec"
  // on every apply of an existing object (measured). Without the extension it uses its built-in types, as intended.
  const define = (gvk: GroupVersionKind) => {
    defs[definitionName(gvk)] ??= openObject(kindDescription(gvk), []);
  };
  for (const info of resources) {
    const gvk = { group: info.group, version: info.version, kind: info.kind };
    define(gvk);
    define({ ...gvk, kind: `${info.kind}List` });
    if (info.subresources.includes('scale')) define(SCALE);
    if (info.subresources.includes('eviction')) define(EVICTION);
    if (info.subresources.includes('binding')) define(BINDING);
  }
  const groupVersions = [...new Map(resources.map((r) => [`${r.group}/${r.version}`, r])).values()];
  defs[DELETE_OPTIONS] = openObject(
    'DeleteOptions may be provided when deleting an API object.',
    groupVersions.map(({ group, version }) => ({ group, version, kind: 'DeleteOptions' })),
  );
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
