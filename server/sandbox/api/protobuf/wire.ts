// Protocol buffers wire format: tags, varints and length-delimited fields, read from a byte slice.

export const WireType = { varint: 0, fixed64: 1, lengthDelimited: 2, fixed32: 5 } as const;

/** A body that is not valid protobuf: truncated, a length past the end, a varint too long, a group. */
export class MalformedProtobufError extends Error {}

export interface Tag {
  field: number;
  wireType: number;
}

export class WireReader {
  private pos = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  /** Unsigned 64-bit varint; callers narrow it to the field's signed width. */
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.bytes.length)
        throw new MalformedProtobufError('unexpected end of data in a varint');
      const byte = this.bytes[this.pos++] as number;
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return BigInt.asUintN(64, result);
    }
    throw new MalformedProtobufError('varint longer than 10 bytes');
  }

  tag(): Tag {
    const key = this.varint();
    const field = Number(key >> 3n);
    if (field < 1 || field > 0x1fffffff) throw new MalformedProtobufError(`invalid field number ${field}`);
    return { field, wireType: Number(key & 7n) };
  }

  lengthDelimited(): Uint8Array {
    const length = this.varint();
    if (length > BigInt(this.bytes.length - this.pos)) {
      throw new MalformedProtobufError('a length-delimited field runs past the end of its message');
    }
    const start = this.pos;
    this.pos += Number(length);
    return this.bytes.subarray(start, this.pos);
  }

  private advance(count: number): void {
    if (this.pos + count > this.bytes.length) throw new MalformedProtobufError('unexpected end of data');
    this.pos += count;
  }

  /** Skips a field this reader's caller does not know, as protobuf parsers must. */
  skip(wireType: number): void {
    switch (wireType) {
      case WireType.varint:
        this.varint();
        return;
      case WireType.fixed64:
        this.advance(8);
        return;
      case WireType.lengthDelimited:
        this.lengthDelimited();
        return;
      case WireType.fixed32:
        this.advance(4);
        return;
      default:
        throw new MalformedProtobufError(`unsupported wire type ${wireType}`);
    }
  }
}
