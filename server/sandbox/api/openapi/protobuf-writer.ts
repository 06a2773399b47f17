// Protocol buffers wire encoding for the field kinds the OpenAPI v2 document uses: strings, booleans and nested
// messages. Proto3 rules: a singular string or bool equal to its default is left out; repeated entries never are.

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const EMPTY = new Uint8Array(0);

/** The one-byte varints (0 to 127: every field key here, most lengths), made once: documents write thousands. */
const SMALL_VARINTS = Array.from({ length: 0x80 }, (_, value) => Uint8Array.of(value));

/** Unsigned varint; division rather than bit shifts so lengths past 2^31 stay exact. */
export function encodeVarint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a varint: ${value}`);
  if (value < 0x80) return SMALL_VARINTS[value] as Uint8Array;
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Uint8Array.from(bytes);
}

const key = (field: number, wireType: number) => encodeVarint(field * 8 + wireType);

function delimited(field: number, payload: Uint8Array): Uint8Array {
  return Buffer.concat([key(field, WIRE_LENGTH_DELIMITED), encodeVarint(payload.length), payload]);
}

/** A singular string field: absent when empty or undefined. */
export function stringField(field: number, value: string | undefined): Uint8Array {
  return value ? delimited(field, Buffer.from(value, 'utf8')) : EMPTY;
}

/** A repeated string field: one entry per value, empty strings included. */
export function repeatedStringField(field: number, values: readonly string[] | undefined): Uint8Array {
  return Buffer.concat((values ?? []).map((value) => delimited(field, Buffer.from(value, 'utf8'))));
}

/** A singular bool field: absent when false or undefined. */
export function boolField(field: number, value: boolean | undefined): Uint8Array {
  return value ? Buffer.concat([key(field, WIRE_VARINT), Uint8Array.of(1)]) : EMPTY;
}

/** A nested message field, written even when empty: a present sub-message differs from an absent one. */
export function messageField(field: number, ...parts: Uint8Array[]): Uint8Array {
  return delimited(field, Buffer.concat(parts));
}

/** The fields of a top-level message, in order. */
export const message = (...parts: Uint8Array[]): Buffer => Buffer.concat(parts);
