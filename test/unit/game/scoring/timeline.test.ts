import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ShotEvent } from '../../../../server/game/protocol.ts';
import { roundTimeline } from '../../../../server/game/scoring/timeline.ts';

const shot = (time: number, fleet: string, extra: Partial<ShotEvent> = {}): ShotEvent => ({
  id: time,
  time,
  round: 1,
  uid: `u${time}`,
  name: `p${time}`,
  namespace: 'default',
  fleet,
  outcome: 'hit',
  dryRun: false,
  ...extra,
});

describe('round timeline', () => {
  it('lists real hits and recoveries per fleet in time order, a hit before the recovery at the same instant', () => {
    const timeline = roundTimeline(
      [
        shot(100, 'rc'),
        shot(150, 'solo', { outcome: 'refused', reason: 'kill budget for this minute used up' }),
        shot(200, 'dep', { dryRun: true }),
        shot(300, 'dep'),
        shot(400, 'rc', { outcome: 'missed' }),
      ],
      [
        { time: 250, round: 1, fleet: 'rc', ms: 150, uid: 'x', name: 'rc-x' },
        { time: 300, round: 1, fleet: 'rc', ms: 50 },
      ],
    );
    assert.deepEqual(timeline, [
      { time: 100, fleet: 'rc', kind: 'hit' },
      { time: 250, fleet: 'rc', kind: 'recovered', ms: 150 },
      { time: 300, fleet: 'dep', kind: 'hit' },
      { time: 300, fleet: 'rc', kind: 'recovered', ms: 50 },
    ]);
  });

  it('a round with no shots has an empty timeline', () => {
    assert.deepEqual(roundTimeline([], []), []);
  });
});
