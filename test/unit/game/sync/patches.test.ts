import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CHAOS } from '../../../../server/game/chaos/choice.ts';
import type { GamePatch, Ship } from '../../../../server/game/protocol.ts';
import { ShardMap } from '../../../../server/game/state/shard-map.ts';
import { diffViews, PatchStream, type SyncView } from '../../../../server/game/sync/patches.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { fleet } from '../../../support/game-fixtures.ts';

const ship = (uid: string, state: Ship['state'] = 'flying'): Ship => ({
  uid,
  name: uid,
  namespace: 'default',
  fleet: 'a',
  state,
  controller: 'Pod',
});
const view = (ships: Ship[], extra: Partial<SyncView> = {}): SyncView => ({
  ships: ships.reduce((map, s) => map.with(s.uid, s), ShardMap.empty<Ship>()),
  fleets: [],
  round: null,
  connected: true,
  reconnectingSince: null,
  chaos: DEFAULT_CHAOS,
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
const shot = { id: 1, time: 1, round: 1, uid: 'a', name: 'a', namespace: 'd', fleet: 'f', dryRun: false };

describe('patches', () => {
  it('diff lists changed and removed ships, round, chaos settings and connection', () => {
    const a = ship('a');
    const b = ship('b');
    const b2 = ship('b', 'damaged');
    const prev = view([a, b]);
    const next = view([b2], {
      connected: false,
      reconnectingSince: 5,
      round: { id: 1, status: 'countdown', startedAt: null, endsAt: null },
      chaos: { ...DEFAULT_CHAOS, halted: true },
    });
    assert.deepEqual(
      diffViews(prev, next, false).ops.map((op) => op.op),
      ['connection', 'round', 'chaos', 'ship', 'shipRemoved'],
    );
    assert.deepEqual(diffViews(next, next, true).ops, []);
  });

  it('a fleet whose uptime alone moved waits for the refresh; one with news goes at once, with fresh uptime', () => {
    const prev = view([], { fleets: [fleet('a'), fleet('b', { rank: 2 })] });
    const next = view([], {
      fleets: [fleet('a', { uptime: 0.9, hits: 1 }), fleet('b', { rank: 2, uptime: 0.8 })],
    });
    const { ops, sent } = diffViews(prev, next, false);
    assert.deepEqual(ops, [{ op: 'fleet', fleet: fleet('a', { uptime: 0.9, hits: 1 }) }]);
    assert.equal(sent.fleets[1]?.uptime, 1, 'what clients have: the old uptime of b');
    assert.deepEqual(
      diffViews(sent, next, true).ops,
      [{ op: 'fleet', fleet: fleet('b', { rank: 2, uptime: 0.8 }) }],
      'the refresh sends it',
    );
  });

  it('ranks that change alone go out at once as one ranks op, not as whole fleets', () => {
    const prev = view([], {
      fleets: [fleet('a', { rank: 1 }), fleet('b', { rank: 2 }), fleet('c', { rank: 3 })],
    });
    const next = view([], {
      fleets: [
        fleet('b', { rank: 1, uptime: 0.99 }),
        fleet('a', { rank: 2, uptime: 0.98, shipsLost: 1 }),
        fleet('c', { rank: 3 }),
      ],
    });
    const { ops, sent } = diffViews(prev, next, false);
    assert.deepEqual(ops, [
      { op: 'fleet', fleet: fleet('a', { rank: 2, uptime: 0.98, shipsLost: 1 }) },
      { op: 'ranks', ranks: { b: 1 } },
    ]);
    assert.deepEqual(
      sent.fleets.map((f) => [f.player, f.rank, f.uptime]),
      [
        ['b', 1, 1],
        ['a', 2, 0.98],
        ['c', 3, 1],
      ],
      'clients have b’s new rank with its old uptime',
    );
  });

  it('a fleet that left the standings goes out as fleetRemoved, and the others move up by rank', () => {
    const prev = view([], { fleets: [fleet('a', { rank: 1 }), fleet('b', { rank: 2 })] });
    const next = view([], { fleets: [fleet('b', { rank: 1 })] });
    const { ops, sent } = diffViews(prev, next, false);
    assert.deepEqual(ops, [
      { op: 'fleetRemoved', player: 'a' },
      { op: 'ranks', ranks: { b: 1 } },
    ]);
    assert.deepEqual(diffViews(sent, next, false).ops, []);
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

  it('a burst of patches goes out back to back, then one per interval until the bucket refills', () => {
    const clock = new FakeClock();
    let current = view([]);
    const stream = new PatchStream({ clock, view: () => current, intervalMs: 16, burst: 3 });
    const sent: GamePatch[] = [];
    stream.onPatch((p) => sent.push(p));
    const change = (ships: string[]) => {
      current = view(ships.map((name) => ship(name)));
      stream.changed();
      clock.advance(0);
    };
    change(['a']);
    change(['a', 'b']);
    change(['a', 'b', 'c']);
    assert.equal(sent.length, 3, 'three changes in a row: three patches at once');
    change(['a', 'b', 'c', 'd']);
    assert.equal(sent.length, 3, 'the fourth waits for the bucket');
    clock.advance(15);
    assert.equal(sent.length, 3);
    clock.advance(1);
    assert.equal(sent.length, 4, 'one patch an interval later');
    clock.advance(48);
    change(['a']);
    change(['a', 'b']);
    change(['a', 'b', 'c']);
    assert.equal(sent.length, 7, 'a quiet spell of three intervals refills the bucket');
  });

  it('a change that can wait rides along with the next flush, and goes out by itself when its time is up', () => {
    const clock = new FakeClock();
    const b = ship('b');
    let current = view([ship('a'), b]);
    const stream = new PatchStream({ clock, view: () => current, intervalMs: 16 });
    const sent: GamePatch[] = [];
    stream.onPatch((p) => sent.push(p));
    current = view([b]);
    stream.changedWithin(1000);
    clock.advance(300);
    assert.equal(sent.length, 0, 'waits');
    current = view([b, ship('c')]);
    stream.changed();
    clock.advance(0);
    assert.deepEqual(
      sent.map((p) => p.ops.map((op) => op.op)),
      [['ship', 'shipRemoved']],
      'one patch for both',
    );
    current = view([]);
    stream.changedWithin(1000);
    stream.changedWithin(1000);
    clock.advance(999);
    assert.equal(sent.length, 1);
    clock.advance(1);
    assert.deepEqual(
      sent.map((p) => p.seq),
      [1, 2],
    );
  });

  it('a shot waits an interval for the ship change it caused, which then goes out at once with it', () => {
    const clock = new FakeClock();
    const a = ship('a');
    let current = view([a]);
    const stream = new PatchStream({ clock, view: () => current, intervalMs: 16 });
    const sent: GamePatch[] = [];
    stream.onPatch((p) => sent.push(p));
    stream.shot({ ...shot, outcome: 'hit' });
    clock.advance(5);
    assert.equal(sent.length, 0);
    current = view([{ ...a, state: 'destroyed' }]);
    stream.changed();
    clock.advance(0);
    assert.deepEqual(
      sent.map((p) => p.ops.map((op) => op.op)),
      [['ship', 'shot']],
    );
    stream.shot({ ...shot, id: 2, outcome: 'missed' });
    clock.advance(16);
    assert.equal(sent.length, 2, 'a shot that changes nothing goes out by itself an interval later');
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
