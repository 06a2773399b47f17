import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { jsonTree, valueTree } from '../../../../server/sandbox/validation-fields/json-tree.ts';

describe('jsonTree', () => {
  test('reads any JSON text as the tree of its decoded value, keys in document order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        const text = pretty ? JSON.stringify(value, null, '\t') : JSON.stringify(value);
        assert.deepEqual(jsonTree(text), valueTree(JSON.parse(text), false));
      }),
      { numRuns: 500 },
    );
  });

  test('decodes escapes in keys and strings, and keeps plain ones as written', () => {
    const tree = jsonTree('{"a\\"b": "line\\nbreak \\u00e9", "plain": "x y", "n": -1.5e3}');
    assert.deepEqual(tree, {
      type: 'object',
      entries: [
        ['a"b', { type: 'scalar', kind: 'string', text: 'line\nbreak é' }],
        ['plain', { type: 'scalar', kind: 'string', text: 'x y' }],
        ['n', { type: 'scalar', kind: 'number', text: '-1.5e3' }],
      ],
    });
  });

  test('keeps both values of a repeated key', () => {
    const tree = jsonTree('{"a":1,"a":[true,null]}');
    assert.equal(tree.type === 'object' && tree.entries.length, 2);
  });
});
