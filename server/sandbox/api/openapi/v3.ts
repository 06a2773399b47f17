// The OpenAPI v3 documents, one per group-version (api/v1, apis/apps/v1 …), made from the v2 document: the same
// operations and schemas in v3's shapes. kubectl 1.35 explains and checks fieldValidation support from these; the
// index at /openapi/v3 lists each document's URL with a hash of its content, which clients cache by.
import { createHash } from 'node:crypto';
import { reachable, type Schema } from './definitions.ts';
import { memoized } from './memo.ts';
import {
  METHODS,
  type OpenApiV2Document,
  type Operation,
  type Parameter,
  type PathItem,
} from './document.ts';

type V3Schema = Record<string, unknown>;

interface V3Parameter {
  name: string;
  in: 'query' | 'path';
  description: string;
  required?: boolean;
  schema: V3Schema;
}

export interface OpenApiV3Document {
  openapi: '3.0.0';
  info: { title: string; version: string };
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, V3Schema> };
}

const V2_REF = '#/definitions/';
const V3_REF = '#/components/schemas/';

/** A v2 schema in v3's form: references moved to components, and a reference with siblings wrapped in allOf. */
function schemaV3(schema: Schema): V3Schema {
  const converted: V3Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref') continue;
    if (key === 'items' || (key === 'additionalProperties' && typeof value === 'object'))
      converted[key] = schemaV3(value as Schema);
    else if (key === 'properties')
      converted[key] = Object.fromEntries(
        Object.entries(value as Record<string, Schema>).map(([name, property]) => [name, schemaV3(property)]),
      );
    else converted[key] = value;
  }
  if (!schema.$ref) return converted;
  const target = { $ref: V3_REF + schema.$ref.slice(V2_REF.length) };
  // v3 ignores a reference's siblings: the description travels beside it, in allOf, as the apiserver writes it.
  return Object.keys(converted).length ? { allOf: [target], ...converted } : target;
}

const parameterV3 = memoized((p: Parameter): V3Parameter => {
  return {
    name: p.name,
    in: p.in as V3Parameter['in'],
    description: p.description,
    ...(p.required ? { required: true } : {}),
    schema: { type: p.type, ...(p.uniqueItems ? { uniqueItems: true } : {}) },
  };
});

function operationV3(op: Operation): Record<string, unknown> {
  const body = op.parameters.find((p) => p.in === 'body');
  const content = (schema: Schema | undefined) =>
    schema
      ? { content: Object.fromEntries(op.produces.map((type) => [type, { schema: schemaV3(schema) }])) }
      : {};
  return {
    tags: op.tags,
    description: op.description,
    operationId: op.operationId,
    parameters: op.parameters.filter((p) => p.in !== 'body').map(parameterV3),
    ...(body?.schema
      ? { requestBody: { content: { '*/*': { schema: schemaV3(body.schema) } }, required: true } }
      : {}),
    responses: Object.fromEntries(
      Object.entries(op.responses).map(([code, r]) => [
        code,
        { description: r.description, ...content(r.schema) },
      ]),
    ),
    'x-kubernetes-action': op['x-kubernetes-action'],
    'x-kubernetes-group-version-kind': op['x-kubernetes-group-version-kind'],
  };
}

function pathItemV3(item: PathItem): Record<string, unknown> {
  const converted: Record<string, unknown> = {};
  for (const method of METHODS) {
    const op = item[method];
    if (op) converted[method] = operationV3(op);
  }
  converted.parameters = item.parameters.map(parameterV3);
  return converted;
}

/** `/apis/apps/v1/namespaces/…` → `apis/apps/v1`, `/api/v1/pods` → `api/v1`. */
const groupVersionPath = (path: string) =>
  path
    .split('/')
    .slice(1, path.startsWith('/apis/') ? 4 : 3)
    .join('/');

/** The references of a path item's operations, as definition names. */
function referencedDefinitions(item: PathItem): string[] {
  const names: string[] = [];
  JSON.stringify(item, (key, value: unknown) => {
    if (key === '$ref' && typeof value === 'string') names.push(value.slice(V2_REF.length));
    return value;
  });
  return names;
}

/** Each group-version's document, keyed by its path under /openapi/v3. */
export function buildOpenApiV3(v2: OpenApiV2Document): Map<string, OpenApiV3Document> {
  const byGroupVersion = new Map<string, [string, PathItem][]>();
  for (const [path, item] of Object.entries(v2.paths)) {
    const key = groupVersionPath(path);
    byGroupVersion.set(key, [...(byGroupVersion.get(key) ?? []), [path, item]]);
  }
  const documents = new Map<string, OpenApiV3Document>();
  // Core types (ObjectMeta, PodSpec …) appear in many documents: each is converted once.
  const converted = new Map<string, V3Schema>();
  const schemaOf = (name: string) => {
    let schema = converted.get(name);
    if (!schema) {
      schema = schemaV3(v2.definitions[name] as Schema);
      converted.set(name, schema);
    }
    return schema;
  };
  for (const [key, entries] of byGroupVersion) {
    const used = reachable(
      entries.flatMap(([, item]) => referencedDefinitions(item)),
      v2.definitions,
    );
    documents.set(key, {
      openapi: '3.0.0',
      info: v2.info,
      paths: Object.fromEntries(entries.map(([path, item]) => [path, pathItemV3(item)])),
      components: {
        schemas: Object.fromEntries([...used].sort().map((name) => [name, schemaOf(name)])),
      },
    });
  }
  return documents;
}

/** The hash a document's URL carries: clients keep a document as long as its hash is unchanged. */
export const contentHash = (body: Buffer) => createHash('sha512').update(body).digest('hex').toUpperCase();
