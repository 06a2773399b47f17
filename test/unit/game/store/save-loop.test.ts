import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ShotEvent } from '../../../../server/game/protocol.ts';
import { Scoreboard } from '../../../../server/game/scoring/scoreboard.ts';
import { type SaveBatch, SaveLoop } from '../../../../server/game/store/save-loop.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const shot = (id: number): ShotEvent => ({
  id,
  time: id,
  round: 1,
  uid: `u${id}`,
  name: `x-${id}`,
  namespace: 'default',
  fleet: 'luke',
  outcome: 'hit',
  dryRun: false,
});

function loop() {
  const clock = new FakeClock();
  const board = new Scoreboard();
  const written: SaveBatch[] = [];
  let failing = false;
  let ticks = 0;
  const saves = new SaveLoop({
    clock,
    intervalMs: 1000,
    // Standings at a fixed time: only what the test changes changes the scores.
    scores: () => ({ data: board.toSaved(), standings: board.standings(0) }),
    write(batch) {
      if (failing) throw new Error('disk full');
      written.push(batch);
    },
    onTick: () => ticks++,
  });
  return { clock, board, written, saves, fail: (f: boolean) => (failing = f), ticks: () => ticks };
}

describe('the save loop', () => {
  it('writes once a second by itself, and only when something changed', () => {
    const { clock, board, written, saves, ticks } = loop();
    saves.start();
    board.updateFleet('luke', { flying: 1, total: 1, controllers: ['Pod'] }, 0);
    saves.shot(shot(1));
    clock.advance(999);
    assert.equal(written.length, 0, 'not before the interval');
    clock.advance(1);
    assert.deepEqual(
      written.map((b) => [b.shots.map((s) => s.id), b.standings.map((f) => f.player)]),
      [[[1], ['luke']]],
    );
    clock.advance(5000);
    assert.equal(written.length, 1, 'nothing new: nothing written');
    assert.equal(ticks(), 6, 'each tick is announced, written or not');
  });

  it('keeps a failed batch and writes it, in order, with the next one', () => {
    const { clock, written, saves, fail } = loop();
    saves.start();
    fail(true);
    saves.shot(shot(1));
    clock.advance(1000);
    fail(false);
    saves.shot(shot(2));
    clock.advance(1000);
    assert.deepEqual(
      written.map((b) => b.shots.map((s) => s.id)),
      [[1, 2]],
    );
  });

  it('saveNow() writes at once, and close() writes what is left and stops the timer', () => {
    const { clock, written, saves } = loop();
    saves.start();
    saves.shot(shot(1));
    saves.saveNow();
    assert.equal(written.length, 1);
    saves.recovery({ time: 1, round: 1, fleet: 'luke', ms: 500 });
    saves.close();
    assert.deepEqual(
      written[1]?.recoveries.map((r) => r.ms),
      [500],
    );
    assert.equal(clock.pending, 0);
  });
});
