import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GameError } from '../../../../server/game/errors.ts';
import { matchesSelector, parseGameSelector, parseSelector } from '../../../../server/game/state/selector.ts';

describe('label selector', () => {
  const matches = (selector: string, labels: Record<string, string>) =>
    matchesSelector(parseSelector(selector), labels);

  it('matches equality, inequality, sets and existence as kubectl does', () => {
    assert.equal(matches('game=starwars', { game: 'starwars' }), true);
    assert.equal(matches('game==starwars', { game: 'other' }), false);
    assert.equal(matches('game!=starwars', {}), true);
    assert.equal(matches('tier in (front, back),game', { tier: 'back', game: 'x' }), true);
    assert.equal(matches('tier notin (front)', { tier: 'front' }), false);
    assert.equal(matches('!canary', { canary: 'yes' }), false);
    assert.equal(matches('game=starwars,player', { game: 'starwars' }), false);
  });

  it('an unreadable selector is a clear error', () => {
    assert.throws(() => parseSelector('game=(x'), GameError);
  });

  it('the game selector needs a term a pod must carry: a negative-only or empty one would target nearly every pod', () => {
    for (const text of ['!canary', 'env!=prod', 'tier notin (a)', '', 'env!=prod,!canary']) {
      assert.throws(() => parseGameSelector(text), /needs at least one term a pod must carry/, text);
    }
    for (const text of ['game=starwars', 'game==x,!canary', 'tier in (a,b)', 'player', 'env!=prod,game']) {
      assert.doesNotThrow(() => parseGameSelector(text), text);
    }
  });
});
