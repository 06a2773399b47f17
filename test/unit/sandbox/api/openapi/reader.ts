// A small protobuf reader for the tests, written apart from the server's writer: it splits a message into its fields
// and reads back the gnostic OpenAPI v2 shapes kubectl looks at (field numbers from gnostic's OpenAPIv2.proto).

export interface RawField {
  field: number;
  wireType: number;
  /** The varint's value for wire type 0, else undefined. */
  varint?: number;
  /** The payload for wire type 2, else undefined. */
  bytes?: Uint8Array;
}

export function readFields(data: Uint8Array): RawField[] {
  const fields: RawField[] = [];
  let pos = 0;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (pos >= data.length) throw new Error('truncated varint');
      const byte = data[pos++] as number;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
  };
  while (pos < data.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (wireType === 0) fields.push({ field, wireType, varint: varint() });
    else if (wireType === 2) {
      const length = varint();
      if (pos + length > data.length) throw new Error(`field ${field}: length ${length} past the end`);
      fields.push({ field, wireType, bytes: data.subarray(pos, pos + length) });
      pos += length;
    } else throw new Error(`field ${field}: unexpected wire type ${wireType}`);
  }
  return fields;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Every length-delimited payload of one field number. */
export const all = (data: Uint8Array, field: number): Uint8Array[] =>
  readFields(data)
    .filter((f) => f.field === field)
    .map((f) => {
      if (!f.bytes) throw new Error(`field ${field} is not length-delimited`);
      return f.bytes;
    });

export const one = (data: Uint8Array, field: number): Uint8Array | undefined => all(data, field).at(-1);
export const text = (data: Uint8Array, field: number): string | undefined => {
  const bytes = one(data, field);
  return bytes && decoder.decode(bytes);
};
export const texts = (data: Uint8Array, field: number): string[] =>
  all(data, field).map((b) => decoder.decode(b));
export const flag = (data: Uint8Array, field: number): boolean =>
  readFields(data).some((f) => f.field === field && f.wireType === 0 && f.varint === 1);

/** NamedX { string name = 1; X value = 2 } pairs of one repeated field. */
export const named = (data: Uint8Array, field: number): [string, Uint8Array][] =>
  all(data, field).map((entry) => [text(entry, 1) ?? '', one(entry, 2) ?? new Uint8Array()]);

/** Vendor extensions (NamedAny, value Any { string yaml = 2 }) with their YAML parsed as JSON, which it is. */
export const extensions = (data: Uint8Array, field: number): Record<string, unknown> =>
  Object.fromEntries(named(data, field).map(([name, any]) => [name, JSON.parse(text(any, 2) ?? 'null')]));

export interface DecodedParameter {
  in: string;
  name: string;
  type?: string;
  required: boolean;
  ref?: string;
}

/** ParametersItem { Parameter = 1 } → Parameter { BodyParameter = 1 | NonBodyParameter = 2 { query = 3 | path = 4 } }. */
export function parameter(item: Uint8Array): DecodedParameter {
  const param = one(item, 1);
  if (!param) throw new Error('ParametersItem without a Parameter');
  const bodyParam = one(param, 1);
  if (bodyParam) {
    const schema = one(bodyParam, 5);
    return {
      in: text(bodyParam, 3) ?? '',
      name: text(bodyParam, 2) ?? '',
      required: flag(bodyParam, 4),
      ...(schema && { ref: text(schema, 1) }),
    };
  }
  const nonBody = one(param, 2);
  const query = nonBody && one(nonBody, 3);
  if (query)
    return {
      in: text(query, 2) ?? '',
      name: text(query, 4) ?? '',
      type: text(query, 6),
      required: flag(query, 1),
    };
  const path = nonBody && one(nonBody, 4);
  if (path)
    return {
      in: text(path, 2) ?? '',
      name: text(path, 4) ?? '',
      type: text(path, 5),
      required: flag(path, 1),
    };
  throw new Error('parameter neither body, query nor path');
}
