import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startControllers } from '../../../../server/sandbox/controllers/index.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';
import { MemoryCluster, settle } from '../support/memory-cluster.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { seededRandom } from '../../../../server/random.ts';

const PODS = { group: '', resource: 'pods' };
const EVENTS = { group: '', resource: 'events' };

function boot() {
  const clock = new FakeClock();
  const cluster = new MemoryCluster(clock);
  const controllers = startControllers(cluster, { clock, random: seededRandom(), speed: 'fast' });
  settle(cluster, clock);
  return { cluster, controllers, run: (ms = 0) => settle(cluster, clock, ms) };
}

const pod = (name: string, nodeName: string, image: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { nodeName, containers: [{ name: 'c', image }] },
});

/** The pod's kubelet events as "Reason: message" lines, each repeat counted. */
function eventsOf(cluster: MemoryCluster, name: string): string[] {
  return cluster
    .list(EVENTS, { namespace: 'default' })
    .items.filter((e) => (e.involvedObject as { name?: string }).name === name)
    .flatMap((e) =>
      Array.from({ length: Number(e.count ?? 1) }, () => `${String(e.reason)}: ${String(e.message)}`),
    );
}

describe('simulated kubelet', () => {
  test('a node remembers the images it pulled: the next pod there finds them present, another node pulls', () => {
    const { cluster, controllers, run } = boot();
    cluster.create(PODS, 'default', pod('first', 'worker-1', 'nginx:1.27'));
    run(1000);
    assert.ok(eventsOf(cluster, 'first').includes('Pulling: Pulling image "nginx:1.27"'));
    cluster.create(PODS, 'default', pod('second', 'worker-1', 'nginx:1.27'));
    cluster.create(PODS, 'default', pod('elsewhere', 'worker-2', 'nginx:1.27'));
    run(1000);
    const second = eventsOf(cluster, 'second');
    assert.ok(
      second.includes('Pulled: Container image "nginx:1.27" already present on machine'),
      second.join('\n'),
    );
    assert.ok(!second.some((e) => e.startsWith('Pulling:')));
    assert.ok(eventsOf(cluster, 'elsewhere').includes('Pulling: Pulling image "nginx:1.27"'));
    controllers.stop();
  });

  test('each failed pull of a container doubles its back-off (10 s, 20 s, 40 s at 1/20 speed)', () => {
    const { cluster, controllers, run } = boot();
    cluster.create(PODS, 'default', pod('bad', 'worker-1', 'nginx:doesnotexist'));
    const failures = () =>
      eventsOf(cluster, 'bad').filter((e) => e.startsWith('Failed: Failed to pull image')).length;
    const seen: number[] = [];
    let now = 0;
    // First pull at once, back-off 50 ms, then retries 500, 1000 and 2000 ms after each back-off.
    for (const at of [100, 500, 600, 1500, 1700, 3600, 3800]) {
      run(at - now);
      now = at;
      seen.push(failures());
    }
    assert.deepEqual(seen, [1, 1, 2, 2, 3, 3, 4]);
    controllers.stop();
  });
});
