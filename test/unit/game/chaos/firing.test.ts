import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { DEFAULT_CHAOS, mergeChaos } from '../../../../server/game/chaos/choice.ts';
import { AutoFire, type FiredShot, Firing } from '../../../../server/game/chaos/firing.ts';
import type { ShotClient } from '../../../../server/game/chaos/shot.ts';
import type { ChaosSettings, ChaosUpdate, Ship, ShotEvent } from '../../../../server/game/protocol.ts';
import { parseSelector } from '../../../../server/game/state/selector.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { seededRandom } from '../../../../server/random.ts';
import { pod } from '../pods.ts';

/** A cluster of pods by namespace/name that records every call; `refuse` makes controller deletes fail. */
class FakeShotClient implements ShotClient {
  calls: string[] = [];
  refuse?: number;
  constructor(readonly pods = new Map<string, V1Pod>()) {}
  async readPod(namespace: string, name: string) {
    this.calls.push(`read ${namespace}/${name}`);
    return this.pods.get(`${namespace}/${name}`);
  }
  async deletePod(namespace: string, name: string, uid: string) {
    this.calls.push(`delete ${namespace}/${name} uid=${uid}`);
    this.pods.delete(`${namespace}/${name}`);
  }
  async evictPod(namespace: string, name: string) {
    this.calls.push(`evict ${namespace}/${name}`);
  }
  async deleteController(kind: string, namespace: string, name: string, policy: string) {
    this.calls.push(`delete ${kind} ${namespace}/${name} ${policy}`);
    if (this.refuse) throw Object.assign(new Error('forbidden'), { code: this.refuse });
  }
  close() {}
}

const ship = (name: string, over: Partial<Ship> = {}): Ship => ({
  uid: `uid-${name}`,
  name,
  namespace: 'default',
  fleet: 'luke',
  state: 'flying',
  controller: 'Pod',
  ...over,
});

function firingOn(client: FakeShotClient, update: ChaosUpdate = {}) {
  const clock = new FakeClock();
  let settings: ChaosSettings = mergeChaos(DEFAULT_CHAOS, update);
  const recorded: FiredShot[] = [];
  let id = 0;
  const firing = new Firing({
    client,
    clock,
    safety: {
      selector: parseSelector('game=starwars'),
      selectorText: 'game=starwars',
      isProtected: (ns) => ns === 'kube-system',
    },
    settings: () => settings,
    record(shot): ShotEvent {
      recorded.push(shot);
      return {
        id: ++id,
        time: clock.now(),
        round: null,
        ...shot.target,
        ...shot.result,
        dryRun: settings.dryRun,
      };
    },
  });
  return {
    firing,
    clock,
    recorded,
    set: (u: ChaosUpdate) => (settings = mergeChaos(settings, u)),
  };
}

const podOf = (s: Ship, over: Parameters<typeof pod>[0] = {}) => pod({ uid: s.uid, name: s.name, ...over });

describe('firing', () => {
  it('deletes the aimed pod and records a hit on a ship that flew when aimed at', async () => {
    const target = ship('x-1');
    const client = new FakeShotClient(new Map([['default/x-1', podOf(target)]]));
    const { firing, recorded } = firingOn(client);
    const shot = await firing.fire(target, 'auto');
    assert.equal(shot.outcome, 'hit');
    assert.deepEqual(client.calls, ['read default/x-1', 'delete default/x-1 uid=uid-x-1']);
    assert.deepEqual(
      recorded.map((r) => [r.source, r.flyingAtAim]),
      [['auto', true]],
    );
  });

  it('a hard stop refuses every shot without a call to the cluster', async () => {
    const target = ship('x-1');
    const client = new FakeShotClient(new Map([['default/x-1', podOf(target)]]));
    const { firing } = firingOn(client, { halted: true });
    const shot = await firing.fire(target, 'manual');
    assert.deepEqual([shot.outcome, shot.reason], ['refused', 'hard stop: firing is halted']);
    assert.deepEqual(client.calls, []);
  });

  it('the kill budget refuses shots past the minute’s limit and frees up a minute later', async () => {
    const client = new FakeShotClient();
    const { firing, clock } = firingOn(client, { budgetPerMinute: 1 });
    assert.equal((await firing.fire(ship('a'), 'auto')).outcome, 'missed');
    assert.equal((await firing.fire(ship('b'), 'auto')).reason, 'kill budget for this minute used up');
    clock.advance(60_000);
    assert.equal((await firing.fire(ship('c'), 'auto')).outcome, 'missed');
  });

  it('never deletes a pod in a protected namespace, nor one relabelled out of the game at the moment of deletion', async () => {
    const guard = ship('guard', { namespace: 'kube-system' });
    const turncoat = ship('turncoat');
    const client = new FakeShotClient(
      new Map([
        ['kube-system/guard', podOf(guard, { namespace: 'kube-system' })],
        ['default/turncoat', podOf(turncoat, { labels: { game: 'retired' } })],
      ]),
    );
    const { firing } = firingOn(client);
    assert.equal((await firing.fire(guard, 'manual')).outcome, 'refused');
    assert.equal((await firing.fire(turncoat, 'manual')).outcome, 'refused');
    assert.ok(!client.calls.some((c) => c.startsWith('delete')), client.calls.join('; '));
  });

  it('capital ships: the n-th manual hit on a Deployment’s pods deletes the Deployment and its ReplicaSet', async () => {
    const owner = { kind: 'ReplicaSet', name: 'dep-abc', uid: 'rs-1' };
    const ships = [ship('dep-abc-1'), ship('dep-abc-2')];
    const client = new FakeShotClient(
      new Map(
        ships.map((s) => [
          `default/${s.name}`,
          podOf(s, { owner, labels: { game: 'starwars', 'pod-template-hash': 'abc' } }),
        ]),
      ),
    );
    const { firing } = firingOn(client, { capitalShips: { enabled: true, hitsToDestroy: 2 } });
    await firing.fire(ships[0]!, 'manual');
    assert.ok(!client.calls.some((c) => c.includes('Deployment')), 'one hit is not enough');
    await firing.fire(ships[1]!, 'manual');
    assert.deepEqual(
      client.calls.filter((c) => /Deployment|ReplicaSet/.test(c)),
      ['delete Deployment default/dep Orphan', 'delete ReplicaSet default/dep-abc Orphan'],
    );
  });

  it('a capital ship the cluster refuses to delete is recorded as a refused shot that says what to grant', async () => {
    const owner = { kind: 'ReplicationController', name: 'rc', uid: 'rc-1' };
    const target = ship('rc-1');
    const client = new FakeShotClient(new Map([['default/rc-1', podOf(target, { owner })]]));
    client.refuse = 403;
    const { firing, recorded } = firingOn(client, { capitalShips: { enabled: true, hitsToDestroy: 1 } });
    await firing.fire(target, 'manual');
    const refused = recorded.at(-1);
    assert.equal(refused?.target.name, 'ReplicationController/rc');
    assert.match(refused?.result.reason ?? '', /grant its service account delete/);
  });

  it('auto shots never destroy capital ships', async () => {
    const owner = { kind: 'ReplicationController', name: 'rc', uid: 'rc-1' };
    const target = ship('rc-1');
    const client = new FakeShotClient(new Map([['default/rc-1', podOf(target, { owner })]]));
    const { firing } = firingOn(client, { capitalShips: { enabled: true, hitsToDestroy: 1 } });
    await firing.fire(target, 'auto');
    assert.ok(!client.calls.some((c) => c.includes('ReplicationController')));
  });
});

describe('auto fire', () => {
  function autoFire(update: ChaosUpdate, running = true) {
    const clock = new FakeClock();
    let settings = mergeChaos(DEFAULT_CHAOS, update);
    const fired: string[] = [];
    const ships = [ship('a'), ship('guard', { namespace: 'kube-system' }), ship('b', { state: 'warping' })];
    const auto = new AutoFire({
      clock,
      random: seededRandom(1),
      settings: () => settings,
      running: () => running,
      ships: () => ships,
      isProtected: (ns) => ns === 'kube-system',
      fire: (s) => fired.push(`${s.name} at ${clock.now() - new FakeClock().now()}`),
    });
    return { auto, clock, fired, set: (u: ChaosUpdate) => (settings = mergeChaos(settings, u)) };
  }

  it('fires at a flying, unprotected ship every interval while a round runs', () => {
    const { auto, clock, fired } = autoFire({ auto: true, intervalSeconds: 1, jitter: 0 });
    auto.update();
    clock.advance(3500);
    assert.deepEqual(fired, ['a at 1000', 'a at 2000', 'a at 3000']);
  });

  it('stays quiet when off, paused, halted or between rounds, and a hard stop takes effect at once', () => {
    for (const [update, running] of [
      [{ auto: false }, true],
      [{ auto: true, paused: true }, true],
      [{ auto: true, halted: true }, true],
      [{ auto: true }, false],
    ] as const) {
      const { auto, clock, fired } = autoFire({ ...update, intervalSeconds: 1 }, running);
      auto.update();
      clock.advance(10_000);
      assert.deepEqual(fired, [], JSON.stringify(update));
      assert.equal(clock.pending, 0);
    }
    const { auto, clock, fired, set } = autoFire({ auto: true, intervalSeconds: 1, jitter: 0 });
    auto.update();
    clock.advance(1500);
    set({ halted: true });
    auto.restart();
    clock.advance(10_000);
    assert.equal(fired.length, 1);
  });

  it('a new interval applies at once, not after the old delay', () => {
    const { auto, clock, fired, set } = autoFire({ auto: true, intervalSeconds: 60, jitter: 0 });
    auto.update();
    clock.advance(1000);
    set({ intervalSeconds: 1 });
    auto.restart();
    clock.advance(1000);
    assert.deepEqual(fired, ['a at 2000']);
    auto.close();
    assert.equal(clock.pending, 0);
  });
});
