import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TokenBuckets } from '../../../server/lessons/throttle.ts';

describe('token buckets', () => {
  test('a client gets its burst at once, then one request per refill, and says how long to wait', () => {
    let now = 0;
    const buckets = new TokenBuckets({ burst: 3, perSecond: 0.5 }, () => now);
    assert.deepEqual([buckets.take('a'), buckets.take('a'), buckets.take('a')], [0, 0, 0]);
    assert.equal(buckets.take('a'), 2);
    now = 1000;
    assert.equal(buckets.take('a'), 1);
    now = 2000;
    assert.equal(buckets.take('a'), 0);
    assert.equal(buckets.take('a'), 2);
  });

  test('clients are throttled apart', () => {
    const buckets = new TokenBuckets({ burst: 1, perSecond: 1 }, () => 0);
    assert.equal(buckets.take('a'), 0);
    assert.equal(buckets.take('b'), 0);
    assert.equal(buckets.take('a'), 1);
  });

  test('the buckets remembered stay bounded however many addresses ask', () => {
    let now = 0;
    const buckets = new TokenBuckets({ burst: 2, perSecond: 1 }, () => now, 100);
    for (let i = 0; i < 1000; i++) {
      buckets.take(`10.0.${Math.floor(i / 250)}.${i % 250}`);
      now += 10;
    }
    assert.ok(buckets.size <= 100, `${buckets.size} buckets`);
    // The most recent client is still held to its allowance.
    buckets.take('10.0.3.249');
    assert.ok(buckets.take('10.0.3.249') > 0);
  });
});
