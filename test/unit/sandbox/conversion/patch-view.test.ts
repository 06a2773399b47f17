import assert from 'node:assert/strict';
import { test } from 'node:test';
import { converterFor } from '../../../../server/sandbox/conversion/index.ts';
import { patchView } from '../../../../server/sandbox/conversion/patch-view.ts';
import type { VersionConverter } from '../../../../server/sandbox/conversion/index.ts';
import type { KubeObject, PatchType } from '../../../../server/sandbox/types.ts';
import { newRegistry } from '../support.ts';

const HPAS = { group: 'autoscaling', resource: 'horizontalpodautoscalers' };
const v1 = converterFor({ ...HPAS, version: 'v1' }) as VersionConverter;
const scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

function withStoredHpa() {
  const { registry, clock } = newRegistry();
  registry.create(HPAS, 'default', {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web' },
    spec: {
      scaleTargetRef,
      maxReplicas: 5,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
        },
        {
          type: 'Resource',
          resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1Gi' } },
        },
      ],
    },
  });
  const patch = (type: PatchType, body: unknown, options = {}) =>
    patchView(registry, v1, {
      ref: HPAS,
      namespace: 'default',
      name: 'web',
      type,
      patch: body,
      options,
      now: clock.now(),
    });
  const stored = () => registry.get(HPAS, 'default', 'web');
  const metrics = () => (stored().spec as { metrics: KubeObject[] }).metrics;
  return { patch, stored, metrics };
}

const cpuTarget = (metrics: KubeObject[]) =>
  metrics.find((m) => (m.resource as { name: string }).name === 'cpu')?.resource as {
    target: { averageUtilization: number };
  };

for (const [type, body] of [
  ['merge', { spec: { targetCPUUtilizationPercentage: 50 } }],
  ['strategic', { spec: { targetCPUUtilizationPercentage: 50 } }],
  ['json', [{ op: 'replace', path: '/spec/targetCPUUtilizationPercentage', value: 50 }]],
] as const) {
  test(`a ${type} patch of the v1 view changes the stored CPU metric and keeps the memory one`, () => {
    const { patch, metrics } = withStoredHpa();
    const answer = patch(type, body);
    assert.equal(answer.apiVersion, 'autoscaling/v1');
    assert.equal(
      (answer.spec as { targetCPUUtilizationPercentage: number }).targetCPUUtilizationPercentage,
      50,
    );
    assert.equal(cpuTarget(metrics()).target.averageUtilization, 50);
    assert.deepEqual(
      metrics().map((m) => (m.resource as { name: string }).name),
      ['memory', 'cpu'],
    );
  });
}

test('a JSON patch sees the v1 fields only: v2 paths do not exist in the view', () => {
  const { patch } = withStoredHpa();
  assert.throws(() => patch('json', [{ op: 'replace', path: '/spec/metrics/0/type', value: 'Pods' }]));
});

test('a server-side apply of a v1 document records its manager and converts back', () => {
  const { patch, stored, metrics } = withStoredHpa();
  const applied = patch(
    'apply',
    {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: { scaleTargetRef, maxReplicas: 7, targetCPUUtilizationPercentage: 40 },
    },
    { fieldManager: 'lesson' },
  );
  assert.equal((applied.spec as { maxReplicas: number }).maxReplicas, 7);
  assert.equal(cpuTarget(metrics()).target.averageUtilization, 40);
  const managers = (stored().metadata.managedFields as { manager: string }[]).map((m) => m.manager);
  assert.deepEqual(managers, ['lesson']);
});

test('a dry-run patch answers the patched view and stores nothing', () => {
  const { patch, metrics } = withStoredHpa();
  const answer = patch('merge', { spec: { targetCPUUtilizationPercentage: 20 } }, { dryRun: true });
  assert.equal(
    (answer.spec as { targetCPUUtilizationPercentage: number }).targetCPUUtilizationPercentage,
    20,
  );
  assert.equal(cpuTarget(metrics()).target.averageUtilization, 80);
});

test('a patch naming a stale resourceVersion conflicts', () => {
  const { patch } = withStoredHpa();
  assert.throws(
    () => patch('merge', { metadata: { resourceVersion: '1' }, spec: { maxReplicas: 9 } }),
    (error: unknown) => (error as { status?: { code?: number } }).status?.code === 409,
  );
});
