import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chooseTarget,
  DEFAULT_CHAOS,
  mergeChaos,
  nextDelayMs,
  ShotBudget,
} from '../../../../server/game/chaos/choice.ts';
import { GameError } from '../../../../server/game/errors.ts';
import type { Ship, ShipState } from '../../../../server/game/protocol.ts';

const ship = (uid: string, fleet: string, state: ShipState = 'flying', namespace = 'default'): Ship => ({
  uid,
  name: uid,
  namespace,
  fleet,
  state,
  controller: 'Pod',
});

/** Cycles through the given values: a random source whose choices the test knows. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length] as number;
};

const open = { fair: false, isProtected: (ns: string) => ns === 'kube-system' };

describe('target choice', () => {
  it('picks only flying ships outside protected namespaces', () => {
    const ships = [
      ship('w', 'a', 'warping'),
      ship('d', 'a', 'damaged'),
      ship('k', 'a', 'flying', 'kube-system'),
    ];
    assert.equal(chooseTarget(ships, open, Math.random), undefined);
    const seen = new Set<string>();
    for (let r = 0; r < 1; r += 0.1)
      seen.add(chooseTarget([...ships, ship('f', 'a')], open, () => r)?.uid ?? '');
    assert.deepEqual([...seen], ['f']);
  });

  it('uniform choice follows the random source across all flying ships', () => {
    const ships = [ship('a1', 'a'), ship('a2', 'a'), ship('a3', 'a'), ship('b1', 'b')];
    assert.equal(chooseTarget(ships, open, () => 0.99)?.uid, 'b1');
    assert.equal(chooseTarget(ships, open, () => 0.3)?.uid, 'a2');
  });

  it('fair choice picks a fleet first, so a one-ship fleet is hit as often as a big one', () => {
    const ships = [ship('a1', 'a'), ship('a2', 'a'), ship('a3', 'a'), ship('a4', 'a'), ship('b1', 'b')];
    const fair = { ...open, fair: true };
    assert.equal(chooseTarget(ships, fair, sequence(0.6, 0))?.uid, 'b1');
    assert.equal(chooseTarget(ships, fair, sequence(0.1, 0.8))?.uid, 'a4');
  });

  it('delays stay within interval ± jitter', () => {
    const settings = { intervalSeconds: 5, jitter: 0.2 };
    assert.equal(
      nextDelayMs(settings, () => 0),
      4000,
    );
    assert.equal(
      nextDelayMs(settings, () => 0.5),
      5000,
    );
    assert.equal(
      nextDelayMs(settings, () => 0.999999),
      6000,
    );
  });

  it('the kill budget allows so many shots per sliding minute', () => {
    const budget = new ShotBudget();
    assert.equal(budget.take(2, 0), true);
    assert.equal(budget.take(2, 1000), true);
    assert.equal(budget.take(2, 59_999), false);
    assert.equal(budget.take(2, 60_000), true);
    assert.equal(budget.take(2, 61_000), true, 'the shot at 1 s left the minute too');
    assert.equal(budget.take(2, 61_000), false);
  });

  it('settings updates are checked and a bad value changes nothing', () => {
    const next = mergeChaos(DEFAULT_CHAOS, {
      auto: true,
      intervalSeconds: 0.2,
      capitalShips: { enabled: true },
    });
    assert.equal(next.auto, true);
    assert.equal(next.capitalShips.hitsToDestroy, 20);
    assert.throws(() => mergeChaos(next, { jitter: 2 }), GameError);
    assert.throws(() => mergeChaos(next, { weapon: 'laser' as 'delete' }), GameError);
    assert.throws(() => mergeChaos(next, { budgetPerMinute: -1 }), GameError);
  });
});
