import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GameError } from '../../../../server/game/errors.ts';
import { matchesSelector, parseSelector } from '../../../../server/game/state/selector.ts';

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
});
