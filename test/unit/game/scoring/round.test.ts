import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GameError } from '../../../../server/game/errors.ts';
import {
  begin,
  dueTransition,
  finish,
  newRound,
  nextDeadline,
  pause,
  requireRound,
  resume,
  RoundTimer,
} from '../../../../server/game/scoring/round.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const T0 = 1_000_000;
const is = (status: number) => (e: unknown) => e instanceof GameError && e.status === status;

describe('the round lifecycle', () => {
  it('counts down 3 s, then runs for its duration from the end of the countdown', () => {
    const r = newRound(null, 1, 60, T0);
    assert.equal(r.status, 'countdown');
    assert.equal(nextDeadline(r), T0 + 3000);
    assert.equal(dueTransition(r, T0 + 2999), null);
    assert.equal(dueTransition(r, T0 + 5000), 'begin');
    begin(r);
    assert.equal(r.startedAt, T0 + 3000, 'a late tick (a restart) does not move the start');
    assert.equal(r.endsAt, T0 + 63_000);
    assert.equal(dueTransition(r, T0 + 63_000), 'finish');
  });

  it('a pause freezes the time left and a resume moves the end by the time paused', () => {
    const r = newRound(null, 1, 60, T0);
    begin(r);
    pause(r, T0 + 10_000);
    assert.equal(nextDeadline(r), null, 'a paused round never ends by itself');
    resume(r, T0 + 25_000);
    assert.equal(r.endsAt, T0 + 78_000);
    assert.equal(r.pausedAt, null);
  });

  it('refuses a bad duration (400), a second round under way and actions that do not fit (409)', () => {
    assert.throws(() => newRound(null, 1, 0, T0), is(400));
    const r = newRound(null, 1, 60, T0);
    assert.throws(() => newRound(r, 2, 60, T0), is(409));
    assert.throws(() => requireRound(null, 'pause', ['running']), /no round to pause: start one first/);
    assert.throws(() => requireRound(r, 'pause', ['running']), /Round 1 is countdown: it cannot pause now/);
    finish(r, T0 + 1, []);
    assert.equal(newRound(r, 2, 60, T0).id, 2, 'a finished round makes way for the next');
  });
});

describe('the round timer', () => {
  it('moves the round on at each deadline and re-arms after a change', () => {
    const clock = new FakeClock(T0);
    const r = newRound(null, 1, 10, T0);
    const changes: string[] = [];
    const timer: RoundTimer = new RoundTimer({
      clock,
      deadline: () => nextDeadline(r),
      tick(now) {
        const due = dueTransition(r, now);
        if (due === 'begin') begin(r);
        if (due === 'finish') finish(r, now, []);
        return due !== null;
      },
      changed() {
        changes.push(`${r.status} at ${clock.now() - T0}`);
        timer.arm();
      },
    });
    timer.arm();
    clock.advance(20_000);
    assert.deepEqual(changes, ['running at 3000', 'finished at 13000']);
    assert.equal(clock.pending, 0, 'a finished round leaves no timer');
  });

  it('close() drops the pending deadline', () => {
    const clock = new FakeClock(T0);
    const r = newRound(null, 1, 10, T0);
    const timer = new RoundTimer({ clock, deadline: () => nextDeadline(r), tick: () => true, changed() {} });
    timer.arm();
    timer.close();
    timer.arm();
    assert.equal(clock.pending, 0);
  });
});
