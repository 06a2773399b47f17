import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  MalformedProtobufError,
  WireReader,
  WireType,
} from '../../../../../server/sandbox/api/protobuf/wire.ts';
import { bytesField, varint, varintField } from './encode.ts';

const reader = (bytes: number[]) => new WireReader(Uint8Array.from(bytes));

describe('protobuf wire reader', () => {
  test('varints span bytes, and a negative int32 arrives as ten bytes of two’s complement', () => {
    assert.equal(reader([0xac, 0x02]).varint(), 300n);
    const negative = reader(varint(-5));
    assert.equal(BigInt.asIntN(32, negative.varint()), -5n);
    assert.ok(negative.done);
    assert.equal(reader(varint(2n ** 63n)).varint(), 2n ** 63n);
  });

  test('a tag splits into field number and wire type', () => {
    const r = reader([...bytesField(17, 'x')]);
    assert.deepEqual(r.tag(), { field: 17, wireType: WireType.lengthDelimited });
    assert.deepEqual([...r.lengthDelimited()], [0x78]);
    assert.ok(r.done);
  });

  test('unknown fields of every wire type are skipped, leaving the reader on the next field', () => {
    const r = reader([
      ...varintField(1, 150),
      ...[(2 << 3) | WireType.fixed64, 1, 2, 3, 4, 5, 6, 7, 8],
      ...bytesField(3, 'skipped'),
      ...[(4 << 3) | WireType.fixed32, 1, 2, 3, 4],
      ...varintField(5, 42),
    ]);
    for (let i = 0; i < 4; i++) r.skip(r.tag().wireType);
    assert.deepEqual(r.tag(), { field: 5, wireType: WireType.varint });
    assert.equal(r.varint(), 42n);
    assert.ok(r.done);
  });

  test('truncated and impossible input is refused, never read past the end', () => {
    assert.throws(() => reader([0x80]).varint(), MalformedProtobufError);
    assert.throws(() => reader(Array(11).fill(0xff)).varint(), /longer than 10 bytes/);
    const long = reader([0x0a, 0x05, 0x61]);
    long.tag();
    assert.throws(() => long.lengthDelimited(), /runs past the end/);
    const fixed = reader([(1 << 3) | WireType.fixed64, 1, 2]);
    assert.throws(() => fixed.skip(fixed.tag().wireType), /unexpected end/);
    const group = reader([(1 << 3) | 3]);
    assert.throws(() => group.skip(group.tag().wireType), /unsupported wire type 3/);
    assert.throws(() => reader([0x00]).tag(), /invalid field number 0/);
  });
});
