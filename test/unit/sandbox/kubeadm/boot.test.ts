import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startControllers } from '../../../../server/sandbox/controllers/index.ts';
import { systemReady } from '../../../../server/sandbox/kubeadm/boot.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';
import { MemoryCluster, settle } from '../support/memory-cluster.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { seededRandom } from '../../../../server/random.ts';

const PODS = { group: '', resource: 'pods' };
const EVENTS = { group: '', resource: 'events' };
const DEPLOYMENTS = { group: 'apps', resource: 'deployments' };

const phase = (pod: KubeObject) => (pod.status as { phase?: string } | undefined)?.phase;
const ready = (pod: KubeObject) =>
  (pod.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions?.some(
    (c) => c.type === 'Ready' && c.status === 'True',
  ) ?? false;
const systemPods = (cluster: MemoryCluster) =>
  ['kube-system', 'kube-flannel'].flatMap((namespace) => cluster.list(PODS, { namespace }).items);

/** A realistic-speed cluster; `before` writes what a state file would have restored. */
function start(before: (cluster: MemoryCluster) => void = () => {}) {
  const clock = new FakeClock();
  const cluster = new MemoryCluster(clock);
  before(cluster);
  const controllers = startControllers(cluster, { clock, random: seededRandom(), speed: 'realistic' });
  let booted = false;
  void controllers.booted.then(() => (booted = true));
  return { clock, cluster, controllers, booted: () => booted };
}

/** Lets the `booted` promise's reaction run. */
const microtasks = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('boot: the cluster is handed over as kubeadm leaves it', () => {
  test('at realistic speed the system pods run and are Ready before any time passes', async () => {
    const { clock, cluster, controllers, booted } = start();
    const startedAt = clock.now();
    settle(cluster, clock);
    await microtasks();
    assert.ok(booted(), 'booted once the system pods run');
    assert.equal(clock.now(), startedAt, 'no simulated time went by');
    const pods = systemPods(cluster);
    const names = pods.map((p) => p.metadata.name ?? '');
    for (const component of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'])
      assert.ok(names.includes(`${component}-control-plane`), `${component} missing`);
    assert.equal(names.filter((n) => n.startsWith('kube-proxy-')).length, 3);
    assert.equal(names.filter((n) => n.startsWith('coredns-')).length, 2);
    assert.equal(names.filter((n) => n.startsWith('kube-flannel-ds-')).length, 3);
    assert.deepEqual(
      pods.filter((p) => phase(p) !== 'Running' || !ready(p)).map((p) => p.metadata.name),
      [],
    );
    assert.ok(systemReady(cluster));
    // kubeadm pulled them before it returned: the kubelet found them on the node.
    const pulls = cluster
      .list(EVENTS, { namespace: 'kube-system' })
      .items.filter((e) => e.reason === 'Pulling' || e.reason === 'Pulled')
      .map((e) => `${String(e.reason)}: ${String(e.message)}`);
    assert.ok(pulls.length > 0);
    assert.ok(
      pulls.every((line) => line.endsWith('already present on machine')),
      pulls.join('\n'),
    );
    controllers.stop();
  });

  test('once booted, the learner’s pods take the realistic time: pulls, then start', async () => {
    const { clock, cluster, controllers, booted } = start();
    settle(cluster, clock);
    await microtasks();
    assert.ok(booted());
    cluster.create(PODS, 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web' },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
    });
    settle(cluster, clock, 500);
    assert.notEqual(phase(cluster.get(PODS, 'default', 'web')), 'Running');
    settle(cluster, clock, 5000);
    assert.equal(phase(cluster.get(PODS, 'default', 'web')), 'Running');
    const reasons = cluster.list(EVENTS, { namespace: 'default' }).items.map((e) => e.reason);
    assert.ok(reasons.includes('Pulling'), 'the learner’s image is pulled');
    controllers.stop();
  });

  test('a system pod that cannot start (a restored CoreDNS the learner broke) delays the hand-over 5 s at most', async () => {
    const { clock, cluster, controllers, booted } = start((restored) => {
      restored.create(DEPLOYMENTS, 'kube-system', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'broken' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'broken' } },
          template: {
            metadata: { labels: { app: 'broken' } },
            spec: { containers: [{ name: 'c', image: 'registry.k8s.io/coredns/coredns:doesnotexist' }] },
          },
        },
      });
    });
    settle(cluster, clock, 4000);
    await microtasks();
    assert.equal(booted(), false);
    settle(cluster, clock, 1000);
    await microtasks();
    assert.ok(booted());
    const broken = cluster
      .list(PODS, { namespace: 'kube-system' })
      .items.find((p) => p.metadata.name?.startsWith('broken-'));
    assert.ok(broken);
    assert.notEqual(phase(broken), 'Running', 'an image no registry has is never found on the node');
    controllers.stop();
  });
});
