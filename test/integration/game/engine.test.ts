// The game engine against a real in-process sandbox, through client-node only: fleets under auto fire, safety of
// shots, restart of the engine and of the cluster.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppsV1Api, CoreV1Api, KubeConfig, type V1PodSpec } from '@kubernetes/client-node';
import { kubeShotClient } from '../../../server/game/chaos/shot.ts';
import { type GameEngine, startGameEngine } from '../../../server/game/engine.ts';
import type {
  GameStateView,
  RecoveryEvent,
  RoundDetail,
  TimelineEntry,
} from '../../../server/game/protocol.ts';
import { type RunningSandbox, startSandbox } from '../../../server/sandbox/index.ts';
import { until as poll } from '../../support/until.ts';
import type { Clock } from '../../../server/clock.ts';
import { seededRandom } from '../../../server/random.ts';

const dir = mkdtempSync(join(tmpdir(), 'kubewars-game-engine-'));
const kubeconfigOut = join(dir, 'kc');
const statePath = join(dir, 'sandbox-state.json');
let sandbox: RunningSandbox;
let port: number;
let core: CoreV1Api;
let apps: AppsV1Api;
const kubeConfig = new KubeConfig();

const spec: V1PodSpec = { containers: [{ name: 'ship', image: 'nginx' }] };
const game = (player: string) => ({ game: 'starwars', player });

/** Resolves once `check` holds, re-checking on every patch the engine sends; fails after `ms`. */
function until(engine: GameEngine, check: (state: GameStateView) => boolean, ms: number, what: string) {
  return new Promise<GameStateView>((resolve, reject) => {
    const done = (fn: () => void) => {
      clearTimeout(timer);
      off();
      fn();
    };
    const test = () => {
      const state = engine.state();
      if (check(state)) done(() => resolve(state));
    };
    const timer = setTimeout(
      () => done(() => reject(new Error(`timed out waiting for ${what}: ${JSON.stringify(engine.state())}`))),
      ms,
    );
    const off = engine.onPatch(test);
    test();
  });
}

const pick = (shot: { outcome: string; dryRun: boolean }) => ({ outcome: shot.outcome, dryRun: shot.dryRun });
const pickReason = (shot: { outcome: string; reason?: string }) => ({
  outcome: shot.outcome,
  reason: shot.reason,
});
const fleet = (state: GameStateView, player: string) => state.fleets.find((f) => f.player === player);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

before(async () => {
  port = await freePort();
  sandbox = await startSandbox({ port, kubeconfigOut, statePath, speed: 'fast' });
  kubeConfig.loadFromFile(sandbox.kubeconfigPath);
  core = kubeConfig.makeApiClient(CoreV1Api);
  apps = kubeConfig.makeApiClient(AppsV1Api);
  const bystander = await core.createNamespacedPod({
    namespace: 'default',
    body: { metadata: { name: 'bystander', labels: { app: 'web' } }, spec },
  });
  const guard = await core.createNamespacedPod({
    namespace: 'kube-system',
    body: { metadata: { name: 'guard', labels: game('guard') }, spec },
  });
  bystanderUids = [bystander.metadata?.uid ?? '', guard.metadata?.uid ?? ''];
});

/** A pod without the game label and a game pod in kube-system: no shot may ever reach them. */
let bystanderUids: string[] = [];
async function assertBystandersUntouched(): Promise<void> {
  const pods = await core.listPodForAllNamespaces();
  const uids = new Set(pods.items.map((p) => p.metadata?.uid));
  assert.ok(
    bystanderUids.every((uid) => uids.has(uid)),
    'the non-game pod and the kube-system game pod are untouched',
  );
}

after(async () => {
  await sandbox.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('game engine on the sandbox', () => {
  it('under 0.2 s auto fire the bare pod fleet is eliminated while an RC of 3 and a Deployment of 5 survive', async () => {
    await core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: 'solo', labels: game('solo') }, spec },
    });
    await core.createNamespacedReplicationController({
      namespace: 'default',
      body: {
        metadata: { name: 'rc' },
        spec: { replicas: 3, selector: game('rc'), template: { metadata: { labels: game('rc') }, spec } },
      },
    });
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'dep' },
        spec: {
          replicas: 5,
          selector: { matchLabels: game('dep') },
          template: { metadata: { labels: game('dep') }, spec },
        },
      },
    });

    const engine = await startGameEngine({
      kubeConfig,
      dataDir: join(dir, 'fleets'),
      random: seededRandom(7),
    });
    try {
      await until(
        engine,
        (s) =>
          fleet(s, 'solo')?.flying === 1 && fleet(s, 'rc')?.flying === 3 && fleet(s, 'dep')?.flying === 5,
        10_000,
        'three fleets flying',
      );
      const snapshot = engine.snapshot();
      assert.deepEqual(
        Object.fromEntries(snapshot.ships.map((s) => [s.fleet, s.controller])),
        { solo: 'Pod', rc: 'ReplicationController', dep: 'Deployment' },
        'protected and non-game pods are not ships; controllers shown',
      );
      // A snapshot only reads: taking one while a change is pending neither sends it nor numbers it.
      const seen: number[] = [];
      const off = engine.onPatch((patch) => seen.push(patch.seq));
      engine.setChaos({ jitter: 0.3 });
      const taken = [engine.snapshot(), engine.snapshot()];
      assert.deepEqual(seen, [], 'no patch went out');
      assert.equal(taken[1]?.seq, taken[0]?.seq);
      assert.equal(taken[0]?.chaos.jitter, 0.3, 'the snapshot holds the change');
      await poll(
        'the change as the next patch',
        async () => seen,
        (s) => s.length > 0,
      );
      assert.deepEqual(seen, [(taken[0]?.seq ?? 0) + 1]);
      off();
      const recoveryOps: RecoveryEvent[] = [];
      engine.onPatch((patch) => {
        for (const op of patch.ops) if (op.op === 'recovery') recoveryOps.push(op.recovery);
      });
      engine.setChaos({ auto: true, intervalSeconds: 0.2, fair: true, budgetPerMinute: 1000 });
      const round = engine.startRound(6);
      const final = await until(engine, (s) => s.round?.status === 'finished', 15_000, 'the round to finish');

      const solo = fleet(final, 'solo');
      assert.equal(solo?.alive, false);
      assert.notEqual(solo?.eliminatedAt, null);
      assert.equal(solo?.rank, 3);
      for (const player of ['rc', 'dep']) {
        const f = fleet(final, player);
        assert.equal(f?.alive, true, `${player} survives`);
        assert.ok((f?.hits ?? 0) > 0 && (f?.recoveries ?? 0) > 0, `${player} was hit and recovered`);
        assert.ok((f?.recoveryP95Ms ?? Infinity) < 5000, `${player} recovers within seconds`);
      }
      assert.ok(final.shots.hit >= 15, `about 5 shots a second for 6 s, got ${JSON.stringify(final.shots)}`);
      assert.equal(final.shots.refused, 0);

      await assertBystandersUntouched();

      const detail = engine.round(round.id);
      assert.equal(detail?.shotLog.length, final.shots.hit + final.shots.missed);

      // Every recovery the scores count went out as a patch, is in the snapshot and in the round's timeline.
      for (const player of ['rc', 'dep']) {
        const sent = recoveryOps.filter((r) => r.fleet === player);
        assert.equal(sent.length, fleet(final, player)?.recoveries, `${player}: one recovery patch each`);
        assert.ok(sent.every((r) => r.round === round.id && r.ms >= 0 && r.ms < 5000));
        assert.ok(
          sent.some((r) => r.uid && r.name?.startsWith(player)),
          `${player}: a recovery names the ship whose take-off completed it`,
        );
        const entries: TimelineEntry[] = detail?.timeline.filter((t) => t.fleet === player) ?? [];
        assert.deepEqual(
          entries.filter((t) => t.kind === 'recovered').map((t) => t.ms),
          sent.map((r) => r.ms),
        );
        assert.equal(entries.filter((t) => t.kind === 'hit').length, fleet(final, player)?.hits);
      }
      assert.deepEqual(engine.snapshot().recoveries, recoveryOps.slice(-50));
      const times = detail?.timeline.map((t) => t.time) ?? [];
      assert.deepEqual(
        times,
        [...times].sort((a, b) => a - b),
        'the timeline is in time order',
      );
      assert.ok(detail?.shotLog.every((s) => s.namespace === 'default' && s.name !== 'bystander'));
      const csv = engine.exportRound(round.id, 'csv')?.trim().split('\r\n') ?? [];
      assert.equal(csv.length, 4);
      assert.match(csv[3] ?? '', /^3,solo,false,/);
    } finally {
      engine.setChaos({ auto: false });
      await engine.close();
    }
  });

  it('1,000 shots never touch a non-game pod or a game pod in kube-system', async () => {
    // Auto fire at its fastest with every delay divided by 20: 1,000 shots in a few seconds.
    const hurried: Clock = {
      now: () => Date.now(),
      setTimeout: (fn, ms) => setTimeout(fn, ms / 20),
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    };
    const engine = await startGameEngine({ kubeConfig, dataDir: join(dir, 'thousand'), clock: hurried });
    try {
      // Twenty more ships so the fast guns rarely find the sky empty.
      await apps.createNamespacedDeployment({
        namespace: 'default',
        body: {
          metadata: { name: 'swarm' },
          spec: {
            replicas: 20,
            selector: { matchLabels: game('swarm') },
            template: { metadata: { labels: game('swarm') }, spec },
          },
        },
      });
      await until(engine, (s) => fleet(s, 'swarm')?.flying === 20, 10_000, 'the swarm flying');
      // Force deletes (an explicit weapon setting): the swarm is replaced at once, so 1,000 shots take seconds.
      engine.setChaos({
        auto: true,
        intervalSeconds: 0.05,
        jitter: 0,
        budgetPerMinute: 1_000_000,
        gracePeriodSeconds: 0,
      });
      engine.startRound(3600);
      const total = (s: GameStateView) => s.shots.hit + s.shots.missed + s.shots.refused;
      // About 40 s on an idle 2-core machine; twice as long when other test files share it.
      const final = await until(engine, (s) => total(s) >= 1000, 120_000, '1,000 shots');
      engine.setChaos({ auto: false });
      engine.stopRound();
      await apps.deleteNamespacedDeployment({ namespace: 'default', name: 'swarm' });
      assert.ok(final.shots.hit > 0);
      // The round page carries the latest shots; the JSON download has every one.
      assert.ok((engine.round(final.round?.id ?? 0)?.shotLogTotal ?? 0) >= 1000);
      const { shotLog } = JSON.parse(engine.exportRound(final.round?.id ?? 0, 'json') ?? '{}') as RoundDetail;
      assert.ok(shotLog.length >= 1000);
      assert.ok(
        shotLog.every((shot) => shot.namespace === 'default' && !['bystander', 'guard'].includes(shot.name)),
      );
      await assertBystandersUntouched();
    } finally {
      await engine.close();
    }
  });

  it('refuses a shot at a pod relabelled away from the game between aim and fire', async () => {
    const engine = await startGameEngine({ kubeConfig, dataDir: join(dir, 'relabel') });
    try {
      await core.createNamespacedPod({
        namespace: 'default',
        body: { metadata: { name: 'turncoat', labels: game('turncoat') }, spec },
      });
      await until(engine, (s) => fleet(s, 'turncoat')?.flying === 1, 10_000, 'turncoat flying');
      const aimed = engine.snapshot().ships.find((s) => s.name === 'turncoat');
      assert.ok(aimed);
      const current = await core.readNamespacedPod({ namespace: 'default', name: 'turncoat' });
      current.metadata!.labels = { game: 'retired', player: 'turncoat' };
      await core.replaceNamespacedPod({ namespace: 'default', name: 'turncoat', body: current });
      const shot = await engine.fire(aimed.uid);
      assert.equal(shot.outcome, 'refused');
      assert.match(shot.reason ?? '', /no longer matches the game selector game=starwars/);
      const survivor = await core.readNamespacedPod({ namespace: 'default', name: 'turncoat' });
      assert.equal(survivor.metadata?.uid, aimed.uid);
      await assert.rejects(engine.fire('no-such-uid'), { status: 404 });
    } finally {
      await engine.close();
    }
  });

  it('dry run deletes nothing, the hard stop and the kill budget refuse, the evict weapon uses the eviction API', async () => {
    const engine = await startGameEngine({ kubeConfig, dataDir: join(dir, 'controls') });
    try {
      await core.createNamespacedPod({
        namespace: 'default',
        body: { metadata: { name: 'target', labels: game('target') }, spec },
      });
      await until(engine, (s) => fleet(s, 'target')?.flying === 1, 10_000, 'target flying');
      const uid = engine.snapshot().ships.find((s) => s.name === 'target')?.uid ?? '';

      engine.setChaos({ dryRun: true });
      assert.deepEqual(pick(await engine.fire(uid)), { outcome: 'hit', dryRun: true });
      engine.setChaos({ dryRun: false, halted: true });
      assert.deepEqual(pick(await engine.fire(uid)), { outcome: 'refused', dryRun: false });
      engine.setChaos({ halted: false, budgetPerMinute: 0 });
      const overBudget = await engine.fire(uid);
      assert.match(overBudget.reason ?? '', /budget/);
      assert.equal(
        (await core.readNamespacedPod({ namespace: 'default', name: 'target' })).metadata?.uid,
        uid,
      );

      engine.setChaos({ budgetPerMinute: 60, weapon: 'evict' });
      assert.equal((await engine.fire(uid)).outcome, 'hit');
      await until(engine, (s) => fleet(s, 'target')?.total === 0, 10_000, 'the evicted pod gone');
    } finally {
      await engine.close();
    }
  });

  it('with capital ships on, enough manual hits destroy the controller and orphan its pods', async () => {
    const engine = await startGameEngine({ kubeConfig, dataDir: join(dir, 'capital') });
    try {
      await core.createNamespacedReplicationController({
        namespace: 'default',
        body: {
          metadata: { name: 'destroyer' },
          spec: {
            replicas: 2,
            selector: game('destroyer'),
            template: { metadata: { labels: game('destroyer') }, spec },
          },
        },
      });
      await until(engine, (s) => fleet(s, 'destroyer')?.flying === 2, 10_000, 'the destroyer flying');
      engine.setChaos({ capitalShips: { enabled: true, hitsToDestroy: 2 } });
      const flyingShip = () =>
        engine.snapshot().ships.find((s) => s.fleet === 'destroyer' && s.state === 'flying');
      const first = flyingShip()?.uid ?? '';
      assert.deepEqual(pickReason(await engine.fire(first)), { outcome: 'hit', reason: undefined });
      const hitShipGone = () => engine.snapshot().ships.every((s) => s.uid !== first || s.state !== 'flying');
      await until(
        engine,
        (s) => hitShipGone() && fleet(s, 'destroyer')?.flying === 2,
        10_000,
        'a replacement',
      );
      assert.deepEqual(pickReason(await engine.fire(flyingShip()?.uid ?? '')), {
        outcome: 'hit',
        reason: undefined,
      });
      await assert.rejects(
        core.readNamespacedReplicationController({ namespace: 'default', name: 'destroyer' }),
        {
          code: 404,
        },
      );
      // Orphaned: its pods stay as bare pods (the RC may have replaced the last hit before it went), and a pod
      // shot now is not replaced.
      const orphans = await until(
        engine,
        (s) => fleet(s, 'destroyer')?.controllers.join() === 'Pod',
        10_000,
        'orphaned pods',
      );
      const before = fleet(orphans, 'destroyer')?.total ?? 0;
      assert.ok(before >= 1);
      assert.equal((await engine.fire(flyingShip()?.uid ?? '')).outcome, 'hit');
      await until(engine, (s) => fleet(s, 'destroyer')?.total === before - 1, 10_000, 'an orphan fewer');
    } finally {
      await engine.close();
    }
  });

  it('with capital ships on, a Deployment is destroyed with its ReplicaSet, so nothing recreates its pods', async () => {
    const engine = await startGameEngine({ kubeConfig, dataDir: join(dir, 'capital-deployment') });
    try {
      await apps.createNamespacedDeployment({
        namespace: 'default',
        body: {
          metadata: { name: 'cruiser' },
          spec: {
            replicas: 2,
            selector: { matchLabels: game('cruiser') },
            template: { metadata: { labels: game('cruiser') }, spec },
          },
        },
      });
      await until(engine, (s) => fleet(s, 'cruiser')?.flying === 2, 10_000, 'the cruiser flying');
      engine.setChaos({ capitalShips: { enabled: true, hitsToDestroy: 2 } });
      const flyingShip = () =>
        engine.snapshot().ships.find((s) => s.fleet === 'cruiser' && s.state === 'flying');
      const first = flyingShip()?.uid ?? '';
      assert.equal((await engine.fire(first)).outcome, 'hit');
      const hitShipGone = () => engine.snapshot().ships.every((s) => s.uid !== first || s.state !== 'flying');
      await until(engine, (s) => hitShipGone() && fleet(s, 'cruiser')?.flying === 2, 10_000, 'a replacement');
      assert.equal((await engine.fire(flyingShip()?.uid ?? '')).outcome, 'hit');
      await assert.rejects(apps.readNamespacedDeployment({ namespace: 'default', name: 'cruiser' }), {
        code: 404,
      });
      await poll(
        'the ReplicaSet gone',
        () => apps.listNamespacedReplicaSet({ namespace: 'default', labelSelector: 'player=cruiser' }),
        (sets) => sets.items.length === 0,
      );
      const orphans = await until(
        engine,
        (s) => fleet(s, 'cruiser')?.controllers.join() === 'Pod',
        10_000,
        'orphaned pods',
      );
      assert.ok((fleet(orphans, 'cruiser')?.total ?? 0) >= 1);
      assert.ok(
        engine.snapshot().shots?.every((s) => s.outcome === 'hit'),
        'no refused capital ship',
      );
    } finally {
      await engine.close();
    }
  });

  it('a capital ship the cluster refuses to delete is a refused shot on the feed with the reason', async () => {
    const engine = await startGameEngine({
      kubeConfig,
      dataDir: join(dir, 'capital-forbidden'),
      // What a cluster answers when the game's ClusterRole grants pods only.
      shotClient: (kc) => ({
        ...kubeShotClient(kc),
        deleteController: () =>
          Promise.reject(Object.assign(new Error('deployments.apps "frigate" is forbidden'), { code: 403 })),
      }),
    });
    try {
      await apps.createNamespacedDeployment({
        namespace: 'default',
        body: {
          metadata: { name: 'frigate' },
          spec: {
            replicas: 1,
            selector: { matchLabels: game('frigate') },
            template: { metadata: { labels: game('frigate') }, spec },
          },
        },
      });
      await until(engine, (s) => fleet(s, 'frigate')?.flying === 1, 10_000, 'the frigate flying');
      engine.setChaos({ capitalShips: { enabled: true, hitsToDestroy: 1 } });
      const fed: string[] = [];
      engine.onPatch((patch) => {
        for (const op of patch.ops) if (op.op === 'shot') fed.push(`${op.shot.outcome} ${op.shot.name}`);
      });
      const ship = engine.snapshot().ships.find((s) => s.fleet === 'frigate');
      assert.equal((await engine.fire(ship?.uid ?? '')).outcome, 'hit');
      const refused = engine.snapshot().shots?.at(-1);
      assert.equal(refused?.outcome, 'refused');
      assert.equal(refused?.fleet, 'frigate');
      assert.match(
        refused?.reason ?? '',
        /^capital ship Deployment\/frigate survived: the game may not delete Deployments: grant its service account delete on deployments/,
      );
      await poll(
        'both shots on the feed',
        async () => fed,
        (f) => f.length >= 2,
      );
      assert.deepEqual(fed, [`hit ${ship?.name}`, 'refused Deployment/frigate']);
      assert.equal(engine.state().shots.refused, 0, 'outside a round nothing is counted');
      await apps.readNamespacedDeployment({ namespace: 'default', name: 'frigate' });
    } finally {
      await engine.close();
      await apps.deleteNamespacedDeployment({ namespace: 'default', name: 'frigate' });
    }
  });

  it('a finished round keeps its final standings when the eliminated bare pod is re-applied', async () => {
    const engine = await startGameEngine({ kubeConfig, dataDir: join(dir, 'frozen'), persistIntervalMs: 50 });
    const phoenix = { metadata: { name: 'phoenix', labels: game('phoenix') }, spec };
    try {
      await core.createNamespacedPod({ namespace: 'default', body: phoenix });
      await until(engine, (s) => fleet(s, 'phoenix')?.flying === 1, 10_000, 'phoenix flying');
      const round = engine.startRound(2);
      await until(engine, (s) => s.round?.status === 'running', 10_000, 'the round running');
      const target = engine.snapshot().ships.find((s) => s.fleet === 'phoenix');
      assert.equal((await engine.fire(target?.uid ?? '')).outcome, 'hit');
      const final = await until(engine, (s) => s.round?.status === 'finished', 10_000, 'the round to finish');
      assert.equal(fleet(final, 'phoenix')?.alive, false);
      const detail = engine.round(round.id);
      const csv = engine.exportRound(round.id, 'csv');

      // Re-applied after the end: the pod flies again, and a fleet that never played arrives.
      await until(
        engine,
        () => !engine.snapshot().ships.some((s) => s.fleet === 'phoenix'),
        10_000,
        'wreck gone',
      );
      await core.createNamespacedPod({ namespace: 'default', body: phoenix });
      await core.createNamespacedPod({
        namespace: 'default',
        body: { metadata: { name: 'latecomer', labels: game('latecomer') }, spec },
      });
      const flies = (player: string) =>
        engine.snapshot().ships.some((s) => s.fleet === player && s.state === 'flying');
      await until(
        engine,
        () => flies('phoenix') && flies('latecomer'),
        10_000,
        'phoenix and latecomer flying',
      );

      assert.deepEqual(engine.state().fleets, final.fleets);
      assert.deepEqual(engine.snapshot().fleets, final.fleets);
      assert.deepEqual(engine.round(round.id)?.fleets, detail?.fleets);
      assert.equal(engine.exportRound(round.id, 'csv'), csv);
      assert.equal(fleet(engine.state(), 'latecomer'), undefined);
    } finally {
      await engine.close();
      await core.deleteNamespacedPod({ namespace: 'default', name: 'phoenix', gracePeriodSeconds: 0 });
      await core.deleteNamespacedPod({ namespace: 'default', name: 'latecomer', gracePeriodSeconds: 0 });
    }
  });

  it('a restarted engine resumes the running round with its scores', async () => {
    const dataDir = join(dir, 'resume');
    const first = await startGameEngine({ kubeConfig, dataDir, random: seededRandom(3) });
    let before: GameStateView;
    try {
      await until(first, (s) => fleet(s, 'rc')?.flying === 3, 10_000, 'rc flying');
      first.setChaos({ auto: true, intervalSeconds: 0.2, budgetPerMinute: 1000 });
      first.startRound(60);
      before = await until(first, (s) => s.shots.hit >= 5, 15_000, 'five hits');
    } finally {
      await first.close();
    }
    const second = await startGameEngine({ kubeConfig, dataDir });
    try {
      const after = second.state();
      assert.equal(after.round?.id, before.round?.id);
      assert.equal(after.round?.status, 'running');
      assert.equal(after.chaos.auto, true, 'chaos settings are kept');
      assert.ok(after.shots.hit >= before.shots.hit);
      const hits = (s: GameStateView) => s.fleets.reduce((n, f) => n + f.hits, 0);
      assert.ok(hits(after) >= hits(before) && hits(after) > 0);
      assert.equal(second.rounds()[0]?.id, before.round?.id);
    } finally {
      second.stopRound();
      second.setChaos({ auto: false });
      await second.close();
    }
  });

  it('a watch that resumes into 410 Gone relists: a pod removed while away leaves, a new one joins', async () => {
    const engine = await startGameEngine({ kubeConfig, dataDir: join(dir, 'gone') });
    try {
      await core.createNamespacedPod({
        namespace: 'default',
        body: { metadata: { name: 'ghost', labels: game('ghost') }, spec },
      });
      await until(engine, (s) => s.connected && fleet(s, 'ghost')?.flying === 1, 10_000, 'the ghost flying');
      await sandbox.stop();
      await until(engine, (s) => !s.connected, 10_000, 'disconnected');
      // While the game is away the ghost pod vanishes and the cluster moves far past the game's resourceVersion,
      // beyond any watch history: resuming must get 410 Gone and the relist must notice the missing pod.
      const state = JSON.parse(readFileSync(statePath, 'utf8')) as {
        resourceVersion: number;
        objects: { kind: string; metadata: { name?: string } }[];
      };
      state.objects = state.objects.filter((o) => !(o.kind === 'Pod' && o.metadata.name === 'ghost'));
      state.resourceVersion += 50_000;
      writeFileSync(statePath, JSON.stringify(state));
      sandbox = await startSandbox({ port, kubeconfigOut, statePath, speed: 'fast' });
      await core.createNamespacedPod({
        namespace: 'default',
        body: { metadata: { name: 'fresh', labels: game('fresh') }, spec },
      });
      await until(
        engine,
        (s) => s.connected && fleet(s, 'fresh')?.flying === 1 && (fleet(s, 'ghost')?.flying ?? 0) === 0,
        20_000,
        'relisted: fresh flying, ghost gone',
      );
    } finally {
      await engine.close();
    }
  });

  it('the watch reconnects after the cluster restarts and sees what changed meanwhile; the round runs on', async () => {
    const engine = await startGameEngine({ kubeConfig, dataDir: join(dir, 'restart') });
    try {
      await until(engine, (s) => s.connected && fleet(s, 'rc')?.flying === 3, 10_000, 'connected');
      const round = engine.startRound(600);
      await until(engine, (s) => s.round?.status === 'running', 10_000, 'the round running');
      const target = engine.snapshot().ships.find((s) => s.fleet === 'rc' && s.state === 'flying');
      assert.equal((await engine.fire(target?.uid ?? '')).outcome, 'hit');
      const hitBefore = await until(engine, (s) => fleet(s, 'rc')?.recoveries === 1, 10_000, 'rc recovered');
      assert.equal(fleet(hitBefore, 'rc')?.hits, 1);
      await sandbox.stop();
      await until(engine, (s) => !s.connected && s.reconnectingSince !== null, 10_000, 'disconnected');
      sandbox = await startSandbox({ port, kubeconfigOut, statePath, speed: 'fast' });
      await core.createNamespacedPod({
        namespace: 'default',
        body: { metadata: { name: 'late', labels: game('late') }, spec },
      });
      const back = await until(
        engine,
        (s) => s.connected && fleet(s, 'late')?.flying === 1,
        20_000,
        'reconnected with the new pod',
      );
      assert.equal(back.reconnectingSince, null);
      assert.deepEqual([back.round?.id, back.round?.status], [round.id, 'running'], 'the round runs on');
      assert.equal(fleet(back, 'rc')?.hits, 1, 'its hits are kept');
      assert.equal(fleet(back, 'rc')?.recoveries, 1);
      assert.equal(back.shots.hit, 1);
    } finally {
      if (engine.state().round?.status === 'running') engine.stopRound();
      await engine.close();
    }
  });
});
