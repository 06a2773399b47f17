import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  bearerToken,
  checkInstructorToken,
  FailedAttempts,
  tokenMatches,
} from '../../../../server/game/web/auth.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

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

describe('wrong instructor tokens', () => {
  test('are counted per address in a window; a blocked address is free again when the window ends', () => {
    const clock = new FakeClock();
    const attempts = new FailedAttempts(2, 60_000, clock);
    assert.equal(checkInstructorToken('t', 'x', 'a', attempts), 'wrong');
    assert.equal(checkInstructorToken('t', undefined, 'a', attempts), 'missing');
    assert.equal(checkInstructorToken('t', 't', 'a', attempts), 'ok');
    assert.equal(checkInstructorToken('t', 'y', 'a', attempts), 'wrong');
    assert.equal(checkInstructorToken('t', 't', 'a', attempts), 'blocked');
    assert.equal(checkInstructorToken('t', 't', 'b', attempts), 'ok', 'another address');
    assert.equal(attempts.retryAfterSeconds('a'), 60);
    clock.advance(60_000);
    assert.equal(checkInstructorToken('t', 't', 'a', attempts), 'ok');
  });
});
