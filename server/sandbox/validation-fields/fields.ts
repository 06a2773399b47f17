// The JSON field names of each built-in API type, read from the protobuf schema table, for strict field validation.
import { messages, topLevelKinds } from '../api/protobuf/schema.ts';

/** What a field's value holds: a message to check, or anything else (scalars, maps of scalars, FieldsV1 …). */
export interface FieldShape {
  repeated: boolean;
  map: boolean;
  /** A message key of the schema table, or undefined when the value is not checked for fields. */
  message: string | undefined;
  /** The element's type as the schema writes it: a scalar (`int32`), a well-known type (`Quantity`) or a message. */
  type: string;
  /** Go leaves the field out when it is empty (`?`) or it is a pointer (`*`): a manifest may leave it out too. */
  optional: boolean;
}

const fieldSpec = /^\d+ (\.\.\.|[A-Za-z]\w*)(\?)?\s+(.+)$/;

function shapeOf(typeSpec: string, omitEmpty: boolean): FieldShape {
  const map = /^map\[string\](.+)$/.exec(typeSpec);
  const repeated = typeSpec.startsWith('[]');
  const type = map ? (map[1] as string) : typeSpec.replace(/^(\[\]|\*)/, '');
  // Scalars and the well-known types (Time, Quantity, IntOrString, and FieldsV1, which is free-form) have no
  // message row: their values are left to the decoder, as Go decodes them with their own unmarshalers.
  const optional = omitEmpty || typeSpec.startsWith('*');
  return { repeated, map: Boolean(map), message: type in messages ? type : undefined, type, optional };
}

/** Field name → shape for one message, with Go-embedded structs (`...`) flattened into it. */
function compile(message: string, seen: ReadonlySet<string> = new Set()): Map<string, FieldShape> {
  const fields = new Map<string, FieldShape>();
  for (const spec of messages[message] ?? []) {
    const match = fieldSpec.exec(spec);
    if (!match) throw new Error(`field validation: cannot read field "${spec}" of ${message}`);
    const [, name, omitEmpty, typeSpec] = match as unknown as [string, string, string | undefined, string];
    if (name !== '...') {
      fields.set(name, shapeOf(typeSpec, Boolean(omitEmpty)));
      continue;
    }
    if (seen.has(typeSpec)) throw new Error(`field validation: ${message} embeds itself through ${typeSpec}`);
    for (const [embeddedName, shape] of compile(typeSpec, new Set([...seen, message]))) {
      fields.set(embeddedName, shape);
    }
  }
  return fields;
}

/** Compiled once at load, so a row this module cannot read fails at startup rather than on a request. */
const compiled = new Map(Object.keys(messages).map((message) => [message, compile(message)]));

/** The top-level object also carries TypeMeta, which Go embeds in every kind. */
const typeMeta: ReadonlyMap<string, FieldShape> = new Map(
  ['apiVersion', 'kind'].map((name) => [
    name,
    { repeated: false, map: false, message: undefined, type: 'string', optional: true },
  ]),
);

const topLevelFields = new Map<string, ReadonlyMap<string, FieldShape>>();

export function fieldsOf(message: string, topLevel: boolean): ReadonlyMap<string, FieldShape> {
  const fields = compiled.get(message);
  if (!fields) throw new Error(`field validation: no message ${message}`);
  if (!topLevel) return fields;
  let withTypeMeta = topLevelFields.get(message);
  if (!withTypeMeta) {
    withTypeMeta = new Map([...typeMeta, ...fields]);
    topLevelFields.set(message, withTypeMeta);
  }
  return withTypeMeta;
}

/**
 * The schema message of a kind the sandbox serves, e.g. `apps/v1` Deployment → `apps.v1.Deployment`; undefined
 * for a kind without a schema here, whose fields are then not checked (as a schemaless custom resource's).
 */
export function messageForKind(apiVersion: string, kind: string): string | undefined {
  if (!topLevelKinds[apiVersion]?.includes(kind)) return undefined;
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const message = `${group ? (group as string).split('.')[0] : 'core'}.${version}.${kind}`;
  return message in messages ? message : undefined;
}
