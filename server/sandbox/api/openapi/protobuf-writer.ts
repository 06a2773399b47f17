// Protocol buffers wire encoding for the field kinds the OpenAPI v2 document uses: strings, booleans and nested
// messages. Proto3 rules: a singular string or bool equal to its default is left out; repeated entries never are.
// Fields are described first and written once: each knows its encoded size when it is made (its parts are made
// before it), so every length prefix is known in advance and `encode` writes the whole document into one buffer,
// instead of copying each nested message into its parent at every level.

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;

/**
 * Encoded fields, not yet written: plain records (no closures, which cost the garbage collector dearly over the
 * document's hundred thousand fields), each with its size in bytes.
 */
export type Fields =
  | {
      readonly kind: 'text';
      readonly size: number;
      readonly key: number;
      readonly length: number;
      readonly value: string;
    }
  | { readonly kind: 'true'; readonly size: number; readonly key: number }
  | { readonly kind: 'nested'; readonly size: number; readonly key: number; readonly payload: Fields }
  | { readonly kind: 'sequence'; readonly size: number; readonly parts: readonly Fields[] };

const NONE: Fields = { kind: 'sequence', size: 0, parts: [] };

function varintSize(value: number): number {
  let size = 1;
  for (let rest = value; rest > 0x7f; rest = Math.floor(rest / 0x80)) size++;
  return size;
}

/** Unsigned varint; division rather than bit shifts so lengths past 2^31 stay exact. */
function writeVarint(buffer: Buffer, offset: number, value: number): number {
  let at = offset;
  let rest = value;
  while (rest > 0x7f) {
    buffer[at++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  buffer[at++] = rest;
  return at;
}

/** Writes `fields` at `offset`; returns the offset after them. */
function writeFields(buffer: Buffer, offset: number, fields: Fields): number {
  switch (fields.kind) {
    case 'text': {
      const at = writeVarint(buffer, writeVarint(buffer, offset, fields.key), fields.length);
      return at + buffer.write(fields.value, at, 'utf8');
    }
    case 'true':
      return writeVarint(buffer, writeVarint(buffer, offset, fields.key), 1);
    case 'nested': {
      const at = writeVarint(buffer, writeVarint(buffer, offset, fields.key), fields.payload.size);
      return writeFields(buffer, at, fields.payload);
    }
    case 'sequence': {
      let at = offset;
      for (const part of fields.parts) at = writeFields(buffer, at, part);
      return at;
    }
  }
}

function text(field: number, value: string): Fields {
  const key = field * 8 + WIRE_LENGTH_DELIMITED;
  const length = Buffer.byteLength(value, 'utf8');
  return { kind: 'text', size: varintSize(key) + varintSize(length) + length, key, length, value };
}

/** A singular string field: absent when empty or undefined. */
export function stringField(field: number, value: string | undefined): Fields {
  return value ? text(field, value) : NONE;
}

/** A repeated string field: one entry per value, empty strings included. */
export function repeatedStringField(field: number, values: readonly string[] | undefined): Fields {
  return message(...(values ?? []).map((value) => text(field, value)));
}

/** A singular bool field: absent when false or undefined. */
export function boolField(field: number, value: boolean | undefined): Fields {
  if (!value) return NONE;
  const key = field * 8 + WIRE_VARINT;
  return { kind: 'true', size: varintSize(key) + 1, key };
}

/** The fields of a message, in order. */
export function message(...parts: Fields[]): Fields {
  const present = parts.filter((part) => part.size > 0);
  if (present.length <= 1) return present[0] ?? NONE;
  let size = 0;
  for (const part of present) size += part.size;
  return { kind: 'sequence', size, parts: present };
}

/** A nested message field, written even when empty: a present sub-message differs from an absent one. */
export function messageField(field: number, ...parts: Fields[]): Fields {
  const payload = message(...parts);
  const key = field * 8 + WIRE_LENGTH_DELIMITED;
  return { kind: 'nested', size: varintSize(key) + varintSize(payload.size) + payload.size, key, payload };
}

/** The bytes of `fields`, written in one pass into a buffer of their exact size. */
export function encode(fields: Fields): Buffer {
  const buffer = Buffer.allocUnsafe(fields.size);
  const end = writeFields(buffer, 0, fields);
  if (end !== buffer.length) throw new Error(`protobuf writer: wrote ${end} of ${buffer.length} bytes`);
  return buffer;
}
