import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import {
  fireShot,
  type Preconditions,
  type ShotClient,
  type ShotRules,
} from '../../../../server/game/chaos/shot.ts';
import { DEFAULT_CHAOS } from '../../../../server/game/chaos/choice.ts';
import type { ChaosSettings } from '../../../../server/game/protocol.ts';
import { parseSelector } from '../../../../server/game/state/selector.ts';
import { pod } from '../pods.ts';

/** A pod as read at resourceVersion 7. */
const podAt7 = (spec: Parameters<typeof pod>[0]) => {
  const read = pod(spec);
  read.metadata!.resourceVersion = '7';
  return read;
};

class FakeCluster implements ShotClient {
  calls: string[] = [];
  /** Runs while the pod is being read: what the world does in the meantime. */
  duringRead?: () => void;
  constructor(
    private readonly current: V1Pod | undefined,
    private readonly failure?: { code: number; body?: string },
  ) {}
  async readPod(namespace: string, name: string) {
    this.calls.push(`read ${namespace}/${name}`);
    this.duringRead?.();
    return this.current;
  }
  async deletePod(namespace: string, name: string, p: Preconditions, grace?: number) {
    this.calls.push(
      `delete ${namespace}/${name} uid=${p.uid} rv=${p.resourceVersion} grace=${grace ?? 'own'}`,
    );
    this.check(p);
  }
  async evictPod(namespace: string, name: string, p: Preconditions, grace?: number) {
    this.calls.push(
      `evict ${namespace}/${name} uid=${p.uid} rv=${p.resourceVersion} grace=${grace ?? 'own'}`,
    );
    this.check(p);
  }
  /** The API server's precondition check (a pod written with a resourceVersion), then the failure asked for. */
  private check(p: Preconditions) {
    const version = this.current?.metadata?.resourceVersion;
    if (version !== undefined && p.resourceVersion !== version)
      throw Object.assign(new Error('HTTP error'), { code: 409 });
    if (this.failure) throw Object.assign(new Error('HTTP error'), this.failure);
  }
  async readController() {
    this.calls.push('readController');
    return undefined;
  }
  async deleteController() {
    this.calls.push('deleteController');
  }
  close() {}
}

let chaos: ChaosSettings = DEFAULT_CHAOS;
const rules: ShotRules = {
  selector: parseSelector('game=starwars'),
  selectorText: 'game=starwars',
  isProtected: (ns) => ns === 'kube-system',
  chaos: () => chaos,
};
const withChaos = (update: Partial<ChaosSettings>): ShotRules => ({
  ...rules,
  chaos: () => ({ ...chaos, ...update }),
});
const target = { uid: 'u1', name: 'ship-1', namespace: 'default' };

describe('a shot', () => {
  it('deletes exactly the pod it read, with uid and resourceVersion preconditions and the pod’s own grace period', async () => {
    const cluster = new FakeCluster(podAt7({ uid: 'u1' }));
    const result = await fireShot(cluster, target, rules);
    assert.equal(result.outcome, 'hit');
    assert.deepEqual(cluster.calls, ['read default/ship-1', 'delete default/ship-1 uid=u1 rv=7 grace=own']);
  });

  it('force deletes (grace 0) only when the weapon settings say so', async () => {
    const cluster = new FakeCluster(podAt7({ uid: 'u1' }));
    await fireShot(cluster, target, withChaos({ gracePeriodSeconds: 0 }));
    assert.deepEqual(cluster.calls, ['read default/ship-1', 'delete default/ship-1 uid=u1 rv=7 grace=0']);
  });

  it('a hard stop or dry run set while the pod was being read still applies: nothing is deleted', async () => {
    for (const [update, outcome] of [
      [{ halted: true }, 'refused'],
      [{ dryRun: true }, 'hit'],
    ] as const) {
      const cluster = new FakeCluster(podAt7({ uid: 'u1' }));
      cluster.duringRead = () => (chaos = { ...DEFAULT_CHAOS, ...update });
      try {
        const result = await fireShot(cluster, target, rules);
        assert.equal(result.outcome, outcome);
        assert.deepEqual(cluster.calls, ['read default/ship-1']);
      } finally {
        chaos = DEFAULT_CHAOS;
      }
    }
  });

  it('is refused in a protected namespace without even reading the pod', async () => {
    const cluster = new FakeCluster(pod({ uid: 'u1', namespace: 'kube-system' }));
    const result = await fireShot(cluster, { ...target, namespace: 'kube-system' }, rules);
    assert.deepEqual([result.outcome, result.reason], ['refused', 'namespace kube-system is protected']);
    assert.deepEqual(cluster.calls, []);
  });

  it('is refused, once, when the pod was relabelled away from the game since it was aimed at', async () => {
    const cluster = new FakeCluster(pod({ uid: 'u1', labels: { game: 'retired' } }));
    const result = await fireShot(cluster, target, rules);
    assert.equal(result.outcome, 'refused');
    assert.match(result.reason ?? '', /no longer matches the game selector game=starwars/);
    assert.deepEqual(cluster.calls, ['read default/ship-1']);
  });

  it('misses a pod already gone or replaced by a namesake, without deleting the namesake', async () => {
    assert.equal((await fireShot(new FakeCluster(undefined), target, rules)).outcome, 'missed');
    const namesake = new FakeCluster(pod({ uid: 'u2' }));
    assert.equal((await fireShot(namesake, target, rules)).outcome, 'missed');
    assert.deepEqual(namesake.calls, ['read default/ship-1']);
  });

  it('in dry run announces a hit and deletes nothing', async () => {
    const cluster = new FakeCluster(pod({ uid: 'u1' }));
    const result = await fireShot(cluster, target, withChaos({ dryRun: true }));
    assert.equal(result.outcome, 'hit');
    assert.deepEqual(cluster.calls, ['read default/ship-1']);
  });

  it('with the evict weapon asks the eviction API, and a PodDisruptionBudget refusal is reported once', async () => {
    const cluster = new FakeCluster(podAt7({ uid: 'u1' }), {
      code: 429,
      body: JSON.stringify({ message: "Cannot evict pod as it would violate the pod's disruption budget." }),
    });
    const result = await fireShot(cluster, target, withChaos({ weapon: 'evict', gracePeriodSeconds: 5 }));
    assert.equal(result.outcome, 'refused');
    assert.match(result.reason ?? '', /disruption budget/);
    assert.deepEqual(cluster.calls, ['read default/ship-1', 'evict default/ship-1 uid=u1 rv=7 grace=5']);
  });

  it('a uid precondition conflict or a 404 at delete time is a miss', async () => {
    assert.equal(
      (await fireShot(new FakeCluster(pod({ uid: 'u1' }), { code: 409 }), target, rules)).outcome,
      'missed',
    );
    assert.equal(
      (await fireShot(new FakeCluster(pod({ uid: 'u1' }), { code: 404 }), target, rules)).outcome,
      'missed',
    );
  });

  describe('at the pod as the game’s watch last saw it', () => {
    it('deletes that very version without reading the pod', async () => {
      for (const weapon of ['delete', 'evict'] as const) {
        const cluster = new FakeCluster(podAt7({ uid: 'u1' }));
        const result = await fireShot(cluster, target, withChaos({ weapon }), podAt7({ uid: 'u1' }));
        assert.equal(result.outcome, 'hit');
        assert.deepEqual(cluster.calls, [`${weapon} default/ship-1 uid=u1 rv=7 grace=own`]);
      }
    });

    it('reads and checks again a pod changed since: relabelled away, it is refused and never deleted', async () => {
      const relabelled = pod({ uid: 'u1', labels: { game: 'retired' } });
      relabelled.metadata!.resourceVersion = '8';
      const cluster = new FakeCluster(relabelled);
      const result = await fireShot(cluster, target, rules, podAt7({ uid: 'u1' }));
      assert.equal(result.outcome, 'refused');
      assert.match(result.reason ?? '', /no longer matches the game selector game=starwars/);
      assert.deepEqual(cluster.calls, ['delete default/ship-1 uid=u1 rv=7 grace=own', 'read default/ship-1']);
    });

    it('still in the game after the change, the pod is deleted at the version just read', async () => {
      const current = podAt7({ uid: 'u1' });
      current.metadata!.resourceVersion = '9';
      const cluster = new FakeCluster(current);
      assert.equal((await fireShot(cluster, target, rules, podAt7({ uid: 'u1' }))).outcome, 'hit');
      assert.deepEqual(cluster.calls, [
        'delete default/ship-1 uid=u1 rv=7 grace=own',
        'read default/ship-1',
        'delete default/ship-1 uid=u1 rv=9 grace=own',
      ]);
    });

    it('is not used for a dry run, a hard stop, another pod, a copy without resourceVersion or one already deleting', async () => {
      const cases: [ShotRules, V1Pod, string][] = [
        [withChaos({ dryRun: true }), podAt7({ uid: 'u1' }), 'hit'],
        [withChaos({ halted: true }), podAt7({ uid: 'u1' }), 'refused'],
        [rules, podAt7({ uid: 'u0' }), 'hit'],
        [rules, pod({ uid: 'u1' }), 'hit'],
        [rules, podAt7({ uid: 'u1', deleting: true }), 'hit'],
      ];
      for (const [given, seen, outcome] of cases) {
        const cluster = new FakeCluster(podAt7({ uid: 'u1' }));
        assert.equal((await fireShot(cluster, target, given, seen)).outcome, outcome);
        assert.equal(cluster.calls[0], 'read default/ship-1');
      }
    });
  });
});
