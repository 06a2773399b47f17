import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startControllers } from '../../../server/sandbox/controllers/index.ts';
import type { KubeObject } from '../../../server/sandbox/types.ts';
import { FakeClock, seededRandom } from './support/fake-clock.ts';
import { MemoryCluster, settle } from './support/memory-cluster.ts';

const PODS = { group: '', resource: 'pods' };
const DEPLOYMENTS = { group: 'apps', resource: 'deployments' };
const REPLICASETS = { group: 'apps', resource: 'replicasets' };
const EVENTS = { group: '', resource: 'events' };

function boot() {
  const clock = new FakeClock();
  const cluster = new MemoryCluster(clock);
  const controllers = startControllers(cluster, { clock, random: seededRandom(), speed: 'fast' });
  settle(cluster, clock);
  return { clock, cluster, controllers, run: (ms = 0) => settle(cluster, clock, ms) };
}

function deployment(name: string, replicas: number, image = 'nginx:1.27'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image }] } },
    },
  };
}

const podsOf = (cluster: MemoryCluster) => cluster.list(PODS, { namespace: 'default' }).items;
const phase = (pod: KubeObject) => (pod.status as { phase?: string } | undefined)?.phase;

describe('simulated cluster through the registry contract', () => {
  test('a deployment of 3 comes up Running, spread over the two workers', () => {
    const { cluster, controllers, run } = boot();
    cluster.create(DEPLOYMENTS, 'default', deployment('web', 3));
    run(1000);
    const pods = podsOf(cluster);
    assert.equal(pods.length, 3);
    assert.ok(pods.every((p) => phase(p) === 'Running'));
    const nodes = new Set(pods.map((p) => (p.spec as { nodeName: string }).nodeName));
    assert.deepEqual([...nodes].sort(), ['node-1', 'node-2']);
    const [rs] = cluster.list(REPLICASETS).items;
    assert.match(
      pods[0]?.metadata.name ?? '',
      new RegExp(`^${rs?.metadata.name}-[bcdfghjklmnpqrstvwxz2456789]{5}$`),
    );
    const status = cluster.get(DEPLOYMENTS, 'default', 'web').status as Record<string, number>;
    assert.equal(status.availableReplicas, 3);
    const reasons = cluster.list(EVENTS).items.map((e) => e.reason);
    for (const reason of [
      'Scheduled',
      'Pulling',
      'Pulled',
      'Created',
      'Started',
      'SuccessfulCreate',
      'ScalingReplicaSet',
    ]) {
      assert.ok(reasons.includes(reason), `missing ${reason} event`);
    }
    controllers.stop();
  });

  test('a deleted replica is replaced and the deleted one goes away', () => {
    const { cluster, controllers, run } = boot();
    cluster.create(DEPLOYMENTS, 'default', deployment('web', 2));
    run(1000);
    const victim = podsOf(cluster)[0]?.metadata.name ?? '';
    cluster.delete(PODS, 'default', victim);
    run(5000);
    const names = podsOf(cluster).map((p) => p.metadata.name);
    assert.equal(names.length, 2);
    assert.ok(!names.includes(victim));
    assert.ok(podsOf(cluster).every((p) => phase(p) === 'Running'));
    controllers.stop();
  });

  test('a new image rolls out to a new ReplicaSet and the old one scales to zero', () => {
    const { cluster, controllers, run } = boot();
    cluster.create(DEPLOYMENTS, 'default', deployment('web', 3));
    run(1000);
    const current = cluster.get(DEPLOYMENTS, 'default', 'web');
    cluster.update(DEPLOYMENTS, 'default', { ...current, spec: deployment('web', 3, 'nginx:1.28').spec });
    run(10_000);
    const sets = cluster.list(REPLICASETS).items;
    assert.equal(sets.length, 2);
    const replicas = sets
      .map((rs) => [
        rs.metadata.annotations?.['deployment.kubernetes.io/revision'],
        (rs.spec as { replicas: number }).replicas,
      ])
      .sort();
    assert.deepEqual(replicas, [
      ['1', 0],
      ['2', 3],
    ]);
    const images = podsOf(cluster).map(
      (p) => (p.spec as { containers: { image: string }[] }).containers[0]?.image,
    );
    assert.deepEqual(images, ['nginx:1.28', 'nginx:1.28', 'nginx:1.28']);
    controllers.stop();
  });

  test('a bare pod stays dead after delete', () => {
    const { cluster, controllers, run } = boot();
    cluster.create(PODS, 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'solo' },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    run(1000);
    assert.equal(phase(cluster.get(PODS, 'default', 'solo')), 'Running');
    cluster.delete(PODS, 'default', 'solo');
    run(5000);
    assert.equal(podsOf(cluster).length, 0);
    controllers.stop();
  });
});
