import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { startControllers } from '../../../../server/sandbox/controllers/index.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';
import { MemoryCluster, settle } from '../support/memory-cluster.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { seededRandom } from '../../../../server/random.ts';

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
    assert.deepEqual([...nodes].sort(), ['worker-1', 'worker-2']);
    const [rs] = cluster.list(REPLICASETS, { namespace: 'default' }).items;
    assert.match(
      pods[0]?.metadata.name ?? '',
      new RegExp(`^${rs?.metadata.name}-[bcdfghjklmnpqrstvwxz2456789]{5}$`),
    );
    const status = cluster.get(DEPLOYMENTS, 'default', 'web').status as Record<string, number>;
    assert.equal(status.availableReplicas, 3);
    const reasons = cluster.list(EVENTS, { namespace: 'default' }).items.map((e) => e.reason);
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
    const sets = cluster.list(REPLICASETS, { namespace: 'default' }).items;
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

const REF = {
  services: { group: '', resource: 'services' },
  endpoints: { group: '', resource: 'endpoints' },
  daemonsets: { group: 'apps', resource: 'daemonsets' },
  statefulsets: { group: 'apps', resource: 'statefulsets' },
  jobs: { group: 'batch', resource: 'jobs' },
  nodes: { group: '', resource: 'nodes' },
  namespaces: { group: '', resource: 'namespaces' },
  claims: { group: '', resource: 'persistentvolumeclaims' },
  storageclasses: { group: 'storage.k8s.io', resource: 'storageclasses' },
  configmaps: { group: '', resource: 'configmaps' },
};

function pod(
  name: string,
  container: Record<string, unknown>,
  spec: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name } },
    spec: { containers: [{ name: 'main', ...container }], ...spec },
  };
}

const containerState = (p: KubeObject) =>
  (p.status as { containerStatuses: { state: Record<string, { reason?: string }>; restartCount: number }[] })
    .containerStatuses[0];

describe('cluster behaviour', () => {
  test('kube-system shows the kubeadm control plane, kube-proxy per node and two CoreDNS replicas, all Running', () => {
    const { cluster, controllers, run } = boot();
    run(2000);
    const names = cluster
      .list(PODS, { namespace: 'kube-system' })
      .items.map((p) => [p.metadata.name, phase(p)]);
    for (const expected of [
      'etcd-control-plane',
      'kube-apiserver-control-plane',
      'kube-controller-manager-control-plane',
      'kube-scheduler-control-plane',
    ]) {
      assert.ok(
        names.some(([n, ph]) => n === expected && ph === 'Running'),
        `${expected} Running`,
      );
    }
    assert.equal(names.filter(([n, ph]) => n?.startsWith('kube-proxy-') && ph === 'Running').length, 3);
    assert.equal(names.filter(([n, ph]) => n?.startsWith('coredns-') && ph === 'Running').length, 2);
    assert.equal(
      cluster.list(PODS, { namespace: 'kube-flannel' }).items.filter((p) => phase(p) === 'Running').length,
      3,
    );
    const etcd = cluster.get(PODS, 'kube-system', 'etcd-control-plane');
    assert.equal((etcd.status as { podIP: string }).podIP, '192.168.56.10');
    controllers.stop();
  });

  test('each node has its lease, and its kubelet events name it by name as kubelets do', () => {
    const { cluster, controllers } = boot();
    const leases = cluster.list(
      { group: 'coordination.k8s.io', resource: 'leases' },
      { namespace: 'kube-node-lease' },
    );
    assert.deepEqual(leases.items.map((l) => (l.spec as { holderIdentity: string }).holderIdentity).sort(), [
      'control-plane',
      'worker-1',
      'worker-2',
    ]);
    const node = cluster.get({ group: '', resource: 'nodes' }, undefined, 'worker-1');
    const events = cluster
      .list(EVENTS, { namespace: 'default' })
      .items.filter((e) => (e.involvedObject as { name: string }).name === 'worker-1');
    const uidOf = (reason: string) =>
      (events.find((e) => e.reason === reason)?.involvedObject as { uid: string } | undefined)?.uid;
    assert.equal(uidOf('NodeReady'), 'worker-1');
    assert.equal(uidOf('RegisteredNode'), node.metadata.uid);
    controllers.stop();
  });

  test('a deployment scales 3 → 5 → 1', () => {
    const { cluster, controllers, run } = boot();
    cluster.create(DEPLOYMENTS, 'default', deployment('web', 3));
    run(1000);
    for (const replicas of [5, 1]) {
      const current = cluster.get(DEPLOYMENTS, 'default', 'web');
      cluster.update(DEPLOYMENTS, 'default', { ...current, spec: { ...(current.spec as object), replicas } });
      run(5000);
      assert.equal(podsOf(cluster).filter((p) => phase(p) === 'Running').length, replicas);
    }
    controllers.stop();
  });

  test('a DaemonSet without tolerations runs one pod per worker', () => {
    const { cluster, controllers, run } = boot();
    cluster.create(REF.daemonsets, 'default', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: {
          metadata: { labels: { app: 'agent' } },
          spec: { containers: [{ name: 'a', image: 'busybox', command: ['sleep', 'infinity'] }] },
        },
      },
    });
    run(2000);
    const nodes = podsOf(cluster)
      .map((p) => (p.spec as { nodeName: string }).nodeName)
      .sort();
    assert.deepEqual(nodes, ['worker-1', 'worker-2']);
    controllers.stop();
  });

  test('a StatefulSet comes up in order with a claim per replica, bound to its own volume', () => {
    const { cluster, controllers, run } = boot();
    const order: string[] = [];
    cluster.watch(PODS, { namespace: 'default' }, (event) => {
      const ready = (
        event.object.status as { conditions?: { type: string; status: string }[] } | undefined
      )?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      if (event.type === 'ADDED') order.push(`created ${event.object.metadata.name}`);
      else if (ready && !order.includes(`ready ${event.object.metadata.name}`))
        order.push(`ready ${event.object.metadata.name}`);
    });
    cluster.create(REF.statefulsets, 'default', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: {
        replicas: 3,
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: {
          metadata: { labels: { app: 'db' } },
          spec: { containers: [{ name: 'db', image: 'redis' }] },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          },
        ],
      },
    });
    run(3000);
    assert.deepEqual(order, [
      'created db-0',
      'ready db-0',
      'created db-1',
      'ready db-1',
      'created db-2',
      'ready db-2',
    ]);
    const claims = cluster.list(REF.claims, { namespace: 'default' }).items;
    assert.deepEqual(claims.map((c) => [c.metadata.name, (c.status as { phase: string }).phase]).sort(), [
      ['data-db-0', 'Bound'],
      ['data-db-1', 'Bound'],
      ['data-db-2', 'Bound'],
    ]);
    for (const claim of claims) {
      const spec = claim.spec as { volumeName: string; storageClassName: string };
      assert.equal(spec.storageClassName, 'local-path');
      const storageClass = cluster.get(REF.storageclasses, undefined, spec.storageClassName);
      assert.equal(
        storageClass.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'],
        'true',
      );
      const volume = cluster.get({ group: '', resource: 'persistentvolumes' }, undefined, spec.volumeName);
      assert.equal((volume.status as { phase: string }).phase, 'Bound');
      assert.equal((volume.spec as { claimRef: { uid: string } }).claimRef.uid, claim.metadata.uid);
    }
    controllers.stop();
  });

  test('a Job whose command ends completes', () => {
    const { cluster, controllers, run } = boot();
    cluster.create(REF.jobs, 'default', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'pi' },
      spec: {
        completions: 2,
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [
              { name: 'pi', image: 'perl', command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(200)'] },
            ],
          },
        },
      },
    });
    run(60_000);
    const status = cluster.get(REF.jobs, 'default', 'pi').status as {
      succeeded: number;
      conditions: { type: string }[];
    };
    assert.equal(status.succeeded, 2);
    assert.ok(status.conditions.some((c) => c.type === 'Complete'));
    assert.ok(podsOf(cluster).every((p) => phase(p) === 'Succeeded'));
    controllers.stop();
  });

  test('ConfigMaps, Services and claims a Deployment owns are collected when it is deleted', () => {
    const { cluster, controllers, run } = boot();
    const owner = cluster.create(DEPLOYMENTS, 'default', deployment('web', 1));
    const ownerReferences = [
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: owner.metadata.uid ?? '' },
    ];
    const dependents = [
      { ref: REF.configmaps, kind: 'ConfigMap', spec: undefined },
      { ref: REF.services, kind: 'Service', spec: { ports: [{ port: 80 }] } },
      { ref: REF.claims, kind: 'PersistentVolumeClaim', spec: { resources: {} } },
    ];
    for (const { ref, kind, spec } of dependents) {
      cluster.create(ref, 'default', {
        apiVersion: 'v1',
        kind,
        metadata: { name: 'web-owned', ownerReferences },
        ...(spec ? { spec } : {}),
      });
    }
    const unowned = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept' } };
    cluster.create(REF.configmaps, 'default', unowned);
    run(1000);
    cluster.delete(DEPLOYMENTS, 'default', 'web');
    run(1000);
    for (const { ref, kind } of dependents)
      assert.equal(cluster.tryGet(ref, 'default', 'web-owned'), undefined, kind);
    assert.ok(cluster.tryGet(REF.configmaps, 'default', 'kept'));
    controllers.stop();
  });

  test('a Job whose OnFailure container keeps crashing fails with BackoffLimitExceeded and its pod is removed', () => {
    const { cluster, controllers, run } = boot();
    cluster.create(REF.jobs, 'default', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'doomed' },
      spec: {
        backoffLimit: 2,
        template: {
          spec: {
            restartPolicy: 'OnFailure',
            containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'exit 1'] }],
          },
        },
      },
    });
    run(120_000);
    const status = cluster.get(REF.jobs, 'default', 'doomed').status as {
      conditions?: { type: string; reason: string; message: string }[];
    };
    assert.deepEqual(
      status.conditions?.find((c) => c.type === 'Failed'),
      {
        ...status.conditions?.find((c) => c.type === 'Failed'),
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
      },
    );
    assert.deepEqual(podsOf(cluster), []);
    controllers.stop();
  });

  test('a Job whose Never pod fails waits out the back-off before each replacement', () => {
    const { clock, cluster, controllers, run } = boot();
    cluster.create(REF.jobs, 'default', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'retry' },
      spec: {
        backoffLimit: 3,
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'exit 1'] }],
          },
        },
      },
    });
    // Watch the clock in 50 ms steps: when each pod is first seen, and when the one before it failed.
    const seen = new Map<string, number>();
    const failed = new Map<string, number>();
    for (let step = 0; step < 2400; step++) {
      run(50);
      for (const p of podsOf(cluster)) {
        const name = p.metadata.name ?? '';
        if (!seen.has(name)) seen.set(name, clock.now());
        if (phase(p) === 'Failed' && !failed.has(name)) failed.set(name, clock.now());
      }
    }
    const order = [...seen.keys()];
    assert.equal(order.length, 4);
    // fast speed scales the 10 s, 20 s, 40 s back-offs by 0.05.
    order.slice(1).forEach((name, i) => {
      const wait = (seen.get(name) ?? 0) - (failed.get(order[i] ?? '') ?? 0);
      assert.ok(wait >= 500 * 2 ** i && wait <= 500 * 2 ** i + 200, `replacement ${i + 1} after ${wait} ms`);
    });
    const status = cluster.get(REF.jobs, 'default', 'retry').status as { conditions?: { reason: string }[] };
    assert.ok(status.conditions?.some((c) => c.reason === 'BackoffLimitExceeded'));
    controllers.stop();
  });

  test('a crashing container goes to CrashLoopBackOff with growing restarts', () => {
    const { cluster, controllers, run } = boot();
    cluster.create(PODS, 'default', pod('crash', { image: 'busybox', command: ['sh', '-c', 'exit 1'] }));
    run(30_000);
    const state = containerState(cluster.get(PODS, 'default', 'crash'));
    assert.ok(state && state.restartCount >= 3, `restarts ${state?.restartCount}`);
    assert.equal(phase(cluster.get(PODS, 'default', 'crash')), 'Running');
    const reasons = cluster.list(EVENTS, { namespace: 'default' }).items.map((e) => e.reason);
    assert.ok(reasons.includes('BackOff'));
    controllers.stop();
  });

  test('an image that does not exist ends in ImagePullBackOff', () => {
    const { cluster, controllers, run } = boot();
    cluster.create(PODS, 'default', pod('bad', { image: 'nginx:doesnotexist' }));
    run(5000);
    const p = cluster.get(PODS, 'default', 'bad');
    assert.equal(phase(p), 'Pending');
    assert.match(JSON.stringify(containerState(p)?.state), /ImagePullBackOff|ErrImagePull/);
    controllers.stop();
  });

  test('an unschedulable pod stays Pending with a FailedScheduling event', () => {
    const { cluster, controllers, run } = boot();
    cluster.create(PODS, 'default', pod('huge', { image: 'nginx', resources: { requests: { cpu: '64' } } }));
    run(1000);
    const event = cluster
      .list(EVENTS, { namespace: 'default' })
      .items.find((e) => e.reason === 'FailedScheduling');
    assert.match(String(event?.message), /^0\/3 nodes are available: .*2 Insufficient cpu/);
    assert.equal(phase(cluster.get(PODS, 'default', 'huge')), 'Pending');
    controllers.stop();
  });

  test("a NotReady node's pods are evicted after the toleration and replaced on the other worker", async () => {
    const { cluster, controllers, run } = boot();
    const { setNodeReady } = await import('../../../../server/sandbox/controllers/index.ts');
    cluster.create(DEPLOYMENTS, 'default', deployment('web', 4));
    run(1000);
    setNodeReady(cluster, 'worker-1', false);
    run(40_000);
    const live = podsOf(cluster).filter((p) => !p.metadata.deletionTimestamp);
    assert.equal(live.length, 4);
    assert.ok(
      live.every((p) => (p.spec as { nodeName: string }).nodeName === 'worker-2' && phase(p) === 'Running'),
    );
    setNodeReady(cluster, 'worker-1', true);
    run(5000);
    assert.equal(podsOf(cluster).length, 4, 'terminating pods finish once the node is back');
    controllers.stop();
  });

  test('a NodePort service gets a port in range and endpoints of the ready pods', () => {
    const { cluster, controllers, run } = boot();
    cluster.create(DEPLOYMENTS, 'default', deployment('web', 2));
    cluster.create(REF.services, 'default', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80 }] },
    });
    run(2000);
    const svc = cluster.get(REF.services, 'default', 'web').spec as {
      clusterIP: string;
      ports: { nodePort: number }[];
    };
    assert.match(svc.clusterIP, /^10\.(9[6-9]|10[0-9]|11[01])\./);
    assert.ok((svc.ports[0]?.nodePort ?? 0) >= 30000 && (svc.ports[0]?.nodePort ?? 0) <= 32767);
    const subsets = cluster.get(REF.endpoints, 'default', 'web').subsets as {
      addresses: unknown[];
      ports: { port: number }[];
    }[];
    assert.equal(subsets[0]?.addresses.length, 2);
    assert.equal(subsets[0]?.ports[0]?.port, 80);
    controllers.stop();
  });

  test('a deployment deleted in the foreground goes once its ReplicaSets and pods are gone', () => {
    const { cluster, controllers, run } = boot();
    cluster.create(DEPLOYMENTS, 'default', deployment('web', 2));
    run(1000);
    cluster.delete(DEPLOYMENTS, 'default', 'web', { propagationPolicy: 'Foreground' });
    // Less than the pods' termination (capped at 100 ms when fast).
    run(50);
    assert.ok(cluster.tryGet(DEPLOYMENTS, 'default', 'web'), 'held while its dependents go');
    run(60_000);
    assert.deepEqual(podsOf(cluster), []);
    assert.deepEqual(cluster.list(REPLICASETS, { namespace: 'default' }).items, []);
    assert.equal(cluster.tryGet(DEPLOYMENTS, 'default', 'web'), undefined);
    controllers.stop();
  });

  test('deleting a deployment takes its ReplicaSets and pods with it', () => {
    const { cluster, controllers, run } = boot();
    cluster.create(DEPLOYMENTS, 'default', deployment('web', 2));
    run(1000);
    cluster.delete(DEPLOYMENTS, 'default', 'web');
    run(5000);
    assert.equal(cluster.list(REPLICASETS, { namespace: 'default' }).items.length, 0);
    assert.equal(podsOf(cluster).length, 0);
    controllers.stop();
  });

  test('a deleted namespace empties, then goes away', () => {
    const { cluster, controllers, run } = boot();
    cluster.create(REF.namespaces, undefined, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team' },
      spec: { finalizers: ['kubernetes'] },
    });
    cluster.create(DEPLOYMENTS, 'team', deployment('web', 2));
    run(1000);
    assert.ok(
      cluster.tryGet({ group: '', resource: 'serviceaccounts' }, 'team', 'default'),
      'default ServiceAccount',
    );
    const ca = cluster.get({ group: '', resource: 'configmaps' }, 'team', 'kube-root-ca.crt').data as Record<
      string,
      string
    >;
    const certificate = new X509Certificate(ca['ca.crt'] ?? '');
    assert.equal(certificate.subject, 'CN=kubernetes');
    assert.ok(certificate.verify(certificate.publicKey), 'self-signed');
    assert.equal(cluster.list(PODS, { namespace: 'team' }).items.length, 2);
    cluster.delete(REF.namespaces, undefined, 'team');
    run(10_000);
    assert.equal(cluster.list(PODS, { namespace: 'team' }).items.length, 0);
    assert.equal(cluster.tryGet(REF.namespaces, undefined, 'team'), undefined);
    controllers.stop();
  });

  test('a PodDisruptionBudget reports how many pods may go', () => {
    const { cluster, controllers, run } = boot();
    cluster.create(DEPLOYMENTS, 'default', deployment('web', 3));
    cluster.create({ group: 'policy', resource: 'poddisruptionbudgets' }, 'default', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web' },
      spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } },
    });
    run(2000);
    const status = cluster.get({ group: 'policy', resource: 'poddisruptionbudgets' }, 'default', 'web')
      .status as Record<string, number>;
    assert.deepEqual(
      [status.currentHealthy, status.desiredHealthy, status.disruptionsAllowed, status.expectedPods],
      [3, 2, 1, 3],
    );
    controllers.stop();
  });

  test('a CronJob starts a Job each minute and keeps three successful ones', () => {
    const { cluster, controllers, run } = boot();
    cluster.create({ group: 'batch', resource: 'cronjobs' }, 'default', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'hello' },
      spec: {
        schedule: '* * * * *',
        jobTemplate: {
          spec: {
            template: {
              spec: {
                restartPolicy: 'OnFailure',
                containers: [{ name: 'c', image: 'busybox', command: ['echo', 'hello'] }],
              },
            },
          },
        },
      },
    });
    run(5 * 60_000 + 1000);
    const jobs = cluster.list(REF.jobs, { namespace: 'default' }).items;
    assert.equal(jobs.length, 3);
    assert.ok(jobs.every((job) => /^hello-\d+$/.test(job.metadata.name ?? '')));
    assert.ok(jobs.every((job) => (job.status as { succeeded?: number }).succeeded === 1));
    controllers.stop();
  });

  test('undo reuses the previous ReplicaSet and gives it the next revision, as kubectl rollout undo expects', () => {
    const { cluster, controllers, run } = boot();
    cluster.create(DEPLOYMENTS, 'default', deployment('web', 2, 'nginx:1.27'));
    run(1000);
    let current = cluster.get(DEPLOYMENTS, 'default', 'web');
    cluster.update(DEPLOYMENTS, 'default', { ...current, spec: deployment('web', 2, 'nginx:1.28').spec });
    run(5000);
    // What kubectl does: copy revision 1's template (without pod-template-hash) back into the deployment.
    const first = cluster
      .list(REPLICASETS, { namespace: 'default' })
      .items.find((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'] === '1');
    const template = structuredClone(
      (first?.spec as { template: { metadata: { labels: Record<string, string> } } }).template,
    );
    delete template.metadata.labels['pod-template-hash'];
    current = cluster.get(DEPLOYMENTS, 'default', 'web');
    cluster.update(DEPLOYMENTS, 'default', { ...current, spec: { ...(current.spec as object), template } });
    run(5000);
    const sets = cluster.list(REPLICASETS, { namespace: 'default' }).items;
    assert.equal(sets.length, 2, 'no third ReplicaSet');
    const reused = sets.find((rs) => rs.metadata.name === first?.metadata.name);
    assert.equal(reused?.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.equal((reused?.spec as { replicas: number }).replicas, 2);
    assert.equal(
      cluster.get(DEPLOYMENTS, 'default', 'web').metadata.annotations?.['deployment.kubernetes.io/revision'],
      '3',
    );
    controllers.stop();
  });

  test('Recreate stops every old pod before starting new ones', () => {
    const { cluster, controllers, run } = boot();
    const manifest = deployment('web', 3, 'nginx:1.27');
    (manifest.spec as Record<string, unknown>).strategy = { type: 'Recreate' };
    cluster.create(DEPLOYMENTS, 'default', manifest);
    run(1000);
    const overlap: number[] = [];
    cluster.watch(PODS, { namespace: 'default' }, () => {
      const images = new Set(
        podsOf(cluster)
          .filter((p) => !p.metadata.deletionTimestamp)
          .map((p) => (p.spec as { containers: { image: string }[] }).containers[0]?.image),
      );
      overlap.push(images.size);
    });
    const current = cluster.get(DEPLOYMENTS, 'default', 'web');
    const spec = structuredClone(current.spec) as { template: { spec: { containers: { image: string }[] } } };
    (spec.template.spec.containers[0] as { image: string }).image = 'nginx:1.28';
    cluster.update(DEPLOYMENTS, 'default', { ...current, spec });
    run(5000);
    assert.ok(
      overlap.every((kinds) => kinds <= 1),
      'never old and new pods at once',
    );
    assert.equal(podsOf(cluster).filter((p) => phase(p) === 'Running').length, 3);
    controllers.stop();
  });
});
