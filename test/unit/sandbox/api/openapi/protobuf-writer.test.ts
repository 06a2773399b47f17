import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  boolField,
  encodeVarint,
  message,
  messageField,
  repeatedStringField,
  stringField,
} from '../../../../../server/sandbox/api/openapi/protobuf-writer.ts';
import { readFields, text, texts } from './reader.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('protobuf writer', () => {
  test('varints take 7 bits a byte, low bits first', () => {
    assert.equal(hex(encodeVarint(0)), '00');
    assert.equal(hex(encodeVarint(127)), '7f');
    assert.equal(hex(encodeVarint(128)), '8001');
    assert.equal(hex(encodeVarint(300)), 'ac02');
    assert.equal(hex(encodeVarint(2 ** 32)), '8080808010');
    assert.throws(() => encodeVarint(-1), RangeError);
  });

  test('a string field is its key, byte length and UTF-8 bytes', () => {
    assert.equal(hex(stringField(1, '2.0')), '0a03322e30');
    assert.equal(text(stringField(4, 'café ☸'), 4), 'café ☸');
    assert.equal(hex(stringField(4, 'é')), '2202c3a9');
  });

  test('proto3 defaults are left out of singular fields but kept in repeated ones', () => {
    assert.equal(stringField(1, '').length, 0);
    assert.equal(stringField(1, undefined).length, 0);
    assert.equal(boolField(20, false).length, 0);
    assert.equal(hex(boolField(20, true)), 'a00101');
    assert.deepEqual(texts(repeatedStringField(1, ['', 'object']), 1), ['', 'object']);
  });

  test('a nested message is written even when empty, and lengths past one byte nest correctly', () => {
    assert.equal(hex(messageField(9)), '4a00');
    const long = 'x'.repeat(20_000);
    const nested = message(stringField(1, 'a'), messageField(8, messageField(2, stringField(1, long))));
    const [first, second] = readFields(nested);
    assert.equal(first?.field, 1);
    assert.equal(second?.field, 8);
    const inner = readFields(second?.bytes as Uint8Array)[0];
    assert.equal(text(inner?.bytes as Uint8Array, 1), long);
  });
});
