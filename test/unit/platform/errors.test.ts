import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiException } from '@kubernetes/client-node';
import { statusCode } from '../../../server/errors.ts';
import { notFound } from '../../../server/sandbox/errors.ts';

describe('statusCode', () => {
  test('reads the code of a sandbox Status, a client-node ApiException and an HTTP error', () => {
    assert.equal(statusCode(notFound('pods', 'web')), 404);
    assert.equal(statusCode(new ApiException(409, 'Conflict', {}, {})), 409);
    assert.equal(statusCode({ statusCode: 503 }), 503);
  });

  test('is undefined for errors that carry no HTTP status', () => {
    assert.equal(statusCode(new Error('socket hang up')), undefined);
    assert.equal(statusCode({ code: 'ECONNREFUSED' }), undefined);
    assert.equal(statusCode(undefined), undefined);
  });
});
