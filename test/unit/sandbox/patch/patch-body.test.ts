import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { malformedPatchBody } from '../../../../server/sandbox/patch/patch-body.ts';

describe('patch bodies', () => {
  it('a null merge or strategic merge patch is the apiserver’s 400 "Invalid JSON Patch"', () => {
    assert.equal(malformedPatchBody('merge', null), 'Invalid JSON Patch');
    assert.equal(malformedPatchBody('strategic', null), 'Invalid JSON Patch');
  });

  it('an apply patch must be an object', () => {
    for (const body of [null, [], 'x', 3])
      assert.match(malformedPatchBody('apply', body) ?? '', /must be an object/);
    assert.equal(malformedPatchBody('apply', { apiVersion: 'v1', kind: 'Pod' }), undefined);
  });

  it('other bodies go on to their patch, which answers for itself', () => {
    assert.equal(malformedPatchBody('merge', { metadata: null }), undefined);
    assert.equal(malformedPatchBody('merge', [1]), undefined);
    assert.equal(malformedPatchBody('json', null), undefined);
  });
});
