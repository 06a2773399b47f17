import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bearerToken, tokenMatches } from '../../../../server/game/web/auth.ts';

describe('instructor token', () => {
  test('only the exact token matches', () => {
    assert.equal(tokenMatches('s3cret-token', 's3cret-token'), true);
    for (const guess of ['s3cret-toke', 's3cret-tokenn', 'S3CRET-TOKEN', '', undefined]) {
      assert.equal(tokenMatches('s3cret-token', guess), false, String(guess));
    }
  });

  test('an empty configured token matches nothing, not even an empty guess', () => {
    assert.equal(tokenMatches('', ''), false);
  });

  test('the bearer token is read from the Authorization header, scheme case-insensitive', () => {
    assert.equal(bearerToken('Bearer abc.def-_'), 'abc.def-_');
    assert.equal(bearerToken('bearer   abc'), 'abc');
    for (const header of [undefined, '', 'Basic abc', 'Bearer', 'Bearer a b', 'Bearerabc']) {
      assert.equal(bearerToken(header), undefined, String(header));
    }
  });
});
