// The schema definitions of the OpenAPI documents, generated from the protobuf schema table through the field
// shapes strict field validation uses (validation-fields/fields.ts), so `kubectl explain`, kubectl's client-side
// validation and the server's own checks read one description of every type. Descriptions and list rules come
// from server/sandbox/schema. Definitions use Swagger 2.0 references (#/definitions/…); v3.ts rewrites them.
import { messages } from '../protobuf/schema.ts';
import { fieldsOf, type FieldShape } from '../../validation-fields/fields.ts';
import { descriptions } from '../../schema/descriptions.ts';
import { fieldRules, type FieldRule } from '../../schema/field-rules.ts';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** The subset of a JSON schema (Swagger 2.0 flavour) the documents use. */
export interface Schema {
  $ref?: string;
  type?: 'object' | 'string' | 'integer' | 'boolean' | 'array';
  format?: string;
  description?: string;
  required?: string[];
  enum?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** The definition name of a schema-table message: the Go package path it lives in, then its name. */
export function messageDefinition(message: string): string {
  return message.startsWith('meta.') ? `io.k8s.apimachinery.pkg.apis.${message}` : `io.k8s.api.${message}`;
}

/** The Go package a kind lives in names its message: core for the legacy group, else the group's first label. */
export function messageOfKind({ group, version, kind }: GroupVersionKind): string {
  return `${group === '' ? 'core' : (group.split('.')[0] as string)}.${version}.${kind}`;
}

export const definitionName = (gvk: GroupVersionKind): string => messageDefinition(messageOfKind(gvk));

export const ref = (name: string): Schema => ({ $ref: `#/definitions/${name}` });

/** The well-known types: each has a definition of its own, as their Go types do. */
const wellKnown: Record<string, { name: string; schema: Schema }> = {
  Time: {
    name: `${META}.Time`,
    schema: {
      type: 'string',
      format: 'date-time',
      description: 'A time in RFC 3339 form, UTC: 2026-12-05T17:00:00Z.',
    },
  },
  Quantity: {
    name: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
    schema: {
      type: 'string',
      description:
        'An amount: a number with an optional suffix. CPU: 1, 0.5 or 500m (thousandths). Memory: 128Mi, 1Gi (powers of 1024) or 100M (powers of 1000).',
    },
  },
  IntOrString: {
    name: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
    schema: {
      type: 'string',
      format: 'int-or-string',
      description:
        'A number, or a string: a port name, or a percentage such as 25 followed by a percent sign.',
    },
  },
  RawExtension: {
    name: 'io.k8s.apimachinery.pkg.runtime.RawExtension',
    schema: { type: 'object', description: 'Any JSON object, kept as it was written.' },
  },
  FieldsV1: {
    name: `${META}.FieldsV1`,
    schema: { type: 'object', description: 'A set of field paths, in the server-side apply field format.' },
  },
};

const scalars: Record<string, Schema> = {
  string: { type: 'string' },
  bool: { type: 'boolean' },
  int32: { type: 'integer', format: 'int32' },
  int64: { type: 'integer', format: 'int64' },
  bytes: { type: 'string', format: 'byte' },
};

/** Scalars a manifest must give when Go always writes them; messages, lists and times are never demanded. */
const requirable = new Set(['string', 'bool', 'int32', 'int64', 'bytes', 'IntOrString']);

function elementSchema(type: string): Schema {
  if (type in messages) return ref(messageDefinition(type));
  const known = wellKnown[type];
  if (known) return ref(known.name);
  const scalar = scalars[type];
  if (!scalar) throw new Error(`OpenAPI: the schema table's type ${type} has no schema`);
  return { ...scalar };
}

function fieldSchema(
  shape: FieldShape,
  description: string | undefined,
  rule: FieldRule | undefined,
): Schema {
  const element = elementSchema(shape.type);
  if (rule?.enum && !shape.repeated && !shape.map) element.enum = rule.enum;
  const schema: Schema = shape.repeated
    ? { type: 'array', items: element }
    : shape.map
      ? { type: 'object', additionalProperties: element }
      : element;
  if (description) schema.description = description;
  if (rule?.listType) schema['x-kubernetes-list-type'] = rule.listType;
  if (rule?.mapKeys) schema['x-kubernetes-list-map-keys'] = rule.mapKeys;
  if (rule?.mergeKey) {
    schema['x-kubernetes-patch-merge-key'] = rule.mergeKey;
    schema['x-kubernetes-patch-strategy'] = 'merge';
  } else if (rule?.set) schema['x-kubernetes-patch-strategy'] = 'merge';
  return schema;
}

const TYPE_META: Record<string, Schema> = {
  apiVersion: {
    type: 'string',
    description: "The API group and version of this object's schema, e.g. v1 or apps/v1.",
  },
  kind: { type: 'string', description: 'The kind of object, e.g. Pod or Deployment.' },
};

/** One message as an object schema; a top-level kind also gets apiVersion and kind. */
function messageSchema(message: string, gvks: GroupVersionKind[]): Schema {
  const texts = descriptions[message] ?? {};
  const rules = fieldRules[message] ?? {};
  const properties: Record<string, Schema> = gvks.length ? { ...TYPE_META } : {};
  const required: string[] = [];
  for (const [name, shape] of fieldsOf(message, false)) {
    const rule = rules[name];
    properties[name] = fieldSchema(shape, texts[name], rule);
    const demanded =
      rule?.required ?? (!shape.optional && !shape.repeated && !shape.map && requirable.has(shape.type));
    if (demanded) required.push(name);
  }
  return {
    type: 'object',
    ...(texts[''] ? { description: texts[''] } : {}),
    ...(required.length ? { required } : {}),
    properties,
    ...(gvks.length ? { 'x-kubernetes-group-version-kind': gvks } : {}),
  };
}

const LIST_META: Schema = {
  type: 'object',
  description: 'Metadata of a list: where the next page starts and the version it was read at.',
  properties: {
    continue: { type: 'string', description: 'Send back as ?continue= to get the next page.' },
    remainingItemCount: {
      type: 'integer',
      format: 'int64',
      description: 'Items after this page, when known.',
    },
    resourceVersion: { type: 'string', description: 'The version the list was read at; watch from it.' },
    selfLink: { type: 'string', description: 'Unused: the server leaves it empty.' },
  },
};

function listSchema(kind: GroupVersionKind): Schema {
  return {
    type: 'object',
    description: `A list of ${kind.kind} objects.`,
    required: ['items'],
    properties: {
      ...TYPE_META,
      items: { type: 'array', description: `The ${kind.kind} objects.`, items: ref(definitionName(kind)) },
      metadata: { ...ref(`${META}.ListMeta`), description: 'Paging and version of the list.' },
    },
    'x-kubernetes-group-version-kind': [{ ...kind, kind: `${kind.kind}List` }],
  };
}

/**
 * A definition for every message of the schema table, every well-known type, and a list definition for each
 * `listed` kind; `kinds` maps a message to the group/version/kinds it is served as (DeleteOptions: every group).
 */
export function schemaDefinitions(
  kinds: ReadonlyMap<string, GroupVersionKind[]>,
  listed: readonly GroupVersionKind[],
): Record<string, Schema> {
  const definitions: Record<string, Schema> = {};
  for (const message of Object.keys(messages).sort()) {
    definitions[messageDefinition(message)] = messageSchema(message, kinds.get(message) ?? []);
  }
  for (const { name, schema } of Object.values(wellKnown)) definitions[name] = schema;
  definitions[`${META}.ListMeta`] = LIST_META;
  for (const kind of listed)
    definitions[definitionName({ ...kind, kind: `${kind.kind}List` })] = listSchema(kind);
  return definitions;
}

/** The definitions `roots` refer to, directly or through others. */
export function reachable(roots: Iterable<string>, definitions: Record<string, Schema>): Set<string> {
  const seen = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== 'object' || value === null) return;
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') add(item.slice(item.lastIndexOf('/') + 1));
      else visit(item);
    }
  };
  const add = (name: string) => {
    if (seen.has(name) || !definitions[name]) return;
    seen.add(name);
    visit(definitions[name]);
  };
  for (const root of roots) add(root);
  return seen;
}
