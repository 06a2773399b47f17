import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../../../../server/sandbox/errors.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';
import { CONFIGMAPS, DEPLOYMENTS, NAMESPACES, newRegistry, pod, PODS } from '../support.ts';

const statusOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ApiError, String(error));
    return error.status;
  }
  assert.fail('expected an ApiError');
};

describe('registry CRUD', () => {
  test('system namespaces exist at start and are Active with the kubernetes finalizer', () => {
    const { registry } = newRegistry();
    const names = registry.list(NAMESPACES).items.map((ns) => ns.metadata.name);
    assert.deepEqual(names, ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    const ns = registry.get(NAMESPACES, undefined, 'default');
    assert.deepEqual(ns.status, { phase: 'Active' });
    assert.deepEqual((ns.spec as { finalizers: string[] }).finalizers, ['kubernetes']);
  });

  test('a created pod gets uid, timestamp, generation, a string resourceVersion and defaults', () => {
    const { registry } = newRegistry();
    const created = registry.create(PODS, 'default', pod('web'));
    assert.match(
      created.metadata.uid ?? '',
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    assert.equal(created.metadata.creationTimestamp, '2026-01-01T00:00:00Z');
    assert.equal(created.metadata.generation, 1);
    assert.equal(typeof created.metadata.resourceVersion, 'string');
    const spec = created.spec as Record<string, unknown> & { containers: Record<string, unknown>[] };
    assert.equal(spec.restartPolicy, 'Always');
    assert.equal(spec.dnsPolicy, 'ClusterFirst');
    assert.equal(spec.terminationGracePeriodSeconds, 30);
    assert.equal(spec.serviceAccountName, 'default');
    assert.equal(spec.containers[0]?.imagePullPolicy, 'IfNotPresent');
    assert.equal(registry.get(PODS, 'default', 'web').metadata.uid, created.metadata.uid);
  });

  test('an untagged image is pulled Always', () => {
    const { registry } = newRegistry();
    const created = registry.create(PODS, 'default', {
      ...pod('a'),
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    assert.equal(
      (created.spec as { containers: { imagePullPolicy: string }[] }).containers[0]?.imagePullPolicy,
      'Always',
    );
  });

  test('creating the same name twice is AlreadyExists with the apiserver message', () => {
    const { registry } = newRegistry();
    registry.create(PODS, 'default', pod('web'));
    const status = statusOf(() => registry.create(PODS, 'default', pod('web')));
    assert.equal(status.code, 409);
    assert.equal(status.reason, 'AlreadyExists');
    assert.equal(status.message, 'pods "web" already exists');
  });

  test('a missing object is NotFound with the apiserver message', () => {
    const { registry } = newRegistry();
    const status = statusOf(() => registry.get(DEPLOYMENTS, 'default', 'nope'));
    assert.equal(status.code, 404);
    assert.equal(status.message, 'deployments.apps "nope" not found');
    assert.equal(registry.tryGet(PODS, 'default', 'nope'), undefined);
  });

  test('creating in a missing namespace is 404 namespace not found', () => {
    const { registry } = newRegistry();
    const status = statusOf(() => registry.create(PODS, 'ghost', pod('web')));
    assert.equal(status.code, 404);
    assert.equal(status.message, 'namespaces "ghost" not found');
  });

  test('generateName adds five random characters', () => {
    const { registry } = newRegistry();
    const created = registry.create(PODS, 'default', { ...pod(''), metadata: { generateName: 'web-' } });
    assert.match(created.metadata.name ?? '', /^web-[a-z0-9]{5}$/);
  });

  test('an update with a stale resourceVersion is a 409 Conflict', () => {
    const { registry } = newRegistry();
    const created = registry.create(CONFIGMAPS, 'default', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg' },
      data: { a: '1' },
    });
    registry.update(CONFIGMAPS, 'default', { ...created, data: { a: '2' } });
    const status = statusOf(() => registry.update(CONFIGMAPS, 'default', { ...created, data: { a: '3' } }));
    assert.equal(status.code, 409);
    assert.equal(
      status.message,
      'Operation cannot be fulfilled on configmaps "cfg": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  test('a new pod tolerates a failed node for 300 s unless it already says how long', () => {
    const { registry } = newRegistry();
    const tolerationsOf = (object: KubeObject) => (object.spec as { tolerations?: unknown[] }).tolerations;
    assert.deepEqual(tolerationsOf(registry.create(PODS, 'default', pod('plain'))), [
      {
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
      {
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
    ]);
    const own = {
      key: 'node.kubernetes.io/unreachable',
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: 5,
    };
    const spec = { containers: [{ name: 'app', image: 'nginx' }], tolerations: [own] };
    assert.deepEqual(tolerationsOf(registry.create(PODS, 'default', pod('patient', { spec }))), [
      own,
      {
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
    ]);
    const everything = {
      containers: [{ name: 'app', image: 'nginx' }],
      tolerations: [{ operator: 'Exists' }],
    };
    assert.deepEqual(tolerationsOf(registry.create(PODS, 'default', pod('daemon', { spec: everything }))), [
      { operator: 'Exists' },
    ]);
  });

  test('probes get the apiserver defaults kubectl describe prints', () => {
    const { registry } = newRegistry();
    const created = registry.create(
      PODS,
      'default',
      pod('probed', {
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx',
              readinessProbe: { httpGet: { port: 80 }, initialDelaySeconds: 2 },
              livenessProbe: { exec: { command: ['true'] }, periodSeconds: 5 },
            },
          ],
        },
      }),
    );
    const [container] = (created.spec as { containers: Record<string, unknown>[] }).containers;
    assert.deepEqual(container?.readinessProbe, {
      httpGet: { port: 80, path: '/', scheme: 'HTTP' },
      initialDelaySeconds: 2,
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    assert.deepEqual(container?.livenessProbe, {
      exec: { command: ['true'] },
      periodSeconds: 5,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    });
  });

  test("a node registers with its status, while a deployment's status on create is dropped", () => {
    const { registry } = newRegistry();
    const status = { conditions: [{ type: 'Ready', status: 'True' }], capacity: { cpu: '2', pods: '110' } };
    const node = registry.create({ group: '', resource: 'nodes' }, undefined, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'worker-1' },
      status,
    });
    assert.deepEqual(node.status, status);
    const deployment = registry.create(DEPLOYMENTS, 'default', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
      status: { replicas: 5 },
    });
    assert.equal(deployment.status, undefined);
  });

  test('generation is bumped on spec changes only, and status writes touch only status', () => {
    const { registry } = newRegistry();
    const deployment = registry.create(DEPLOYMENTS, 'default', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
    });
    const spec = deployment.spec as Record<string, unknown>;
    assert.equal(spec.replicas, 1);
    assert.equal(spec.revisionHistoryLimit, 10);
    assert.equal(spec.progressDeadlineSeconds, 600);
    const labelled = registry.update(DEPLOYMENTS, 'default', {
      ...deployment,
      metadata: { ...deployment.metadata, labels: { tier: 'front' } },
    });
    assert.equal(labelled.metadata.generation, 1);
    const scaled = registry.update(DEPLOYMENTS, 'default', { ...labelled, spec: { ...spec, replicas: 3 } });
    assert.equal(scaled.metadata.generation, 2);
    const withStatus = registry.update(
      DEPLOYMENTS,
      'default',
      { ...scaled, spec: { ...spec, replicas: 9 }, status: { replicas: 3 } },
      { subresource: 'status' },
    );
    assert.deepEqual(withStatus.status, { replicas: 3 });
    assert.equal((withStatus.spec as { replicas: number }).replicas, 3);
    assert.equal(withStatus.metadata.generation, 2);
    const ignored = registry.update(DEPLOYMENTS, 'default', { ...withStatus, status: { replicas: 0 } });
    assert.deepEqual(ignored.status, { replicas: 3 });
  });

  test('the scale subresource reads and writes replicas with a selector string', () => {
    const { registry } = newRegistry();
    registry.create(DEPLOYMENTS, 'default', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
    });
    const scale = registry.patch(
      DEPLOYMENTS,
      'default',
      'web',
      'merge',
      { spec: { replicas: 4 } },
      { subresource: 'scale' },
    );
    assert.equal(scale.kind, 'Scale');
    assert.equal(scale.apiVersion, 'autoscaling/v1');
    assert.deepEqual(scale.spec, { replicas: 4 });
    assert.equal((scale.status as { selector: string }).selector, 'app=web');
    assert.equal((registry.get(DEPLOYMENTS, 'default', 'web').spec as { replicas: number }).replicas, 4);
  });

  test("a ReplicationController's Scale shows its selector sorted by key and sets its replicas", () => {
    const { registry } = newRegistry();
    const rcs = { group: '', resource: 'replicationcontrollers' };
    const labels = { tier: 'front', app: 'web' };
    registry.create(rcs, 'default', {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'web' },
      spec: {
        selector: labels,
        template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      },
    });
    const scale = registry.update(
      rcs,
      'default',
      { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: 2 } },
      { subresource: 'scale' },
    );
    assert.equal((scale.status as { selector: string }).selector, 'app=web,tier=front');
    assert.deepEqual(scale.spec, { replicas: 2 });
    assert.equal((registry.get(rcs, 'default', 'web').spec as { replicas: number }).replicas, 2);
  });

  test('dry run writes nothing', () => {
    const { registry } = newRegistry();
    const before = registry.currentResourceVersion();
    const result = registry.create(PODS, 'default', pod('web'), { dryRun: true });
    assert.equal(result.metadata.name, 'web');
    assert.equal(registry.tryGet(PODS, 'default', 'web'), undefined);
    assert.equal(registry.currentResourceVersion(), before);
  });

  test('a Service gets ClusterIP defaults, a cluster IP and targetPort from port', () => {
    const { registry } = newRegistry();
    const svc = registry.create({ group: '', resource: 'services' }, 'default', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
    });
    const spec = svc.spec as { type: string; clusterIP: string; sessionAffinity: string; ports: object[] };
    assert.equal(spec.type, 'ClusterIP');
    assert.equal(spec.sessionAffinity, 'None');
    assert.match(spec.clusterIP, /^10\.\d+\.\d+\.\d+$/);
    assert.deepEqual(spec.ports[0], { port: 80, protocol: 'TCP', targetPort: 80 });
  });

  test('a snapshot restored into a new registry keeps objects and resourceVersions keep increasing', () => {
    const { registry } = newRegistry();
    registry.create(PODS, 'default', pod('web'));
    const state = registry.snapshot();
    const { registry: restored } = newRegistry();
    restored.restore(state);
    assert.equal(
      restored.get(PODS, 'default', 'web').metadata.uid,
      registry.get(PODS, 'default', 'web').metadata.uid,
    );
    const next = restored.create(PODS, 'default', pod('api'));
    assert.ok(Number(next.metadata.resourceVersion) > state.resourceVersion);
  });

  test('a created pod starts Pending with its QoS class, whatever status the client sent', () => {
    const { registry } = newRegistry();
    const sent = pod('web', {
      status: { phase: 'Running', containerStatuses: [null], hostIP: '10.0.0.9' } as unknown as object,
    });
    assert.deepEqual(registry.create(PODS, 'default', sent).status, {
      phase: 'Pending',
      qosClass: 'BestEffort',
    });
    const limited = (name: string, cpu: string, memory: string, requests?: object) =>
      pod(name, {
        spec: {
          containers: [
            { name: 'app', image: 'nginx:1.27', resources: { limits: { cpu, memory }, requests } },
          ],
        },
      });
    const qos = (object: KubeObject) =>
      (registry.create(PODS, 'default', object).status as { qosClass: string }).qosClass;
    assert.equal(qos(limited('equal', '1', '1Gi')), 'Guaranteed');
    assert.equal(qos(limited('less', '1', '1Gi', { cpu: '500m' })), 'Burstable');
  });

  test('a created namespace is Active whatever status the client sent', () => {
    const { registry } = newRegistry();
    const created = registry.create(NAMESPACES, undefined, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team' },
      status: { phase: 'Terminating' },
    });
    assert.deepEqual(created.status, { phase: 'Active' });
  });
});

describe('shared reads', () => {
  test('listShared gives what list gives, in key order, filtered the same, without copying', () => {
    const { registry } = newRegistry();
    registry.create(NAMESPACES, undefined, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'fleet' },
    });
    registry.create(PODS, 'fleet', pod('ship-10', {}, { app: 'ship' }));
    registry.create(PODS, 'default', pod('web'));
    registry.create(PODS, 'fleet', pod('ship-2', {}, { app: 'ship' }));
    registry.create(PODS, 'fleet', pod('probe'));
    const shared = registry.listShared(PODS, { labelSelector: 'app=ship' });
    assert.deepEqual(
      shared.items.map((item) => item.metadata.name),
      ['ship-10', 'ship-2'],
    );
    assert.equal(shared.resourceVersion, registry.list(PODS).resourceVersion);
    assert.deepEqual(
      registry.listShared(PODS, { namespace: 'default' }).items,
      registry.list(PODS, { namespace: 'default' }).items,
    );
    assert.equal(registry.listShared(PODS).items[0], registry.listShared(PODS).items[0], 'no copy');
  });

  test('getShared gives the stored object, and NotFound as get does', () => {
    const { registry } = newRegistry();
    registry.create(PODS, 'default', pod('web'));
    assert.deepEqual(registry.getShared(PODS, 'default', 'web'), registry.get(PODS, 'default', 'web'));
    assert.equal(registry.getShared(PODS, 'default', 'web'), registry.getShared(PODS, 'default', 'web'));
    assert.equal(statusOf(() => registry.getShared(PODS, 'default', 'nope')).code, 404);
  });
});
