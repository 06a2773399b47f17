import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { converterFor } from '../../../../server/sandbox/conversion/index.ts';
import { ConversionError, hpaFromV1, hpaToV1 } from '../../../../server/sandbox/conversion/hpa-v1.ts';
import { resources } from '../../../../server/sandbox/registry/resources.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';

const metadata = { name: 'web', namespace: 'default', uid: 'u-1', resourceVersion: '7' };
const scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const cpu = (averageUtilization: number) => ({
  type: 'Resource',
  resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization } },
});

const v2 = (spec: object, status?: object, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { ...metadata, ...(annotations ? { annotations } : {}) },
  spec: { scaleTargetRef, minReplicas: 2, maxReplicas: 5, ...spec },
  ...(status ? { status } : {}),
});

describe('autoscaling/v1 view of a stored autoscaling/v2 HorizontalPodAutoscaler', () => {
  test('a CPU utilization target becomes targetCPUUtilizationPercentage and comes back as the same metric', () => {
    const stored = v2({ metrics: [cpu(80)] });
    const view = hpaToV1(stored);
    assert.deepEqual(view, {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata,
      spec: { scaleTargetRef, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 80 },
      status: { currentReplicas: 0, desiredReplicas: 0 },
    });
    assert.deepEqual(hpaFromV1(view), { ...stored, status: { desiredReplicas: 0 } });
  });

  test('kubectl 1.20 autoscale without --cpu-percent stores the implicit 80% CPU target', () => {
    const written: KubeObject = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: { scaleTargetRef, minReplicas: 1, maxReplicas: 3 },
    };
    assert.deepEqual((hpaFromV1(written).spec as { metrics: unknown }).metrics, [cpu(80)]);
  });

  test('other metrics, current metrics, conditions and behavior ride in annotations and round-trip', () => {
    const stored = v2(
      {
        metrics: [
          {
            type: 'Pods',
            pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '1k' } },
          },
          cpu(60),
          {
            type: 'Resource',
            resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } },
          },
          {
            type: 'External',
            external: {
              metric: { name: 'queue', selector: { matchLabels: { q: 'jobs' } } },
              target: { type: 'Value', value: '30' },
            },
          },
          {
            type: 'Object',
            object: {
              describedObject: { apiVersion: 'v1', kind: 'Service', name: 'web' },
              metric: { name: 'hits' },
              target: { type: 'Value', value: '10' },
            },
          },
        ],
        behavior: {
          scaleDown: {
            stabilizationWindowSeconds: 300,
            selectPolicy: 'Max',
            policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
          },
        },
      },
      {
        observedGeneration: 1,
        currentReplicas: 2,
        desiredReplicas: 3,
        currentMetrics: [
          { type: 'Pods', pods: { metric: { name: 'rps' }, current: { averageValue: '900' } } },
          {
            type: 'Resource',
            resource: { name: 'cpu', current: { averageValue: '120m', averageUtilization: 45 } },
          },
        ],
        conditions: [
          {
            type: 'AbleToScale',
            status: 'True',
            lastTransitionTime: '2026-01-01T00:00:00Z',
            reason: 'SucceededGetScale',
            message: 'the HPA controller was able to get the target',
          },
        ],
      },
      { team: 'blue' },
    );
    const view = hpaToV1(stored);
    const annotations = view.metadata.annotations as Record<string, string>;
    assert.equal(annotations.team, 'blue');
    assert.deepEqual(JSON.parse(annotations['autoscaling.alpha.kubernetes.io/metrics'] as string), [
      { type: 'Pods', pods: { metricName: 'rps', targetAverageValue: '1k' } },
      { type: 'Resource', resource: { name: 'memory', targetAverageValue: '500Mi' } },
      {
        type: 'External',
        external: { metricName: 'queue', metricSelector: { matchLabels: { q: 'jobs' } }, targetValue: '30' },
      },
      {
        type: 'Object',
        object: {
          target: { kind: 'Service', name: 'web', apiVersion: 'v1' },
          metricName: 'hits',
          targetValue: '10',
        },
      },
    ]);
    assert.deepEqual(JSON.parse(annotations['autoscaling.alpha.kubernetes.io/behavior'] as string), {
      ScaleUp: null,
      ScaleDown: {
        StabilizationWindowSeconds: 300,
        SelectPolicy: 'Max',
        Policies: [{ Type: 'Percent', Value: 100, PeriodSeconds: 15 }],
      },
    });
    assert.deepEqual(view.spec, {
      scaleTargetRef,
      minReplicas: 2,
      maxReplicas: 5,
      targetCPUUtilizationPercentage: 60,
    });
    assert.deepEqual(view.status, {
      observedGeneration: 1,
      currentReplicas: 2,
      desiredReplicas: 3,
      currentCPUUtilizationPercentage: 45,
    });

    // Back in v2 the CPU metric comes last, as the apiserver appends it after the annotation's metrics.
    const back = hpaFromV1(view);
    const metrics = (stored.spec as { metrics: unknown[] }).metrics;
    assert.deepEqual(back, {
      ...stored,
      spec: {
        ...(stored.spec as object),
        metrics: [metrics[0], metrics[2], metrics[3], metrics[4], metrics[1]],
      },
    });
  });

  test('round-trip annotations a client wrote are never stored nor shown as its own', () => {
    const written: KubeObject = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', annotations: { 'autoscaling.alpha.kubernetes.io/conditions': '[]' } },
      spec: { scaleTargetRef, maxReplicas: 3, targetCPUUtilizationPercentage: 50 },
    };
    assert.equal(hpaFromV1(written).metadata.annotations, undefined);
    const stored = v2({ metrics: [cpu(50)] }, undefined, {
      'autoscaling.alpha.kubernetes.io/metrics': 'junk',
    });
    assert.equal(hpaToV1(stored).metadata.annotations, undefined);
  });

  test('a v1 status without the annotation keeps its CPU utilization as a current metric', () => {
    const written: KubeObject = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: { scaleTargetRef, maxReplicas: 3, targetCPUUtilizationPercentage: 50 },
      status: { currentReplicas: 1, desiredReplicas: 2, currentCPUUtilizationPercentage: 70 },
    };
    const back = hpaFromV1(written);
    assert.deepEqual(back.status, {
      currentReplicas: 1,
      desiredReplicas: 2,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 70 } } }],
    });
    assert.equal(
      (hpaToV1(back).status as { currentCPUUtilizationPercentage: number }).currentCPUUtilizationPercentage,
      70,
    );
  });

  test('an annotation that is not JSON is refused with its name', () => {
    const written: KubeObject = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', annotations: { 'autoscaling.alpha.kubernetes.io/metrics': '[{' } },
      spec: { scaleTargetRef, maxReplicas: 3 },
    };
    assert.throws(
      () => hpaFromV1(written),
      (error: unknown) => {
        assert.ok(error instanceof ConversionError);
        assert.match(error.message, /autoscaling\.alpha\.kubernetes\.io\/metrics is not valid JSON/);
        return true;
      },
    );
  });

  test('behavior written by an older server with Go field names in any case is read back', () => {
    const written: KubeObject = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: {
        name: 'web',
        annotations: {
          'autoscaling.alpha.kubernetes.io/behavior':
            '{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":null,"Policies":[{"type":"Pods","value":4,"periodSeconds":15}]},"ScaleDown":null}',
          'autoscaling.alpha.kubernetes.io/scale-up-tolerance': '50m',
        },
      },
      spec: { scaleTargetRef, maxReplicas: 3, targetCPUUtilizationPercentage: 50 },
    };
    assert.deepEqual((hpaFromV1(written).spec as { behavior: unknown }).behavior, {
      scaleUp: {
        stabilizationWindowSeconds: 0,
        policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }],
        tolerance: '50m',
      },
    });
  });
});

describe('served versions', () => {
  test('every version served besides a resource’s storage version has a converter', () => {
    for (const info of resources) {
      const storage = resources.find((r) => r.group === info.group && r.resource === info.resource);
      if (storage === info) assert.equal(converterFor(info), undefined, `${info.group}/${info.version}`);
      else assert.ok(converterFor(info), `${info.group}/${info.version}/${info.resource} has no converter`);
    }
  });
});
