import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  countFleets,
  emptyShips,
  reduceShips,
  shipsOfFleets,
  shipsTouchedBy,
} from '../../../../server/game/state/ships.ts';
import { seededRandom } from '../../../../server/random.ts';
import { pod } from '../pods.ts';

describe('ships reducer', () => {
  it('adds a ship per pod uid and ignores an update that changes nothing the game shows', () => {
    const one = reduceShips(emptyShips, { type: 'upsert', pod: pod({ uid: 'a' }) });
    assert.equal(one.ships.get('a')?.state, 'flying');
    assert.equal(reduceShips(one, { type: 'upsert', pod: pod({ uid: 'a' }) }), one);
  });

  it('a deleted pod becomes a destroyed ship until it is removed', () => {
    let s = reduceShips(emptyShips, { type: 'upsert', pod: pod({ uid: 'a' }) });
    s = reduceShips(s, { type: 'delete', pod: pod({ uid: 'a' }) });
    assert.equal(s.ships.get('a')?.state, 'destroyed');
    s = reduceShips(s, { type: 'remove', uid: 'a' });
    assert.equal(s.ships.size, 0);
  });

  it('a pod leaving the API after its deletion started frees its name and leaves the destroyed ship as it is', () => {
    let s = reduceShips(emptyShips, { type: 'upsert', pod: pod({ uid: 'a' }) });
    s = reduceShips(s, { type: 'upsert', pod: pod({ uid: 'a', deleting: true }) });
    const destroyed = s.ships.get('a');
    assert.equal(destroyed?.state, 'destroyed');
    const gone = reduceShips(s, { type: 'delete', pod: pod({ uid: 'a', deleting: true }) });
    assert.equal(gone.ships, s.ships, 'no ship changed: nothing to send to the screens');
    assert.equal(gone.byName.size, 0);
    assert.equal(gone.ships.get('a'), destroyed);
  });

  it('a pod recreated under the same name destroys the old ship and adds a new one', () => {
    let s = reduceShips(emptyShips, { type: 'upsert', pod: pod({ uid: 'old', name: 'solo' }) });
    s = reduceShips(s, {
      type: 'upsert',
      pod: pod({ uid: 'new', name: 'solo', phase: 'Pending', containers: [] }),
    });
    assert.equal(s.ships.get('old')?.state, 'destroyed');
    assert.equal(s.ships.get('new')?.state, 'warping');
    // The late delete of the old pod must not touch the new one.
    s = reduceShips(s, { type: 'delete', pod: pod({ uid: 'old', name: 'solo' }) });
    assert.equal(s.ships.get('new')?.state, 'warping');
    assert.equal(s.byName.get('main/default/solo'), 'new');
  });

  it('an event touches its own ship and the one that held the same name before', () => {
    const s = reduceShips(emptyShips, { type: 'upsert', pod: pod({ uid: 'old', name: 'solo' }) });
    assert.deepEqual(shipsTouchedBy(s, { type: 'upsert', pod: pod({ uid: 'new', name: 'solo' }) }), [
      'new',
      'old',
    ]);
    assert.deepEqual(shipsTouchedBy(s, { type: 'delete', pod: pod({ uid: 'old', name: 'solo' }) }), ['old']);
    assert.deepEqual(shipsTouchedBy(s, { type: 'remove', uid: 'old' }), ['old']);
  });

  it('fleet counts leave destroyed ships out and list controller kinds once', () => {
    let s = emptyShips;
    s = reduceShips(s, { type: 'upsert', pod: pod({ uid: 'a', name: 'a', namespace: 'x' }) });
    s = reduceShips(s, { type: 'upsert', pod: pod({ uid: 'b', name: 'b', namespace: 'x', ready: false }) });
    s = reduceShips(s, { type: 'upsert', pod: pod({ uid: 'c', name: 'c', namespace: 'x' }) });
    s = reduceShips(s, { type: 'delete', pod: pod({ uid: 'c', name: 'c', namespace: 'x' }) });
    assert.deepEqual(countFleets(s.ships.values()).get('x'), { flying: 1, total: 2, controllers: ['Pod'] });
    s = reduceShips(s, { type: 'upsert', pod: pod({ uid: 'd', name: 'd', namespace: 'y' }) });
    assert.deepEqual([...countFleets(s.ships.values()).keys()], ['x', 'y']);
    assert.deepEqual([...countFleets(shipsOfFleets(s, ['x'])).keys()], ['x'], 'only the fleets asked for');
  });

  it('the same uid and the same namespace/name in two clusters make two ships', () => {
    const finn = { cluster: 'finn', fleet: 'finn' };
    const rey = { cluster: 'rey', fleet: 'rey' };
    let s = reduceShips(emptyShips, { type: 'upsert', pod: pod({ uid: 'a', name: 'solo' }), origin: finn });
    s = reduceShips(s, { type: 'upsert', pod: pod({ uid: 'a', name: 'solo' }), origin: rey });
    s = reduceShips(s, { type: 'upsert', pod: pod({ uid: 'b', name: 'solo' }), origin: rey });
    assert.deepEqual([...s.ships.values()].map((ship) => `${ship.uid} ${ship.fleet} ${ship.state}`).sort(), [
      'finn/a finn flying',
      'rey/a rey destroyed',
      'rey/b rey flying',
    ]);
  });

  it("a cluster's removal takes all its ships and names at once and touches only them", () => {
    const finn = { cluster: 'finn', fleet: 'finn' };
    let s = reduceShips(emptyShips, { type: 'upsert', pod: pod({ uid: 'a', name: 'solo' }) });
    s = reduceShips(s, { type: 'upsert', pod: pod({ uid: 'a', name: 'solo' }), origin: finn });
    s = reduceShips(s, { type: 'upsert', pod: pod({ uid: 'b', name: 'two' }), origin: finn });
    s = reduceShips(s, { type: 'delete', pod: pod({ uid: 'b', name: 'two' }), origin: finn });
    const event = { type: 'removeCluster', cluster: 'finn' } as const;
    assert.deepEqual(shipsTouchedBy(s, event).sort(), ['finn/a', 'finn/b']);
    const after = reduceShips(s, event);
    assert.deepEqual([...after.ships.keys()], ['a']);
    assert.deepEqual([...after.byName.keys()], ['main/default/solo']);
    assert.equal(reduceShips(after, event), after);
  });

  it("keeps each fleet's ships as a walk over every ship would find them, through relabels, name reuse and removals", () => {
    const random = seededRandom(11);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
    const origins = [undefined, { cluster: 'finn', fleet: 'finn' }];
    let s = emptyShips;
    for (let step = 0; step < 2000; step++) {
      const uid = pick(['a', 'b', 'c', 'd', 'e', 'f']);
      const name = pick(['one', 'two', 'three']);
      const labels = { game: 'starwars', player: pick(['rey', 'kylo', 'poe']) };
      const origin = pick(origins);
      const roll = random();
      const event =
        roll < 0.6
          ? ({ type: 'upsert', pod: pod({ uid, name, labels, ready: random() < 0.7 }), origin } as const)
          : roll < 0.8
            ? ({ type: 'delete', pod: pod({ uid, name, labels }), origin } as const)
            : roll < 0.97
              ? ({ type: 'remove', uid: pick([...s.ships.keys(), 'nobody']) } as const)
              : ({ type: 'removeCluster', cluster: 'finn' } as const);
      s = reduceShips(s, event);
      const walked = countFleets(s.ships.values());
      assert.deepEqual([...s.byFleet.keys()].sort(), [...walked.keys()].sort(), `fleets after step ${step}`);
      for (const [fleet, ids] of s.byFleet) {
        assert.equal(new Set(ids).size, ids.length, `no ship twice in ${fleet}`);
        assert.deepEqual(
          countFleets(shipsOfFleets(s, [fleet])).get(fleet),
          walked.get(fleet),
          `${fleet}, step ${step}`,
        );
      }
    }
  });
});
