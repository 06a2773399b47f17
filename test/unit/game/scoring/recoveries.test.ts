import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fleetChanges, recountFleets, trackFleets } from '../../../../server/game/scoring/recoveries.ts';
import { Scoreboard } from '../../../../server/game/scoring/scoreboard.ts';
import {
  emptyShips,
  reduceShips,
  type ShipEvent,
  type ShipsState,
  shipsTouchedBy,
} from '../../../../server/game/state/ships.ts';
import { pod } from '../pods.ts';

const T0 = 1_000_000;
const owner = { kind: 'ReplicationController', name: 'rc', uid: 'rc-1' };
const rcPod = (uid: string, over: Parameters<typeof pod>[0] = {}) =>
  pod({ uid, name: `rc-${uid}`, labels: { game: 'starwars', player: 'rc' }, owner, ...over });

/** Applies events the way the engine does and returns the recoveries each completed. */
function play(board: Scoreboard, events: [number, ShipEvent][], start: ShipsState = emptyShips) {
  let ships = start;
  const out: string[] = [];
  for (const [at, event] of events) {
    const before = ships;
    ships = reduceShips(before, event);
    const changes = fleetChanges(before, ships, shipsTouchedBy(before, event));
    for (const r of trackFleets(board, ships, changes, at)) out.push(`${r.fleet} ${r.ms} ms by ${r.name}`);
  }
  return { ships, out };
}

describe('recovery tracking', () => {
  it('a fleet hit while flying recovers when a replacement flies, named after that ship', () => {
    const board = new Scoreboard();
    const { ships } = play(board, [
      [T0, { type: 'upsert', pod: rcPod('a') }],
      [T0, { type: 'upsert', pod: rcPod('b') }],
    ]);
    board.startRound(60, T0);
    board.tick(T0 + 3000);
    board.hit('rc', 'a', { wasFlying: true, stillFlying: true }, T0 + 4000);
    const { out } = play(
      board,
      [
        [T0 + 4100, { type: 'delete', pod: rcPod('a') }],
        [T0 + 4200, { type: 'upsert', pod: rcPod('c', { phase: 'Pending', containers: ['waiting'] }) }],
        [T0 + 4900, { type: 'upsert', pod: rcPod('c') }],
      ],
      ships,
    );
    assert.deepEqual(out, ['rc 900 ms by rc-c']);
    assert.equal(board.standings(T0 + 5000)[0]?.shipsLost, 1, 'the destroyed ship counts as lost');
  });

  it('reports destroyed ships and ships that stopped flying per fleet', () => {
    let ships = emptyShips;
    ships = reduceShips(ships, { type: 'upsert', pod: rcPod('a') });
    const event: ShipEvent = { type: 'delete', pod: rcPod('a') };
    const after = reduceShips(ships, event);
    assert.deepEqual(fleetChanges(ships, after, shipsTouchedBy(ships, event)), [
      { fleet: 'rc', left: ['a'], destroyed: ['a'] },
    ]);
  });

  it('a recount after a relist gives fleets whose pods vanished unseen their real counts', () => {
    const board = new Scoreboard();
    play(board, [[T0, { type: 'upsert', pod: rcPod('a') }]]);
    recountFleets(board, emptyShips, T0 + 1000);
    assert.deepEqual(
      board.standings(T0 + 1000).map((f) => [f.player, f.flying, f.total]),
      [['rc', 0, 0]],
    );
  });
});
