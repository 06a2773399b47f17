import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ShardMap } from '../../../../server/game/state/shard-map.ts';

describe('shard map', () => {
  it('gives a new map for every change and leaves the old one as it was', () => {
    const empty = ShardMap.empty<number>();
    const one = empty.with('a', 1);
    const two = one.with('b', 2);
    const changed = two.with('a', 3);
    const less = changed.without('b');
    assert.deepEqual([empty.size, one.size, two.size, changed.size, less.size], [0, 1, 2, 2, 1]);
    assert.equal(empty.get('a'), undefined);
    assert.deepEqual([one.get('a'), two.get('a'), changed.get('a'), less.get('a')], [1, 1, 3, 3]);
    assert.equal(two.has('b'), true);
    assert.equal(less.has('b'), false);
  });

  it('is the same map when a change changes nothing', () => {
    const value = { n: 1 };
    const map = ShardMap.empty<{ n: number }>().with('a', value);
    assert.equal(map.with('a', value), map);
    assert.equal(map.without('missing'), map);
    assert.notEqual(map.with('a', { n: 1 }), map, 'values compare by identity');
  });

  it('holds undefined as a value', () => {
    const map = ShardMap.empty<undefined>().with('a', undefined);
    assert.equal(map.has('a'), true);
    assert.equal(map.size, 1);
    assert.equal(map.without('a').size, 0);
  });

  it('iterates every entry once, as keys, values and entries', () => {
    let map = ShardMap.empty<number>();
    const keys = Array.from({ length: 500 }, (_, i) => `uid-${i}`);
    keys.forEach((key, i) => (map = map.with(key, i)));
    for (const key of keys.slice(0, 100)) map = map.without(key);
    const left = keys.slice(100);
    assert.equal(map.size, 400);
    assert.deepEqual([...map.keys()].sort(), [...left].sort());
    assert.deepEqual(
      [...map.values()].sort((a, b) => a - b),
      left.map((_, i) => i + 100),
    );
    assert.deepEqual(new Map(map), new Map(left.map((key) => [key, Number(key.slice(4))])));
    assert.deepEqual([...ShardMap.empty().values()], []);
  });

  it('tells what changed since an older version: changed values by identity, added and removed keys', () => {
    let before = ShardMap.empty<{ n: number }>();
    for (let i = 0; i < 300; i++) before = before.with(`uid-${i}`, { n: i });
    const same = before.get('uid-7')!;
    const after = before
      .with('uid-1', { n: 1 })
      .with('uid-7', same)
      .with('uid-new', { n: -1 })
      .without('uid-2')
      .without('missing');
    const changes = after.changesFrom(before);
    assert.deepEqual(changes.changed.map(([key]) => key).sort(), ['uid-1', 'uid-new']);
    assert.deepEqual(changes.removed, ['uid-2']);
    assert.deepEqual(before.changesFrom(before), { changed: [], removed: [] });
  });
});
