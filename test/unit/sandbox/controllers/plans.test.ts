import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evictionDelayMs } from '../../../../server/sandbox/controllers/node-lifecycle.ts';
import { planStatefulSet, updateRevisionOf } from '../../../../server/sandbox/controllers/statefulset.ts';
import { planJob } from '../../../../server/sandbox/controllers/job.ts';
import { endpointsFor } from '../../../../server/sandbox/controllers/services.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';

function pod(
  name: string,
  extra: {
    spec?: Record<string, unknown>;
    status?: Record<string, unknown>;
    labels?: Record<string, string>;
  } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: name, labels: extra.labels ?? {} },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...(extra.spec ?? {}) },
    status: extra.status ?? {},
  };
}
const running = (ready: boolean, ip = '10.244.1.2') => ({
  phase: 'Running',
  podIP: ip,
  conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
});

describe('node lifecycle', () => {
  test('pods leave a failed node after the sandbox toleration; daemon pods stay; explicit seconds win', () => {
    const unreachable = 'node.kubernetes.io/unreachable';
    assert.equal(evictionDelayMs(pod('plain'), unreachable, 30_000), 30_000);
    const defaulted = pod('defaulted', {
      spec: {
        tolerations: [{ key: unreachable, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      },
    });
    assert.equal(evictionDelayMs(defaulted, unreachable, 30_000), 30_000);
    const daemon = pod('daemon', {
      spec: { tolerations: [{ key: unreachable, operator: 'Exists', effect: 'NoExecute' }] },
    });
    assert.equal(evictionDelayMs(daemon, unreachable, 30_000), undefined);
    const quick = pod('quick', {
      spec: {
        tolerations: [{ key: unreachable, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }],
      },
    });
    assert.equal(evictionDelayMs(quick, unreachable, 30_000), 5000);
  });
});

const sts = (replicas: number, policy?: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'db', uid: 'sts' },
  spec: { replicas, ...(policy ? { podManagementPolicy: policy } : {}) },
});

describe('statefulset plans', () => {
  test('OrderedReady creates the next ordinal only when the previous is Running and Ready', () => {
    assert.deepEqual(planStatefulSet(sts(3), []).create, [0]);
    assert.deepEqual(planStatefulSet(sts(3), [pod('db-0', { status: running(false) })]).create, []);
    assert.deepEqual(planStatefulSet(sts(3), [pod('db-0', { status: running(true) })]).create, [1]);
  });

  test('Parallel creates all at once; scale-down removes the highest ordinal first', () => {
    assert.deepEqual(planStatefulSet(sts(3, 'Parallel'), []).create, [0, 1, 2]);
    const three = ['db-0', 'db-1', 'db-2'].map((name) => pod(name, { status: running(true) }));
    assert.deepEqual(
      planStatefulSet(sts(1), three).remove.map((p) => p.metadata.name),
      ['db-2'],
    );
  });
});

describe('statefulset rolling updates', () => {
  const rolled = (image: string, partition?: number): KubeObject => {
    const set = sts(3);
    set.spec = {
      ...(set.spec as Record<string, unknown>),
      template: { spec: { containers: [{ name: 'db', image }] } },
      ...(partition === undefined
        ? {}
        : { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition } } }),
    };
    return set;
  };
  const at = (revision: string, ready = true) =>
    [0, 1, 2].map((n) =>
      pod(`db-${n}`, { labels: { 'controller-revision-hash': revision }, status: running(ready) }),
    );

  test('a new template replaces the highest outdated ordinal once all are Ready, keeping currentRevision', () => {
    const before = planStatefulSet(sts(3), at('old')).status.updateRevision;
    const next = rolled('redis:8');
    const update = updateRevisionOf(next);
    assert.notEqual(update, before);
    next.status = { currentRevision: 'old' };
    const plan = planStatefulSet(next, at('old'));
    assert.deepEqual(
      plan.remove.map((p) => p.metadata.name),
      ['db-2'],
    );
    assert.equal(plan.status.currentRevision, 'old');
    assert.equal(plan.status.updateRevision, update);
    const mixed = [...at('old').slice(0, 2), ...at(update).slice(2)];
    assert.deepEqual(
      planStatefulSet(next, mixed).remove.map((p) => p.metadata.name),
      ['db-1'],
    );
    assert.equal(planStatefulSet(next, mixed).status.updatedReplicas, 1);
    const unready = [...at('old').slice(0, 2), ...at(update, false).slice(2)];
    assert.deepEqual(planStatefulSet(next, unready).remove, []);
    const done = planStatefulSet(next, at(update)).status;
    assert.equal(done.currentRevision, update);
    assert.equal(done.updatedReplicas, 3);
    assert.equal(done.currentReplicas, 3);
  });

  test('OnDelete and a partition hold pods back', () => {
    const onDelete = rolled('redis:8');
    (onDelete.spec as Record<string, unknown>).updateStrategy = { type: 'OnDelete' };
    assert.deepEqual(planStatefulSet(onDelete, at('old')).remove, []);
    const partitioned = rolled('redis:8', 2);
    const update = updateRevisionOf(partitioned);
    const mixed = [...at('old').slice(0, 2), ...at(update).slice(2)];
    assert.deepEqual(planStatefulSet(partitioned, mixed).remove, []);
  });
});

describe('job plans', () => {
  const job = (spec: Record<string, unknown>): KubeObject => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j' },
    spec,
  });
  test('parallelism caps the pods running at once, completions the total', () => {
    assert.equal(planJob(job({ completions: 5, parallelism: 2 }), [], 0).create, 2);
    const done = [pod('a', { status: { phase: 'Succeeded' } }), pod('b', { status: { phase: 'Succeeded' } })];
    assert.equal(planJob(job({ completions: 3, parallelism: 2 }), done, 0).create, 1);
    assert.equal(planJob(job({ completions: 2 }), done, 0).finished, 'Complete');
  });

  test('a finished Job keeps its succeeded count when its pods are deleted (a drain), and starts none again', () => {
    const finished: KubeObject = {
      ...job({ completions: 1 }),
      status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] },
    };
    const plan = planJob(finished, [], 0);
    assert.equal(plan.succeeded, 1);
    assert.equal(plan.create, 0);
  });

  test('more failures than backoffLimit fails the Job', () => {
    const failed = ['a', 'b', 'c'].map((name) => pod(name, { status: { phase: 'Failed' } }));
    assert.equal(planJob(job({ backoffLimit: 2 }), failed, 0).finished, 'Failed');
  });

  test('with restartPolicy OnFailure, container restarts count toward backoffLimit and end the Job', () => {
    const onFailure = (backoffLimit: number) =>
      job({ backoffLimit, template: { spec: { restartPolicy: 'OnFailure', containers: [] } } });
    const restarting = (restartCount: number) =>
      pod('a', { status: { ...running(false), containerStatuses: [{ name: 'c', restartCount }] } });
    assert.equal(planJob(onFailure(3), [restarting(2)], 0).finished, undefined);
    const failed = planJob(onFailure(3), [restarting(3)], 0);
    assert.equal(failed.finished, 'Failed');
    assert.equal(failed.removeActive, true);
    assert.equal(planJob(onFailure(0), [restarting(1)], 0).finished, 'Failed');
    // restartPolicy Never: restarts never happen, only failed pods count.
    assert.equal(planJob(job({ backoffLimit: 3 }), [restarting(5)], 0).finished, undefined);
  });

  test('with restartPolicy Never, a replacement waits 10 s, then 20 s, … (scaled by the speed), at most 6 min', () => {
    const failedAt = (name: string, ms: number) =>
      pod(name, {
        status: {
          phase: 'Failed',
          containerStatuses: [
            { name: 'c', state: { terminated: { finishedAt: new Date(ms).toISOString() } } },
          ],
        },
      });
    const never = job({ backoffLimit: 20 });
    const one = [failedAt('a', 1_000_000)];
    assert.deepEqual(
      [planJob(never, one, 0, 1_000_000).recheckInMs, planJob(never, one, 0, 1_000_000).create],
      [10_000, 0],
    );
    assert.equal(planJob(never, one, 0, 1_010_000).create, 1);
    const two = [...one, failedAt('b', 1_020_000)];
    assert.equal(planJob(never, two, 0, 1_030_000).recheckInMs, 10_000);
    assert.equal(planJob(never, two, 0, 1_020_000, 0.05).recheckInMs, 1_000);
    const many = Array.from({ length: 10 }, (_, i) => failedAt(`f${i}`, 1_000_000));
    assert.equal(planJob(never, many, 0, 1_000_000).recheckInMs, 360_000);
  });
});

describe('endpoints', () => {
  test('ready pods are addresses, unready ones notReadyAddresses, a named target port becomes the container port', () => {
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'web' }] },
    };
    const ports = {
      containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'web', containerPort: 8080 }] }],
      nodeName: 'worker-1',
    };
    const pods = [
      pod('a', { labels: { app: 'web' }, spec: ports, status: running(true, '10.244.1.2') }),
      pod('b', { labels: { app: 'web' }, spec: ports, status: running(false, '10.244.2.2') }),
      pod('other', { labels: { app: 'db' }, spec: ports, status: running(true, '10.244.1.3') }),
    ];
    const { subsets } = endpointsFor(service, pods);
    assert.deepEqual(subsets, [
      {
        addresses: [
          {
            ip: '10.244.1.2',
            nodeName: 'worker-1',
            targetRef: { kind: 'Pod', name: 'a', namespace: 'default', uid: 'a' },
          },
        ],
        notReadyAddresses: [
          {
            ip: '10.244.2.2',
            nodeName: 'worker-1',
            targetRef: { kind: 'Pod', name: 'b', namespace: 'default', uid: 'b' },
          },
        ],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
  });
});
