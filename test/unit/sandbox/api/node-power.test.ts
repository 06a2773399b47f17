// The Kube Wars node switch on its own, on the in-memory cluster with a fake clock: what it answers, what it writes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setNodePower } from '../../../../server/sandbox/api/node-power.ts';
import { HttpStatusError } from '../../../../server/sandbox/api/status.ts';
import { startControllers } from '../../../../server/sandbox/controllers/index.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';
import { MemoryCluster, settle } from '../support/memory-cluster.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { seededRandom } from '../../../../server/random.ts';

const NODES = { group: '', resource: 'nodes' };

function boot() {
  const clock = new FakeClock();
  const cluster = new MemoryCluster(clock);
  const controllers = startControllers(cluster, { clock, random: seededRandom(), speed: 'fast' });
  settle(cluster, clock);
  const power = { client: cluster, evictionTimeoutSeconds: 30, now: () => clock.now() };
  return { clock, cluster, controllers, power };
}

const ready = (node: KubeObject) =>
  ((node.status as { conditions: Record<string, string>[] }).conditions ?? []).find(
    (c) => c.type === 'Ready',
  );

describe('the node switch', () => {
  test('a stopped node reports Ready Unknown from the moment it stopped; stopping it again changes nothing', () => {
    const { clock, cluster, controllers, power } = boot();
    settle(cluster, clock, 5_000);
    assert.deepEqual(setNodePower(power, 'worker-1', false), {
      name: 'worker-1',
      ready: false,
      evictionTimeoutSeconds: 30,
    });
    const stopped = cluster.get(NODES, undefined, 'worker-1');
    assert.equal(ready(stopped)?.status, 'Unknown');
    assert.equal(ready(stopped)?.lastTransitionTime, new Date(clock.now()).toISOString());
    settle(cluster, clock, 10_000);
    const before = cluster.get(NODES, undefined, 'worker-1');
    setNodePower(power, 'worker-1', false);
    assert.equal(
      cluster.get(NODES, undefined, 'worker-1').metadata.resourceVersion,
      before.metadata.resourceVersion,
    );
    controllers.stop();
  });

  test('a started node is Ready again', () => {
    const { cluster, controllers, power } = boot();
    setNodePower(power, 'worker-2', false);
    assert.equal(setNodePower(power, 'worker-2', true).ready, true);
    assert.equal(ready(cluster.get(NODES, undefined, 'worker-2'))?.status, 'True');
    controllers.stop();
  });

  test('an unknown node is a 404 naming the nodes there are', () => {
    const { controllers, power } = boot();
    assert.throws(
      () => setNodePower(power, 'worker-7', false),
      (error: unknown) =>
        error instanceof HttpStatusError &&
        error.body.code === 404 &&
        error.body.message ===
          `node "worker-7" not found: the sandbox's nodes are control-plane, worker-1, worker-2`,
    );
    controllers.stop();
  });
});
