// The engine with many clusters (a room): fake clusters through the engine's informer and shot client seams, the
// fake clock for every timer.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { KubeConfig } from '@kubernetes/client-node';
import { type GameEngine, startGameEngine } from '../../../server/game/engine.ts';
import type { ChaosUpdate, GamePatch, PatchOp } from '../../../server/game/protocol.ts';
import { seededRandom } from '../../../server/random.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { FakeCluster } from './fake-cluster.ts';
import { pod } from './pods.ts';

const game = (player?: string) => ({ game: 'starwars', ...(player ? { player } : {}) });
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

async function withEngine(test: (t: ReturnType<typeof harness>) => Promise<void>, chaos: ChaosUpdate = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kubewars-engine-unit-'));
  const clock = new FakeClock();
  const clusters = new Map<string, FakeCluster>();
  const cluster = (name: string) => {
    let c = clusters.get(name);
    if (!c) clusters.set(name, (c = new FakeCluster(name)));
    return c;
  };
  const byKubeConfig = (kc: KubeConfig) => cluster(kc.getCurrentCluster()?.name ?? '');
  const engine = await startGameEngine({
    kubeConfig: cluster('main').kubeConfig,
    dataDir: dir,
    clock,
    random: seededRandom(7),
    shotClient: byKubeConfig,
    podInformers: (kc) => [byKubeConfig(kc).informer],
  });
  if (Object.keys(chaos).length > 0) engine.setChaos(chaos);
  try {
    await test(harness(engine, clock, cluster));
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function harness(engine: GameEngine, clock: FakeClock, cluster: (name: string) => FakeCluster) {
  const patches: GamePatch[] = [];
  engine.onPatch((p) => patches.push(p));
  return {
    engine,
    clock,
    cluster,
    main: cluster('main'),
    /** Joins an attendee's cluster, fleet named after it. */
    async join(name: string) {
      const c = cluster(name);
      await engine.addCluster({ id: name, fleet: name, kubeConfig: c.kubeConfig });
      return c;
    },
    /** The ops of the patches sent since the last call. */
    sent(): PatchOp[] {
      clock.advance(20);
      return patches.splice(0).flatMap((p) => p.ops);
    },
    /** The snapshot's ships, sorted: their order in the snapshot means nothing. */
    ships: () =>
      engine
        .snapshot()
        .ships.map((s) => `${s.uid} ${s.fleet} ${s.state}`)
        .sort(),
  };
}

describe('game engine with attendee clusters', () => {
  it("puts every game pod of an attendee's cluster in its fleet, whatever its player label, and keeps clusters apart", () =>
    withEngine(async ({ engine, main, join, ships }) => {
      main.put(pod({ uid: 'u1', name: 'solo', labels: game('rey') }));
      const finn = await join('finn');
      // The same uid and namespace/name as the main cluster's pod, labelled for someone else's fleet.
      finn.put(pod({ uid: 'u1', name: 'solo', labels: game('rey') }));
      finn.put(pod({ uid: 'u2', name: 'crashing', labels: game(), ready: false }));
      finn.put(pod({ uid: 'u3', name: 'guard', namespace: 'kube-system', labels: game() }));
      assert.deepEqual(ships(), ['finn/u1 finn flying', 'finn/u2 finn damaged', 'u1 rey flying']);
      assert.deepEqual(engine.fleet('finn'), { flying: 1, total: 2 });
      assert.deepEqual(engine.fleet('rey'), { flying: 1, total: 1 }, "the main cluster's label fleet");
      await join('poe');
      assert.deepEqual(engine.fleet('poe'), { flying: 0, total: 0 }, 'a joined cluster without ships');
      assert.equal(engine.fleet('nobody'), undefined);
    }));

  it("fires a manual shot into the ship's own cluster only, at the pod as its watch saw it, with the selector re-checked there when it changed", () =>
    withEngine(async ({ engine, main, join, ships }) => {
      main.put(pod({ uid: 'u1', name: 'solo', labels: game('rey') }));
      const finn = await join('finn');
      finn.put(pod({ uid: 'u1', name: 'solo', labels: game('rey') }));
      finn.put(pod({ uid: 'u5', name: 'relabelled', labels: game() }));
      finn.put(pod({ uid: 'u6', name: 'restarted', labels: game() }));
      const shot = await engine.fire('finn/u1');
      assert.deepEqual(
        { uid: shot.uid, fleet: shot.fleet, name: shot.name, outcome: shot.outcome },
        { uid: 'finn/u1', fleet: 'finn', name: 'solo', outcome: 'hit' },
      );
      // The pod as finn's watch delivered it (resourceVersion 1): no read, the delete holds it to that version.
      assert.deepEqual(finn.calls.splice(0), ['delete default/solo uid=u1 rv=1']);
      assert.deepEqual(main.calls, []);
      assert.deepEqual(ships(), [
        'finn/u1 finn destroyed',
        'finn/u5 finn flying',
        'finn/u6 finn flying',
        'u1 rey flying',
      ]);

      // Relabelled in finn's cluster since the game saw it (no event yet): the delete's precondition fails, the pod
      // is read again, and the shot is refused.
      finn.putUnheard(pod({ uid: 'u5', name: 'relabelled', labels: { game: 'off' } }));
      const refused = await engine.fire('finn/u5');
      assert.equal(refused.outcome, 'refused');
      assert.match(refused.reason ?? '', /no longer matches the game selector game=starwars/);
      assert.deepEqual(finn.calls.splice(0), [
        'delete default/relabelled uid=u5 rv=2',
        'read default/relabelled',
      ]);
      assert.equal(finn.pods.get('default/relabelled')?.metadata?.uid, 'u5');

      // Changed but still in the game (a restart): read again, and deleted at its current version.
      finn.putUnheard(pod({ uid: 'u6', name: 'restarted', labels: game() }));
      assert.equal((await engine.fire('finn/u6')).outcome, 'hit');
      assert.deepEqual(finn.calls, [
        'delete default/restarted uid=u6 rv=3',
        'read default/restarted',
        'delete default/restarted uid=u6 rv=5',
      ]);
      assert.deepEqual(main.calls, []);
    }));

  it('auto fire reaches attendee clusters, and stops at the kill budget shared by all clusters', () =>
    withEngine(
      async ({ engine, clock, join }) => {
        const finn = await join('finn');
        const rey = await join('rey');
        // Replaced at once, like a controller would, so every shot finds a flying ship.
        for (const c of [finn, rey]) {
          c.put(pod({ uid: `${c.name}-0`, name: `${c.name}-0`, labels: game() }));
          const deletePod = c.deletePod.bind(c);
          let next = 1;
          c.deletePod = async (namespace, name, uid) => {
            await deletePod(namespace, name, uid);
            c.put(pod({ uid: `${c.name}-${next}`, name: `${c.name}-${next}`, labels: game() }));
            next++;
          };
        }
        engine.startRound(60);
        for (let i = 0; i < 40; i++) {
          clock.advance(250);
          await settle();
        }
        const shots = engine.snapshot().shots ?? [];
        const hits = shots.filter((s) => s.outcome === 'hit');
        assert.equal(hits.length, 5, 'the budget of 5 a minute covers every cluster together');
        assert.ok(shots.some((s) => s.reason === 'kill budget for this minute used up'));
        for (const hit of hits)
          assert.equal(hit.uid.split('/')[0], hit.fleet, 'a hit names its ship and fleet');
        const deletes = [...finn.calls, ...rey.calls].filter((c) => c.startsWith('delete'));
        assert.equal(deletes.length, 5);
        assert.ok(
          finn.calls.some((c) => c.startsWith('delete')) && rey.calls.some((c) => c.startsWith('delete')),
        );
      },
      { auto: true, intervalSeconds: 0.5, jitter: 0, budgetPerMinute: 5, fair: true },
    ));

  it("records a capital ship that survived in the attendee's fleet, its controller deleted in that cluster", () =>
    withEngine(
      async ({ engine, main, join }) => {
        const finn = await join('finn');
        finn.refuseControllers = 403;
        const owner = { kind: 'ReplicationController', name: 'rc', uid: 'rc-1' };
        finn.putController('ReplicationController', {
          metadata: { name: 'rc', namespace: 'default', uid: 'rc-1', resourceVersion: '4' },
          spec: { template: { metadata: { labels: game('rey') } } },
        });
        finn.put(pod({ uid: 'u1', name: 'rc-a', labels: game('rey'), owner }));
        await engine.fire('finn/u1');
        assert.ok(
          finn.calls.includes('delete ReplicationController default/rc uid=rc-1 Orphan'),
          finn.calls.join(),
        );
        assert.deepEqual(main.calls, []);
        const survived = engine.snapshot().shots?.at(-1);
        assert.deepEqual(
          { uid: survived?.uid, fleet: survived?.fleet, outcome: survived?.outcome },
          { uid: 'finn/rc-1', fleet: 'finn', outcome: 'refused' },
        );
      },
      { capitalShips: { enabled: true, hitsToDestroy: 1 } },
    ));

  it('removes a cluster: its ships and fleet leave in the next patch, its watch and client stop, nothing of it stays', () =>
    withEngine(async ({ engine, main, join, sent, ships }) => {
      main.put(pod({ uid: 'm1', name: 'solo', labels: game('rey') }));
      const finn = await join('finn');
      finn.put(pod({ uid: 'a', name: 'a', labels: game() }));
      finn.put(pod({ uid: 'b', name: 'b', labels: game() }));
      engine.startRound(60);
      sent();
      await engine.removeCluster('finn');
      const ops = sent();
      assert.deepEqual(ops.flatMap((op) => (op.op === 'shipRemoved' ? [op.uid] : [])).sort(), [
        'finn/a',
        'finn/b',
      ]);
      assert.deepEqual(
        ops.filter((op) => op.op === 'fleetRemoved'),
        [{ op: 'fleetRemoved', player: 'finn' }],
      );
      assert.deepEqual(ships(), ['m1 rey flying']);
      assert.deepEqual(
        engine.state().fleets.map((f) => f.player),
        ['rey'],
      );
      assert.equal(engine.fleet('finn'), undefined);
      assert.equal(finn.informer.stops, 1);
      assert.equal(finn.closed, true);
      finn.put(pod({ uid: 'c', name: 'c', labels: game() }));
      assert.deepEqual(ships(), ['m1 rey flying'], 'a late event of a removed cluster is ignored');
      await assert.rejects(engine.fire('finn/a'), { status: 404 });
      await engine.removeCluster('finn');

      // The name is free again: the attendee can join anew.
      const again = await join('finn');
      again.put(pod({ uid: 'd', name: 'd', labels: game() }));
      assert.deepEqual(engine.fleet('finn'), { flying: 1, total: 1 });
    }));

  it('refuses a cluster id or fleet already in the game, and the main cluster id', () =>
    withEngine(async ({ engine, join, cluster }) => {
      await join('finn');
      const kubeConfig = cluster('other').kubeConfig;
      await assert.rejects(engine.addCluster({ id: 'finn', fleet: 'x', kubeConfig }), {
        status: 409,
        message: 'Cluster finn is already in the game.',
      });
      await assert.rejects(engine.addCluster({ id: 'other', fleet: 'finn', kubeConfig }), {
        status: 409,
        message: 'Fleet finn already belongs to cluster finn.',
      });
      await assert.rejects(engine.addCluster({ id: 'main', fleet: 'x', kubeConfig }), { status: 400 });
      await assert.rejects(engine.addCluster({ id: 'a/b', fleet: 'x', kubeConfig }), { status: 400 });
      assert.equal(cluster('other').informer.starts, 0, 'nothing was watched');
    }));

  it('shows the battle reconnecting while an attendee cluster lost its watch, and counts clusters in the metrics', () =>
    withEngine(async ({ engine, clock, join }) => {
      const finn = await join('finn');
      await join('rey');
      assert.equal(engine.state().connected, true);
      const lostAt = clock.now();
      finn.informer.emit('error', new Error('watch closed'));
      assert.deepEqual(
        { connected: engine.state().connected, since: engine.state().reconnectingSince },
        { connected: false, since: lostAt },
      );
      clock.advance(500);
      await settle();
      assert.equal(engine.state().connected, true);
      const text = await engine.metrics.metrics();
      assert.match(text, /kubewars_game_clusters 3/);
      assert.match(text, /kubewars_game_watch_reconnects_total 1/);
      await engine.removeCluster('rey');
      assert.match(await engine.metrics.metrics(), /kubewars_game_clusters 2/);
    }));
});
