// A few protobuf writers, so tests can build the edge cases kubectl's captured bodies do not contain.

export function varint(value: number | bigint): number[] {
  let rest = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (rest >= 0x80n) {
    out.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  out.push(Number(rest));
  return out;
}

export const varintField = (field: number, value: number | bigint) => [
  ...varint(field << 3),
  ...varint(value),
];

export function bytesField(field: number, content: number[] | string): number[] {
  const bytes = typeof content === 'string' ? [...Buffer.from(content, 'utf8')] : content;
  return [...varint((field << 3) | 2), ...varint(bytes.length), ...bytes];
}

/** A map entry field: key 1, value 2. */
export const entry = (field: number, key: string, value: number[] | string) =>
  bytesField(field, [...bytesField(1, key), ...bytesField(2, value)]);

/** A whole request body: the `k8s\0` magic and runtime.Unknown around the object's bytes. */
export const envelope = (apiVersion: string, kind: string, raw: number[]) =>
  Uint8Array.from([
    0x6b,
    0x38,
    0x73,
    0x00,
    ...bytesField(1, [...bytesField(1, apiVersion), ...bytesField(2, kind)]),
    ...bytesField(2, raw),
  ]);
