import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cloneJson } from '../../../../server/sandbox/registry/clone.ts';

describe('stored object copies', () => {
  test('a copy shares nothing with its source', () => {
    const source = {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'c', ports: [80] }] },
    };
    const copy = cloneJson(source);
    assert.deepEqual(copy, source);
    copy.metadata.labels.app = 'db';
    copy.spec.containers[0]?.ports.push(443);
    assert.equal(source.metadata.labels.app, 'web');
    assert.deepEqual(source.spec.containers[0]?.ports, [80]);
  });

  test('a __proto__ key read from JSON stays data in the copy', () => {
    const source = JSON.parse('{"data":{"__proto__":{"polluted":true}}}') as {
      data: Record<string, unknown>;
    };
    const copy = cloneJson(source);
    assert.deepEqual(Object.keys(copy.data), ['__proto__']);
    assert.equal(Object.getPrototypeOf(copy.data), Object.prototype);
    assert.equal((copy.data as { polluted?: boolean }).polluted, undefined);
  });

  test('null, strings, numbers and booleans copy as themselves', () => {
    assert.deepEqual(cloneJson({ a: null, b: 'x', c: 1.5, d: false, e: [null, 0] }), {
      a: null,
      b: 'x',
      c: 1.5,
      d: false,
      e: [null, 0],
    });
  });
});
