// One engine, two real sandboxes through client-node: the main cluster (fleets by label) and an attendee's cluster
// added with addCluster (every game pod there is the attendee's). Shots land in the ship's own cluster only, labels
// cannot move ships across fleets, and removeCluster takes the attendee's fleet out of the battle.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppsV1Api, CoreV1Api, KubeConfig, type V1Pod, type V1PodSpec } from '@kubernetes/client-node';
import { type GameEngine, startGameEngine } from '../../../server/game/engine.ts';
import type { Ship } from '../../../server/game/protocol.ts';
import { type RunningSandbox, startSandbox } from '../../../server/sandbox/index.ts';
import { until } from '../../support/until.ts';

const dir = mkdtempSync(join(tmpdir(), 'kubewars-room-engine-'));
const spec: V1PodSpec = { containers: [{ name: 'ship', image: 'nginx' }] };
const game = (player: string) => ({ game: 'starwars', player });

interface Cluster {
  sandbox: RunningSandbox;
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
}

async function cluster(name: string): Promise<Cluster> {
  const sandbox = await startSandbox({
    port: 0,
    kubeconfigOut: join(dir, `${name}.kubeconfig`),
    speed: 'fast',
  });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(sandbox.kubeconfigPath);
  return {
    sandbox,
    kubeConfig,
    core: kubeConfig.makeApiClient(CoreV1Api),
    apps: kubeConfig.makeApiClient(AppsV1Api),
  };
}

let main: Cluster;
let finn: Cluster;
let engine: GameEngine;

const shipsOf = (fleet: string) => engine.snapshot().ships.filter((s) => s.fleet === fleet);
const flying = (ships: Ship[]) => ships.filter((s) => s.state === 'flying');
const solo = (labels: Record<string, string>): V1Pod => ({ metadata: { name: 'solo', labels }, spec });

before(async () => {
  [main, finn] = await Promise.all([cluster('main'), cluster('finn')]);
  engine = await startGameEngine({ kubeConfig: main.kubeConfig, dataDir: join(dir, 'game') });
});

after(async () => {
  await engine.close();
  await Promise.all([main.sandbox.stop(), finn.sandbox.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('game engine on two clusters', () => {
  it("shows both clusters' ships in their own fleets, whatever the attendee's pods are labelled", async () => {
    // The same namespace/name in both clusters, both labelled for rey.
    await main.core.createNamespacedPod({ namespace: 'default', body: solo(game('rey')) });
    await engine.addCluster({ id: 'finn', fleet: 'finn', kubeConfig: finn.kubeConfig });
    await finn.core.createNamespacedPod({ namespace: 'default', body: solo(game('rey')) });
    await finn.apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'wing' },
        spec: {
          replicas: 2,
          selector: { matchLabels: game('poe') },
          template: { metadata: { labels: game('poe') }, spec },
        },
      },
    });
    await finn.core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: 'bystander', labels: { app: 'web' } }, spec },
    });
    await until(
      'three flying ships in fleet finn and one in rey',
      async () => ({ finn: flying(shipsOf('finn')).length, rey: flying(shipsOf('rey')).length }),
      (n) => n.finn === 3 && n.rey === 1,
    );
    assert.deepEqual(engine.fleet('finn'), { flying: 3, total: 3 });
    assert.deepEqual(engine.fleet('rey'), { flying: 1, total: 1 });
    assert.equal(engine.fleet('poe'), undefined, 'no fleet comes from a label in an attendee cluster');
    assert.ok(shipsOf('finn').every((s) => s.uid.startsWith('finn/')));
    assert.deepEqual(
      engine
        .state()
        .fleets.map((f) => f.player)
        .sort(),
      ['finn', 'rey'],
    );
  });

  it("a relabelled pod of the attendee's cluster stays in the attendee's fleet", async () => {
    const [pod] = (await finn.core.listNamespacedPod({ namespace: 'default', labelSelector: 'player=poe' }))
      .items;
    const name = pod?.metadata?.name ?? '';
    await finn.core.patchNamespacedPod({
      namespace: 'default',
      name,
      body: [{ op: 'replace', path: '/metadata/labels/player', value: 'rey' }],
    });
    const relabelled = await finn.core.readNamespacedPod({ namespace: 'default', name });
    assert.equal(relabelled.metadata?.labels?.player, 'rey');
    // A watch delivers events in order: once a pod made after the change is seen, the change has been seen too.
    await finn.core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: 'sentinel', labels: game('rey') }, spec },
    });
    await until('the pod made after the change seen by the game', async () =>
      shipsOf('finn').some((s) => s.name === 'sentinel'),
    );
    assert.equal(engine.snapshot().ships.find((s) => s.name === name)?.fleet, 'finn');
    assert.equal(flying(shipsOf('rey')).length, 1);
  });

  it('a shot at a ship of the second cluster deletes that pod there, and not its namesake in the main cluster', async () => {
    const mainSolo = await main.core.readNamespacedPod({ namespace: 'default', name: 'solo' });
    const finnSolo = await finn.core.readNamespacedPod({ namespace: 'default', name: 'solo' });
    const target = shipsOf('finn').find((s) => s.name === 'solo');
    assert.equal(target?.uid, `finn/${finnSolo.metadata?.uid}`);
    const shot = await engine.fire(target?.uid ?? '');
    assert.deepEqual(
      { outcome: shot.outcome, uid: shot.uid, fleet: shot.fleet },
      { outcome: 'hit', uid: target?.uid, fleet: 'finn' },
    );
    await until('solo gone from the second cluster', async () => {
      const pods = await finn.core.listNamespacedPod({ namespace: 'default' });
      return !pods.items.some((p) => p.metadata?.name === 'solo');
    });
    const stillThere = await main.core.readNamespacedPod({ namespace: 'default', name: 'solo' });
    assert.equal(stillThere.metadata?.uid, mainSolo.metadata?.uid);
    assert.equal(stillThere.metadata?.deletionTimestamp, undefined);
    await until(
      'the game sees the hit ship gone',
      async () => !flying(shipsOf('finn')).some((s) => s.name === 'solo'),
    );
    assert.deepEqual(
      flying(shipsOf('rey')).map((s) => s.uid),
      [mainSolo.metadata?.uid],
    );
  });

  it('removeCluster takes the fleet out of the battle at once and stops watching the cluster', async () => {
    await engine.removeCluster('finn');
    assert.deepEqual(shipsOf('finn'), []);
    assert.equal(engine.fleet('finn'), undefined);
    assert.deepEqual(
      engine.state().fleets.map((f) => f.player),
      ['rey'],
    );
    await finn.core.createNamespacedPod({ namespace: 'default', body: solo(game('finn')) });
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(
      engine.snapshot().ships.map((s) => s.fleet),
      ['rey'],
    );
    assert.equal(engine.state().connected, true);
  });
});
