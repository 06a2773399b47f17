import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { DEFAULT_CHAOS, mergeChaos } from '../../../../server/game/chaos/choice.ts';
import { AutoFire, type FiredShot, Firing } from '../../../../server/game/chaos/firing.ts';
import type {
  CapitalKind,
  ControllerObject,
  Preconditions,
  ShotClient,
} from '../../../../server/game/chaos/shot.ts';
import type { ChaosSettings, ChaosUpdate, Ship, ShotEvent } from '../../../../server/game/protocol.ts';
import { parseSelector } from '../../../../server/game/state/selector.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { seededRandom } from '../../../../server/random.ts';
import { pod } from '../pods.ts';

/**
 * A cluster of pods by namespace/name and controllers by `Kind namespace/name` that records every call; `refuse`
 * makes controller deletes fail, and a controller delete whose preconditions do not hold answers 409.
 */
class FakeShotClient implements ShotClient {
  calls: string[] = [];
  refuse?: number;
  readonly controllers = new Map<string, ControllerObject>();
  /** Runs on each controller read: what the world does meanwhile. */
  onReadController?: () => void;
  constructor(readonly pods = new Map<string, V1Pod>()) {}
  async readPod(namespace: string, name: string) {
    this.calls.push(`read ${namespace}/${name}`);
    return this.pods.get(`${namespace}/${name}`);
  }
  async deletePod(namespace: string, name: string, p: Preconditions) {
    this.calls.push(`delete ${namespace}/${name} uid=${p.uid}`);
    this.pods.delete(`${namespace}/${name}`);
  }
  async evictPod(namespace: string, name: string) {
    this.calls.push(`evict ${namespace}/${name}`);
  }
  async readController(kind: CapitalKind, namespace: string, name: string) {
    this.onReadController?.();
    return structuredClone(this.controllers.get(`${kind} ${namespace}/${name}`));
  }
  async deleteController(
    kind: CapitalKind,
    namespace: string,
    name: string,
    p: Preconditions,
    policy: string,
  ) {
    this.calls.push(`delete ${kind} ${namespace}/${name} uid=${p.uid} rv=${p.resourceVersion} ${policy}`);
    if (this.refuse) throw Object.assign(new Error('forbidden'), { code: this.refuse });
    const key = `${kind} ${namespace}/${name}`;
    const current = this.controllers.get(key)?.metadata;
    if (current?.uid !== p.uid || current.resourceVersion !== p.resourceVersion) {
      throw Object.assign(new Error('conflict'), { code: 409 });
    }
    this.controllers.delete(key);
  }
  close() {}
}

/** A controller as the API server stores it, making pods labelled `labels`. */
function controller(
  uid: string,
  labels: Record<string, string> = { game: 'starwars' },
  owner?: { kind: string; name: string; uid: string },
): ControllerObject {
  return {
    metadata: {
      uid,
      resourceVersion: `${uid}-v1`,
      ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', controller: true, ...owner }] } : {}),
    },
    spec: { template: { metadata: { labels } } },
  };
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

  /** Two pods of the ReplicaSet `dep-abc` that the Deployment `dep` controls, as the cluster has them. */
  function deploymentFleet() {
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
    client.controllers.set(
      'ReplicaSet default/dep-abc',
      controller('rs-1', undefined, { kind: 'Deployment', name: 'dep', uid: 'dep-1' }),
    );
    client.controllers.set('Deployment default/dep', controller('dep-1'));
    return { ships, client };
  }
  const controllerDeletes = (client: FakeShotClient) =>
    client.calls.filter((c) => /^delete (Deployment|ReplicaSet|ReplicationController|StatefulSet)/.test(c));

  it('capital ships: the n-th manual hit on a Deployment’s pods deletes the Deployment and its ReplicaSet as read', async () => {
    const { ships, client } = deploymentFleet();
    const { firing } = firingOn(client, { capitalShips: { enabled: true, hitsToDestroy: 2 } });
    await firing.fire(ships[0]!, 'manual');
    assert.deepEqual(controllerDeletes(client), [], 'one hit is not enough');
    await firing.fire(ships[1]!, 'manual');
    assert.deepEqual(controllerDeletes(client), [
      'delete Deployment default/dep uid=dep-1 rv=dep-1-v1 Orphan',
      'delete ReplicaSet default/dep-abc uid=rs-1 rv=rs-1-v1 Orphan',
    ]);
  });

  it('the Deployment’s ReplicaSet, changed by the garbage collector meanwhile, is re-read and deleted as it is now', async () => {
    const { ships, client } = deploymentFleet();
    const { firing } = firingOn(client, { capitalShips: { enabled: true, hitsToDestroy: 1 } });
    const deleteController = client.deleteController.bind(client);
    client.deleteController = async (kind, namespace, name, p, policy) => {
      await deleteController(kind, namespace, name, p, policy);
      // Orphaning takes the ReplicaSet's owner reference away: a new resourceVersion.
      if (kind === 'Deployment')
        client.controllers.set('ReplicaSet default/dep-abc', {
          ...controller('rs-1'),
          metadata: { uid: 'rs-1', resourceVersion: 'rs-1-v2' },
        });
    };
    await firing.fire(ships[0]!, 'manual');
    assert.deepEqual(controllerDeletes(client), [
      'delete Deployment default/dep uid=dep-1 rv=dep-1-v1 Orphan',
      'delete ReplicaSet default/dep-abc uid=rs-1 rv=rs-1-v2 Orphan',
    ]);
    assert.equal(client.controllers.size, 0);
  });

  it('a controller whose status moved between the read and the delete is re-read, re-checked and deleted as it is now', async () => {
    const owner = { kind: 'ReplicationController', name: 'rc', uid: 'rc-1' };
    const target = ship('rc-1');
    const client = new FakeShotClient(new Map([['default/rc-1', podOf(target, { owner })]]));
    client.controllers.set('ReplicationController default/rc', controller('rc-1'));
    // The controller records the replacement of the pod just shot: a new resourceVersion under the game's delete.
    const deleteController = client.deleteController.bind(client);
    let deletes = 0;
    client.deleteController = async (kind, namespace, name, p, policy) => {
      if (++deletes === 1)
        client.controllers.get('ReplicationController default/rc')!.metadata!.resourceVersion = 'rc-1-v2';
      await deleteController(kind, namespace, name, p, policy);
    };
    const { firing } = firingOn(client, { capitalShips: { enabled: true, hitsToDestroy: 1 } });
    await firing.fire(target, 'manual');
    assert.deepEqual(controllerDeletes(client), [
      'delete ReplicationController default/rc uid=rc-1 rv=rc-1-v1 Orphan',
      'delete ReplicationController default/rc uid=rc-1 rv=rc-1-v2 Orphan',
    ]);
    assert.equal(client.controllers.size, 0);
  });

  it('a hand-made ReplicaSet named like a Deployment’s never takes that unrelated Deployment down', async () => {
    const owner = { kind: 'ReplicaSet', name: 'web-abc', uid: 'rs-hand' };
    const target = ship('web-abc-1');
    const client = new FakeShotClient(
      new Map([
        [
          'default/web-abc-1',
          podOf(target, { owner, labels: { game: 'starwars', 'pod-template-hash': 'abc' } }),
        ],
      ]),
    );
    client.controllers.set('ReplicaSet default/web-abc', controller('rs-hand'));
    client.controllers.set('Deployment default/web', controller('dep-web'));
    const { firing } = firingOn(client, { capitalShips: { enabled: true, hitsToDestroy: 1 } });
    await firing.fire(target, 'manual');
    assert.deepEqual(controllerDeletes(client), [
      'delete ReplicaSet default/web-abc uid=rs-hand rv=rs-hand-v1 Orphan',
    ]);
    assert.ok(client.controllers.has('Deployment default/web'));
  });

  it('a pod whose owner reference was edited to aim at another controller destroys nothing', async () => {
    const target = ship('rogue');
    // The player pointed the pod at the ReplicaSet `db` by name, with a made-up uid.
    const owner = { kind: 'ReplicaSet', name: 'db', uid: 'made-up' };
    const client = new FakeShotClient(new Map([['default/rogue', podOf(target, { owner })]]));
    client.controllers.set('ReplicaSet default/db', controller('rs-db'));
    const { firing, recorded } = firingOn(client, { capitalShips: { enabled: true, hitsToDestroy: 1 } });
    await firing.fire(target, 'manual');
    assert.deepEqual(controllerDeletes(client), []);
    assert.match(recorded.at(-1)?.result.reason ?? '', /ReplicaSet\/db is not the controller the pod names/);
  });

  it('a controller whose pod template is outside the game selector, or in a protected namespace, is no capital ship', async () => {
    const owner = { kind: 'StatefulSet', name: 'db', uid: 'sts-1' };
    const target = ship('db-0');
    const client = new FakeShotClient(new Map([['default/db-0', podOf(target, { owner })]]));
    // Its pods were relabelled into the game by hand; the StatefulSet itself makes pods of another game.
    client.controllers.set('StatefulSet default/db', controller('sts-1', { game: 'other' }));
    const { firing, recorded } = firingOn(client, { capitalShips: { enabled: true, hitsToDestroy: 1 } });
    await firing.fire(target, 'manual');
    assert.deepEqual(controllerDeletes(client), []);
    assert.match(recorded.at(-1)?.result.reason ?? '', /makes pods outside the game selector game=starwars/);
  });

  it('a capital ship honours a hard stop set meanwhile and the kill budget, like any shot', async () => {
    const halted = deploymentFleet();
    const h = firingOn(halted.client, { capitalShips: { enabled: true, hitsToDestroy: 1 } });
    halted.client.onReadController = () => h.set({ halted: true });
    await h.firing.fire(halted.ships[0]!, 'manual');
    assert.deepEqual(controllerDeletes(halted.client), []);
    assert.match(h.recorded.at(-1)?.result.reason ?? '', /survived: hard stop/);

    const broke = deploymentFleet();
    const b = firingOn(broke.client, {
      budgetPerMinute: 1,
      capitalShips: { enabled: true, hitsToDestroy: 1 },
    });
    await b.firing.fire(broke.ships[0]!, 'manual');
    assert.deepEqual(controllerDeletes(broke.client), []);
    assert.match(b.recorded.at(-1)?.result.reason ?? '', /survived: kill budget for this minute used up/);
  });

  it('a capital ship the cluster refuses to delete is recorded as a refused shot that says what to grant', async () => {
    const owner = { kind: 'ReplicationController', name: 'rc', uid: 'rc-1' };
    const target = ship('rc-1');
    const client = new FakeShotClient(new Map([['default/rc-1', podOf(target, { owner })]]));
    client.controllers.set('ReplicationController default/rc', controller('rc-1'));
    client.refuse = 403;
    const { firing, recorded } = firingOn(client, { capitalShips: { enabled: true, hitsToDestroy: 1 } });
    await firing.fire(target, 'manual');
    const refused = recorded.at(-1);
    assert.equal(refused?.target.name, 'ReplicationController/rc');
    assert.match(
      refused?.result.reason ?? '',
      /grant its service account delete on deployments.*and get on them/,
    );
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
