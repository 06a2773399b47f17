import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GamePatch, Ship } from '../../../server/game/protocol.ts';
import { diffViews, PatchStream, type SyncView } from '../../../server/game/sync/patches.ts';
import { FakeClock } from '../../support/fake-clock.ts';

const ship = (uid: string, state: Ship['state'] = 'flying'): Ship => ({
  uid,
  name: uid,
  namespace: 'default',
  fleet: 'a',
  state,
  controller: 'Pod',
});
const view = (ships: Ship[], extra: Partial<SyncView> = {}): SyncView => ({
  ships: new Map(ships.map((s) => [s.uid, s])),
  fleets: [],
  round: null,
  connected: true,
  reconnectingSince: null,
  ...extra,
});

/** A stream over an empty view, recording what it sends: for the shot and recovery events. */
function streamOfEvents() {
  const clock = new FakeClock();
  const stream = new PatchStream({ clock, view: () => view([]) });
  const sent: GamePatch[] = [];
  stream.onPatch((p) => sent.push(p));
  return { clock, stream, sent };
}
const shot = { time: 1, round: 1, uid: 'a', name: 'a', namespace: 'd', fleet: 'f', dryRun: false };

describe('patches', () => {
  it('diff lists changed and removed ships, changed fleets, round and connection', () => {
    const a = ship('a');
    const b = ship('b');
    const b2 = ship('b', 'damaged');
    const prev = view([a, b]);
    const next = view([b2], {
      connected: false,
      reconnectingSince: 5,
      round: { id: 1, status: 'countdown', startedAt: null, endsAt: null },
    });
    assert.deepEqual(
      diffViews(prev, next).map((op) => op.op),
      ['connection', 'round', 'ship', 'shipRemoved'],
    );
    assert.deepEqual(diffViews(next, next), []);
  });

  it('many changes within the interval go out as one numbered patch, and nothing goes out when nothing changed', () => {
    const clock = new FakeClock();
    let current = view([]);
    const stream = new PatchStream({ clock, view: () => current, intervalMs: 50 });
    const sent: GamePatch[] = [];
    stream.onPatch((p) => sent.push(p));
    current = view([ship('a')]);
    stream.changed();
    current = view([ship('a'), ship('b')]);
    stream.changed();
    clock.advance(0);
    assert.deepEqual(
      sent.map((p) => [p.seq, p.ops.length]),
      [[1, 2]],
    );
    current = view([ship('a'), ship('b'), ship('c')]);
    stream.changed();
    clock.advance(49);
    assert.equal(sent.length, 1, 'waits for the interval since the last flush');
    clock.advance(1);
    assert.deepEqual(
      sent.map((p) => p.seq),
      [1, 2],
    );
    stream.changed();
    clock.advance(100);
    assert.equal(sent.length, 2, 'no empty patch');
  });

  it('shots are sent in the next patch, in order', () => {
    const { clock, stream, sent } = streamOfEvents();
    stream.shot({ ...shot, outcome: 'hit' });
    stream.shot({ ...shot, outcome: 'missed' });
    clock.advance(50);
    assert.deepEqual(
      sent[0]?.ops.map((op) => (op.op === 'shot' ? op.shot.outcome : op.op)),
      ['hit', 'missed'],
    );
  });

  it('recoveries go out in the next patch, in order with the shots around them', () => {
    const { clock, stream, sent } = streamOfEvents();
    stream.shot({ ...shot, outcome: 'hit' });
    stream.recovery({ time: 2, round: 1, fleet: 'f', ms: 900, uid: 'b', name: 'b' });
    stream.shot({ ...shot, outcome: 'missed' });
    clock.advance(50);
    assert.deepEqual(sent[0]?.ops, [
      { op: 'shot', shot: { ...shot, outcome: 'hit' } },
      { op: 'recovery', recovery: { time: 2, round: 1, fleet: 'f', ms: 900, uid: 'b', name: 'b' } },
      { op: 'shot', shot: { ...shot, outcome: 'missed' } },
    ]);
  });
});
