// Kubernetes protobuf bodies → the JSON object Go's encoding of the same typed object gives, by the schema table.
import { messages, topLevelKinds } from './schema.ts';
import { MalformedProtobufError, WireReader, WireType } from './wire.ts';
import { kubeTime } from '../../time.ts';

/** `k8s\0`: every Kubernetes protobuf body starts with it, then a runtime.Unknown message. */
const magic = [0x6b, 0x38, 0x73, 0x00];

/** A protobuf body whose apiVersion and kind have no schema here: the caller answers 415, as for CRDs. */
export class UnsupportedKindError extends Error {}

const scalarTypes = ['string', 'bool', 'int32', 'int64', 'bytes'] as const;
const wellKnownTypes = ['Time', 'Quantity', 'IntOrString', 'FieldsV1', 'RawExtension'] as const;
type Scalar = (typeof scalarTypes)[number] | (typeof wellKnownTypes)[number];

interface Field {
  number: number;
  /** Undefined for a Go-embedded struct, whose fields join the parent's JSON object. */
  name: string | undefined;
  omitEmpty: boolean;
  shape: 'single' | 'pointer' | 'repeated' | 'map';
  /** A scalar, a well-known type or a message key of the schema table. */
  type: string;
}

const isScalar = (type: string): type is Scalar =>
  (scalarTypes as readonly string[]).includes(type) || (wellKnownTypes as readonly string[]).includes(type);

function compileField(message: string, spec: string): Field {
  const match = /^(\d+) (\.\.\.|[A-Za-z]\w*)(\?)? (.+)$/.exec(spec);
  if (!match) throw new Error(`protobuf schema ${message}: cannot read field "${spec}"`);
  const [, number, name, omit, typeSpec] = match as unknown as [
    string,
    string,
    string,
    string | undefined,
    string,
  ];
  const map = /^map\[string\](.+)$/.exec(typeSpec);
  const [shape, type] = map
    ? (['map', map[1] as string] as const)
    : typeSpec.startsWith('[]')
      ? (['repeated', typeSpec.slice(2)] as const)
      : typeSpec.startsWith('*')
        ? (['pointer', typeSpec.slice(1)] as const)
        : (['single', typeSpec] as const);
  if (!isScalar(type) && !(type in messages)) {
    throw new Error(`protobuf schema ${message}: field ${number} refers to unknown type ${type}`);
  }
  if (name === '...' && (shape !== 'single' || isScalar(type))) {
    throw new Error(`protobuf schema ${message}: embedded field ${number} must be a plain message`);
  }
  return {
    number: Number(number),
    name: name === '...' ? undefined : name,
    omitEmpty: omit === '?',
    shape,
    type,
  };
}

/** The table compiled once at load, so a broken row fails at startup rather than on some later request. */
const compiled = new Map<string, { fields: Field[]; byNumber: Map<number, Field> }>(
  Object.entries(messages).map(([message, specs]) => {
    const fields = specs.map((spec) => compileField(message, spec));
    return [message, { fields, byNumber: new Map(fields.map((field) => [field.number, field])) }];
  }),
);

const utf8 = new TextDecoder();

function expectWireType(actual: number, expected: number, where: string): void {
  if (actual !== expected) throw new MalformedProtobufError(`wrong wire type ${actual} for ${where}`);
}

function readTimestamp(bytes: Uint8Array): string | null {
  // Go writes nothing for the zero time, which its JSON encodes as null.
  if (bytes.length === 0) return null;
  let seconds = 0n;
  const reader = new WireReader(bytes);
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (field === 1 && wireType === WireType.varint) seconds = BigInt.asIntN(64, reader.varint());
    // metav1.Time keeps whole seconds (its JSON has no fraction), so nanos (field 2) are skipped.
    else reader.skip(wireType);
  }
  return kubeTime(Number(seconds) * 1000);
}

/** Reads one value of a scalar or well-known type from a field whose tag has just been read. */
function readScalar(reader: WireReader, wireType: number, type: Scalar, where: string): unknown {
  switch (type) {
    case 'bool':
      expectWireType(wireType, WireType.varint, where);
      return reader.varint() !== 0n;
    case 'int32':
      expectWireType(wireType, WireType.varint, where);
      return Number(BigInt.asIntN(32, reader.varint()));
    case 'int64':
      expectWireType(wireType, WireType.varint, where);
      return Number(BigInt.asIntN(64, reader.varint()));
  }
  expectWireType(wireType, WireType.lengthDelimited, where);
  const bytes = reader.lengthDelimited();
  switch (type) {
    case 'string':
      return utf8.decode(bytes);
    case 'bytes':
      return Buffer.from(bytes).toString('base64');
    case 'Time':
      return readTimestamp(bytes);
    case 'Quantity': {
      const { 1: text } = readFields(bytes, { 1: 'string' }, where);
      return text ?? '0';
    }
    case 'IntOrString': {
      const value = readFields(bytes, { 1: 'int64', 2: 'int32', 3: 'string' }, where);
      // type 1 is String; 0 (Int) is also what an absent type field means.
      return value[1] === 1 ? (value[3] ?? '') : (value[2] ?? 0);
    }
    // Both hold raw JSON bytes in field 1.
    case 'FieldsV1':
    case 'RawExtension': {
      const { 1: raw } = readFields(bytes, { 1: 'bytes' }, where);
      if (raw === undefined) return {};
      try {
        return JSON.parse(Buffer.from(raw as string, 'base64').toString('utf8'));
      } catch {
        throw new MalformedProtobufError(`${where} is not JSON`);
      }
    }
  }
}

/** A small message of scalars (well-known types, map entries), by field number. */
function readFields(
  bytes: Uint8Array,
  types: Record<number, Scalar>,
  where: string,
): Record<number, unknown> {
  const out: Record<number, unknown> = {};
  const reader = new WireReader(bytes);
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    const type = types[field];
    if (type) out[field] = readScalar(reader, wireType, type, `${where}.${field}`);
    else reader.skip(wireType);
  }
  return out;
}

function readValue(reader: WireReader, wireType: number, type: string, where: string): unknown {
  if (isScalar(type)) return readScalar(reader, wireType, type, where);
  expectWireType(wireType, WireType.lengthDelimited, where);
  return decodeMessage(type, reader.lengthDelimited());
}

/** The zero values Go's JSON leaves out: omitempty scalars, and (our rule) empty non-pointer structs. */
function isDroppedZero(field: Field, value: unknown): boolean {
  if (value === null || value === undefined) return true;
  switch (field.type) {
    case 'string':
    case 'bool':
    case 'int32':
    case 'int64':
      return field.omitEmpty && (value === '' || value === false || value === 0);
    case 'bytes':
      return value === '';
    case 'Quantity':
      return value === '0';
    case 'IntOrString':
      return value === 0;
    default:
      return typeof value === 'object' && Object.keys(value).length === 0;
  }
}

export function decodeMessage(message: string, bytes: Uint8Array): Record<string, unknown> {
  const schema = compiled.get(message);
  if (!schema) throw new Error(`no protobuf schema for ${message}`);
  const values = new Map<number, unknown>();
  const reader = new WireReader(bytes);
  while (!reader.done) {
    const { field: number, wireType } = reader.tag();
    const field = schema.byNumber.get(number);
    if (!field) {
      reader.skip(wireType);
      continue;
    }
    const where = `${message}.${field.name ?? field.type}`;
    if (field.shape === 'repeated') {
      const list = (values.get(number) as unknown[] | undefined) ?? [];
      const packable = field.type === 'int32' || field.type === 'int64' || field.type === 'bool';
      if (packable && wireType === WireType.lengthDelimited) {
        // Packed repeated numbers: one length-delimited run of varints.
        const packed = new WireReader(reader.lengthDelimited());
        while (!packed.done) list.push(readScalar(packed, WireType.varint, field.type as Scalar, where));
      } else {
        list.push(readValue(reader, wireType, field.type, where));
      }
      values.set(number, list);
    } else if (field.shape === 'map') {
      expectWireType(wireType, WireType.lengthDelimited, where);
      const entry = decodeMapEntry(reader.lengthDelimited(), field.type, where);
      const map = (values.get(number) as Record<string, unknown> | undefined) ?? {};
      // Keys are data: a ConfigMap key may well be `__proto__`.
      Object.defineProperty(map, entry.key, {
        value: entry.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      values.set(number, map);
    } else {
      values.set(number, readValue(reader, wireType, field.type, where));
    }
  }
  const out: Record<string, unknown> = {};
  for (const field of schema.fields) {
    const value = values.get(field.number);
    if (value === undefined) continue;
    if (field.name === undefined) {
      Object.assign(out, value);
    } else if (field.shape === 'repeated') {
      if ((value as unknown[]).length) out[field.name] = value;
    } else if (field.shape === 'map') {
      if (Object.keys(value as object).length) out[field.name] = value;
    } else if (field.shape === 'pointer' ? value !== null : !isDroppedZero(field, value)) {
      out[field.name] = value;
    }
  }
  return out;
}

/** What an entry without a value holds (Go's zero value, as its JSON writes it); messages are `{}`. */
const zeroOf: Record<string, unknown> = {
  string: '',
  bool: false,
  int32: 0,
  int64: 0,
  bytes: '',
  Quantity: '0',
  IntOrString: 0,
  Time: null,
};

function decodeMapEntry(bytes: Uint8Array, type: string, where: string): { key: string; value: unknown } {
  let key = '';
  let value: unknown;
  const reader = new WireReader(bytes);
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (field === 1) key = readScalar(reader, wireType, 'string', `${where} key`) as string;
    else if (field === 2) value = readValue(reader, wireType, type, `${where}[${key}]`);
    else reader.skip(wireType);
  }
  return { key, value: value === undefined ? (type in zeroOf ? zeroOf[type] : {}) : value };
}

/** Where a top-level kind's message lives in the table: `rbac.authorization.k8s.io/v1` → `rbac.v1`. */
function messageFor(apiVersion: string, kind: string): string {
  if (kind === 'DeleteOptions') return 'meta.v1.DeleteOptions';
  if (!topLevelKinds[apiVersion]?.includes(kind)) {
    throw new UnsupportedKindError(`no protobuf schema for ${kind} in ${apiVersion || 'no apiVersion'}`);
  }
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return `${group ? group.split('.')[0] : 'core'}.${version}.${kind}`;
}

/**
 * Decodes `application/vnd.kubernetes.protobuf` bodies: the magic, then runtime.Unknown
 * {1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType}, raw being the typed object.
 */
export function decodeKubernetesProtobuf(body: Uint8Array): Record<string, unknown> {
  if (body.length < magic.length || magic.some((byte, i) => body[i] !== byte)) {
    throw new MalformedProtobufError(
      'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    );
  }
  let apiVersion = '';
  let kind = '';
  let raw: Uint8Array = new Uint8Array();
  const reader = new WireReader(body.subarray(magic.length));
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (field === 1) {
      expectWireType(wireType, WireType.lengthDelimited, 'Unknown.typeMeta');
      const meta = readFields(reader.lengthDelimited(), { 1: 'string', 2: 'string' }, 'TypeMeta');
      apiVersion = (meta[1] as string | undefined) ?? '';
      kind = (meta[2] as string | undefined) ?? '';
    } else if (field === 2) {
      expectWireType(wireType, WireType.lengthDelimited, 'Unknown.raw');
      raw = reader.lengthDelimited();
    } else if (field === 3) {
      const encoding = readScalar(reader, wireType, 'string', 'Unknown.contentEncoding');
      // client-go never compresses the object inside; an encoded one cannot be read as the type.
      if (encoding) throw new UnsupportedKindError(`content encoding ${String(encoding)} is not supported`);
    } else {
      reader.skip(wireType);
    }
  }
  return { apiVersion, kind, ...decodeMessage(messageFor(apiVersion, kind), raw) };
}
