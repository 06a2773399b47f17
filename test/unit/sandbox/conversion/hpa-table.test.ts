// `kubectl get hpa` columns for either version: cells read the stored v2 object, rows embed the asked-for view.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hpaToV1 } from '../../../../server/sandbox/conversion/hpa-v1.ts';
import { toTable } from '../../../../server/sandbox/api/tables/index.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';

const hpa = (metrics: object[], currentMetrics?: object[]): KubeObject => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 2,
    maxReplicas: 5,
    metrics,
  },
  ...(currentMetrics ? { status: { currentReplicas: 3, desiredReplicas: 3, currentMetrics } } : {}),
});
const cpu = {
  type: 'Resource',
  resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
};
const memory = {
  type: 'Resource',
  resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } },
};
const pods = {
  type: 'Pods',
  pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '1k' } },
};
const external = {
  type: 'External',
  external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } },
};

const row = (object: KubeObject) =>
  toTable('HorizontalPodAutoscaler', [object], {
    now: Date.parse('2026-01-01T00:05:00Z'),
    includeObject: 'None',
  }).rows as { cells: unknown[] }[];

test('get hpa prints kubectl’s columns', () => {
  const table = toTable('HorizontalPodAutoscaler', [], { now: 0, includeObject: 'None' });
  assert.deepEqual(
    (table.columnDefinitions as { name: string }[]).map((column) => column.name),
    ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age'],
  );
});

for (const [what, object, targets] of [
  ['a CPU target before any measurement', hpa([cpu]), 'cpu: <unknown>/80%'],
  [
    'a measured CPU utilization',
    hpa([cpu], [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 45 } } }]),
    'cpu: 45%/80%',
  ],
  ['an average value target', hpa([memory]), 'memory: <unknown>/500Mi'],
  ['pods and external metrics', hpa([pods, external]), '<unknown>/1k, <unknown>/30 (avg)'],
  [
    'more than two metrics',
    hpa([cpu, memory, pods]),
    'cpu: <unknown>/80%, memory: <unknown>/500Mi + 1 more...',
  ],
  ['no metrics', hpa([]), '<none>'],
] as const) {
  test(`TARGETS shows ${what}`, () => {
    assert.deepEqual(row(object)[0]?.cells, [
      'web',
      'Deployment/web',
      targets,
      // MINPODS is a string column in kubectl's printer (it can say <unset>).
      '2',
      5,
      object.status ? 3 : 0,
      '5m',
    ]);
  });
}

test('a v1 request’s rows embed the v1 object and print from v2', () => {
  const table = toTable('HorizontalPodAutoscaler', [hpa([cpu, memory])], {
    now: 0,
    includeObject: 'Object',
    view: hpaToV1,
  });
  const [first] = table.rows as { cells: unknown[]; object: KubeObject }[];
  assert.equal(first?.object.apiVersion, 'autoscaling/v1');
  assert.equal(first?.cells[2], 'cpu: <unknown>/80%, memory: <unknown>/500Mi');
});
