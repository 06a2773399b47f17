import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pacedClock } from '../../../../server/sandbox/controllers/paced-clock.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

/** Holds the thread for `ms`, as a heavy reconcile pass does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('paced clock', () => {
  test('runs callbacks in the order they fall due, delays included', () => {
    const base = new FakeClock();
    const clock = pacedClock(base);
    const ran: string[] = [];
    clock.setTimeout(() => ran.push('later'), 10);
    clock.setTimeout(() => ran.push('first'), 0);
    clock.setTimeout(() => ran.push('second'), 0);
    base.advance(9);
    assert.deepEqual(ran, ['first', 'second']);
    base.advance(1);
    assert.deepEqual(ran, ['first', 'second', 'later']);
    assert.equal(clock.now(), base.now());
  });

  test('a cleared callback never runs, whether still delayed or already due', () => {
    const base = new FakeClock();
    const clock = pacedClock(base);
    const ran: string[] = [];
    const delayed = clock.setTimeout(() => ran.push('delayed'), 5);
    const due = clock.setTimeout(() => ran.push('due'), 0);
    clock.setTimeout(() => ran.push('kept'), 0);
    clock.clearTimeout(delayed);
    clock.clearTimeout(due);
    base.advance(10);
    assert.deepEqual(ran, ['kept']);
    assert.equal(base.pending, 0);
  });

  test('work beyond a slice waits for the next turn of the loop, then runs in order', () => {
    const base = new FakeClock();
    const clock = pacedClock(base);
    const ran: number[] = [];
    for (let i = 0; i < 3; i++)
      clock.setTimeout(() => {
        busy(6);
        ran.push(i);
      }, 0);
    // One turn: the first callback used up the slice; the others wait, still queued.
    assert.equal(base.fireNext(base.now()), true);
    assert.deepEqual(ran, [0]);
    assert.equal(base.pending, 1);
    base.advance(0);
    assert.deepEqual(ran, [0, 1, 2]);
  });

  test('callbacks scheduled while a slice runs join the same queue', () => {
    const base = new FakeClock();
    const clock = pacedClock(base);
    const ran: string[] = [];
    clock.setTimeout(() => {
      ran.push('outer');
      clock.setTimeout(() => ran.push('inner'), 0);
    }, 0);
    base.advance(0);
    assert.deepEqual(ran, ['outer', 'inner']);
  });

  test('clusters on one clock share one pace', () => {
    const base = new FakeClock();
    assert.equal(pacedClock(base), pacedClock(base));
    assert.notEqual(pacedClock(base), pacedClock(new FakeClock()));
  });
});
