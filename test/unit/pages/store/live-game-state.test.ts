import { DEFAULT_CHAOS } from '../../../../server/game/chaos/choice.ts';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveGameState } from '../../../../game/store/live-game-state.ts';
import type { GameSnapshot, RecoveryEvent, ShotEvent } from '../../../../game/store/protocol-types.ts';
import { fleet, ship } from '../../../support/game-fixtures.ts';

function snapshot(seq: number, uids: string[]): GameSnapshot {
  return {
    seq,
    connected: true,
    reconnectingSince: null,
    round: null,
    ships: uids.map((u) => ship(u)),
    fleets: [fleet('luke')],
    chaos: DEFAULT_CHAOS,
  };
}

function shot(uid: string, time: number): ShotEvent {
  return {
    id: time,
    time,
    round: 1,
    uid,
    name: `pod-${uid}`,
    namespace: 'default',
    fleet: 'luke',
    outcome: 'hit',
    dryRun: false,
  };
}

function recovery(fleet: string, time: number, ms = 1200): RecoveryEvent {
  return { time, round: 1, fleet, ms };
}

describe("the browser's live game state", () => {
  test('a snapshot adds every ship keyed by uid', () => {
    const store = new LiveGameState();
    const added: string[] = [];
    store.subscribe({ shipAdded: (s) => added.push(s.uid) });
    store.applySnapshot(snapshot(3, ['a', 'b']));
    assert.deepEqual(added, ['a', 'b']);
    assert.equal(store.seq, 3);
    assert.equal(store.ships.get('b')?.name, 'pod-b');
  });

  test('the next patch changes and removes ships and tells subscribers', () => {
    const store = new LiveGameState();
    store.applySnapshot(snapshot(1, ['a', 'b']));
    const events: string[] = [];
    store.subscribe({
      shipChanged: (s, prev) => events.push(`change ${s.uid} ${prev.state}->${s.state}`),
      shipRemoved: (s) => events.push(`remove ${s.uid}`),
      shot: (s) => events.push(`shot ${s.uid}`),
    });
    const result = store.applyPatch({
      seq: 2,
      ops: [
        {
          op: 'shot',
          shot: {
            id: 1,
            time: 1,
            round: 1,
            uid: 'a',
            name: 'pod-a',
            namespace: 'default',
            fleet: 'luke',
            outcome: 'hit',
            dryRun: false,
          },
        },
        { op: 'ship', ship: ship('a', { state: 'destroyed' }) },
        { op: 'shipRemoved', uid: 'b' },
      ],
    });
    assert.equal(result, 'applied');
    assert.deepEqual(events, ['shot a', 'change a flying->destroyed', 'remove b']);
    assert.deepEqual([...store.ships.keys()], ['a']);
  });

  test('a removed fleet leaves the standings and its listeners hear it once', () => {
    const store = new LiveGameState();
    store.applySnapshot(snapshot(5, ['a']));
    const removed: string[] = [];
    store.subscribe({ fleetRemoved: (player) => removed.push(player) });
    assert.equal(store.applyPatch({ seq: 6, ops: [{ op: 'fleetRemoved', player: 'luke' }] }), 'applied');
    assert.equal(store.applyPatch({ seq: 7, ops: [{ op: 'fleetRemoved', player: 'luke' }] }), 'applied');
    assert.deepEqual(removed, ['luke']);
    assert.equal(store.fleets.size, 0);
  });

  test('a skipped patch number is reported as a gap and changes nothing', () => {
    const store = new LiveGameState();
    store.applySnapshot(snapshot(5, ['a']));
    const result = store.applyPatch({ seq: 7, ops: [{ op: 'shipRemoved', uid: 'a' }] });
    assert.equal(result, 'gap');
    assert.equal(store.seq, 5);
    assert.ok(store.ships.has('a'));
  });

  test('a patch before any snapshot is a gap; an old patch is ignored as stale', () => {
    const store = new LiveGameState();
    assert.equal(store.applyPatch({ seq: 1, ops: [] }), 'gap');
    store.applySnapshot(snapshot(5, ['a']));
    assert.equal(store.applyPatch({ seq: 5, ops: [{ op: 'shipRemoved', uid: 'a' }] }), 'stale');
    assert.ok(store.ships.has('a'));
  });

  test('a resync snapshot removes ships that are gone and keeps the rest as changes', () => {
    const store = new LiveGameState();
    store.applySnapshot(snapshot(1, ['a', 'b']));
    const events: string[] = [];
    store.subscribe({
      shipAdded: (s) => events.push(`add ${s.uid}`),
      shipChanged: (s) => events.push(`change ${s.uid}`),
      shipRemoved: (s) => events.push(`remove ${s.uid}`),
    });
    store.applySnapshot(snapshot(9, ['b', 'c']));
    assert.deepEqual(events, ['remove a', 'change b', 'add c']);
    assert.equal(store.applyPatch({ seq: 10, ops: [] }), 'applied');
  });

  test("a ranks op moves fleets to the server's new places, and the chaos settings follow the feed", () => {
    const state = new LiveGameState();
    const changed: string[] = [];
    state.subscribe({ fleetChanged: (f) => changed.push(`${f.player} ${f.rank}`) });
    state.applySnapshot({
      ...snapshot(1, []),
      fleets: [fleet('luke', { rank: 1 }), fleet('han', { rank: 2 })],
    });
    changed.length = 0;
    state.applyPatch({
      seq: 2,
      ops: [
        { op: 'ranks', ranks: { luke: 2, han: 1 } },
        { op: 'chaos', chaos: { ...DEFAULT_CHAOS, halted: true } },
      ],
    });
    assert.deepEqual(changed, ['luke 2', 'han 1']);
    assert.equal(state.fleets.get('han')?.rank, 1);
    assert.equal(state.chaos?.halted, true);
  });

  test('connection loss is mirrored for the HUD warning', () => {
    const store = new LiveGameState();
    store.applySnapshot(snapshot(1, []));
    store.applyPatch({ seq: 2, ops: [{ op: 'connection', connected: false, reconnectingSince: 1000 }] });
    assert.equal(store.connected, false);
    assert.equal(store.reconnectingSince, 1000);
  });

  test("a snapshot's recent shots reach the kill feed as replayed, oldest first", () => {
    const store = new LiveGameState();
    const seen: string[] = [];
    store.subscribe({ shot: (s, replayed) => seen.push(`${s.uid} ${replayed ? 'replayed' : 'live'}`) });
    store.applySnapshot({ ...snapshot(4, ['a']), shots: [shot('x', 1), shot('y', 2)] });
    assert.deepEqual(seen, ['x replayed', 'y replayed']);
    assert.deepEqual(
      store.recentFeed.map((e) => (e.kind === 'shot' ? e.shot.uid : e.recovery.fleet)),
      ['x', 'y'],
    );
  });

  test('a resync snapshot replays only the shots this client missed', () => {
    const store = new LiveGameState();
    store.applySnapshot({ ...snapshot(1, []), shots: [shot('x', 1)] });
    store.applyPatch({ seq: 2, ops: [{ op: 'shot', shot: shot('y', 2) }] });
    const seen: string[] = [];
    store.subscribe({ shot: (s, replayed) => seen.push(`${s.uid} ${replayed ? 'replayed' : 'live'}`) });
    store.applySnapshot({ ...snapshot(5, []), shots: [shot('x', 1), shot('y', 2), shot('z', 3)] });
    assert.deepEqual(seen, ['z replayed']);
    assert.deepEqual(
      store.recentFeed.map((e) => (e.kind === 'shot' ? e.shot.uid : e.recovery.fleet)),
      ['x', 'y', 'z'],
    );
  });

  test('the recent shots kept for late views are bounded', () => {
    const store = new LiveGameState();
    store.applySnapshot(snapshot(1, []));
    for (let i = 0; i < 80; i++)
      store.applyPatch({ seq: 2 + i, ops: [{ op: 'shot', shot: shot(`s${i}`, i) }] });
    assert.equal(store.recentFeed.length, 50);
    assert.deepEqual(store.recentFeed.at(-1), { kind: 'shot', shot: shot('s79', 79) });
  });

  test('a recovery patch reaches the recovered listeners and the recent feed', () => {
    const store = new LiveGameState();
    store.applySnapshot(snapshot(1, []));
    const seen: string[] = [];
    store.subscribe({
      recovered: (r, replayed) => seen.push(`${r.fleet} ${r.ms} ${replayed ? 'replayed' : 'live'}`),
    });
    assert.equal(
      store.applyPatch({ seq: 2, ops: [{ op: 'recovery', recovery: recovery('leia', 10) }] }),
      'applied',
    );
    assert.deepEqual(seen, ['leia 1200 live']);
    assert.deepEqual(store.recentFeed, [{ kind: 'recovery', recovery: recovery('leia', 10) }]);
  });

  test('a snapshot replays its shots and recoveries as one feed in time order, each once', () => {
    const store = new LiveGameState();
    const seen: string[] = [];
    store.subscribe({
      shot: (s, replayed) => seen.push(`hit ${s.uid} ${replayed}`),
      recovered: (r, replayed) => seen.push(`recovered ${r.fleet} ${replayed}`),
    });
    const state = {
      ...snapshot(3, []),
      shots: [shot('a', 1), shot('b', 5)],
      recoveries: [recovery('leia', 3)],
    };
    store.applySnapshot(state);
    store.applySnapshot({ ...state, seq: 9, recoveries: [recovery('leia', 3), recovery('luke', 7)] });
    assert.deepEqual(seen, ['hit a true', 'recovered leia true', 'hit b true', 'recovered luke true']);
  });
});
