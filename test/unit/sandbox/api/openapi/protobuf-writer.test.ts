import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  boolField,
  encode,
  message,
  messageField,
  repeatedStringField,
  stringField,
} from '../../../../../server/sandbox/api/openapi/protobuf-writer.ts';
import { readFields, text, texts } from './reader.ts';

const hex = (fields: Parameters<typeof encode>[0]) => encode(fields).toString('hex');

describe('protobuf writer', () => {
  test('varints (keys and lengths) take 7 bits a byte, low bits first', () => {
    assert.equal(hex(stringField(15, 'a')), '7a0161');
    assert.equal(hex(stringField(16, 'a')), '82010161');
    assert.equal(hex(stringField(1, 'x'.repeat(127))).slice(0, 4), '0a7f');
    assert.equal(hex(stringField(1, 'x'.repeat(128))).slice(0, 6), '0a8001');
    assert.equal(hex(stringField(1, 'x'.repeat(300))).slice(0, 6), '0aac02');
  });

  test('a string field is its key, byte length and UTF-8 bytes', () => {
    assert.equal(hex(stringField(1, '2.0')), '0a03322e30');
    assert.equal(text(encode(stringField(4, 'café ☸')), 4), 'café ☸');
    assert.equal(hex(stringField(4, 'é')), '2202c3a9');
  });

  test('proto3 defaults are left out of singular fields but kept in repeated ones', () => {
    assert.equal(stringField(1, '').size, 0);
    assert.equal(stringField(1, undefined).size, 0);
    assert.equal(boolField(20, false).size, 0);
    assert.equal(hex(boolField(20, true)), 'a00101');
    assert.deepEqual(texts(encode(repeatedStringField(1, ['', 'object'])), 1), ['', 'object']);
  });

  test('a nested message is written even when empty, and lengths past one byte nest correctly', () => {
    assert.equal(hex(messageField(9)), '4a00');
    const long = 'x'.repeat(20_000);
    const nested = encode(
      message(stringField(1, 'a'), messageField(8, messageField(2, stringField(1, long)))),
    );
    assert.equal(
      nested.length,
      3 + (1 + 3) * 3 + 20_000,
      'each length prefix of the three levels takes 3 bytes',
    );
    const [first, second] = readFields(nested);
    assert.equal(first?.field, 1);
    assert.equal(second?.field, 8);
    const inner = readFields(second?.bytes as Uint8Array)[0];
    assert.equal(text(inner?.bytes as Uint8Array, 1), long);
  });

  test('a part shared by several messages is written in each', () => {
    const shared = messageField(2, stringField(1, 'pretty'));
    assert.equal(
      hex(message(messageField(8, shared), messageField(8, shared))),
      '420a12080a06707265747479'.repeat(2),
    );
  });
});
