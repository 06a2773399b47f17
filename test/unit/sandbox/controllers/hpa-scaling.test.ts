import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  MetricError,
  behaviorOf,
  normalize,
  replicasForResource,
  type PodSample,
} from '../../../../server/sandbox/controllers/hpa-scaling.ts';

const pod = (name: string, usage: number | undefined, ready = true, request = 0.1): PodSample => ({
  name,
  ready,
  usage,
  request,
});
const fifty = { type: 'Utilization', averageUtilization: 50 } as const;

describe('replicasForResource', () => {
  test('scales by the ratio of utilization to target, rounded up', () => {
    // 3 pods at 167 % of a 100m request, target 50 %: ceil(3 × 3.34) = 11.
    const samples = [pod('a', 0.167), pod('b', 0.167), pod('c', 0.167)];
    const proposal = replicasForResource('cpu', 3, samples, fifty);
    assert.equal(proposal.replicas, 11);
    assert.equal(proposal.utilization, 167);
  });

  test('keeps the count within the 10 % tolerance', () => {
    assert.equal(replicasForResource('cpu', 2, [pod('a', 0.054), pod('b', 0.054)], fifty).replicas, 2);
    assert.equal(replicasForResource('cpu', 2, [pod('a', 0.056), pod('b', 0.056)], fifty).replicas, 3);
  });

  test('pods without metrics count as fully used when scaling down, so the step is smaller', () => {
    // Measured pods at 10 %: alone they would ask for 1; the missing pod at 100 % makes it ceil(3 × 40/50) = 3.
    const samples = [pod('a', 0.01), pod('b', 0.01), pod('c', undefined)];
    assert.equal(replicasForResource('cpu', 3, samples, fifty).replicas, 3);
  });

  test('unready pods count as idle when scaling up', () => {
    // Ready pods at 100 %: ceil(2 × 2) = 4; with two unready pods at 0 % the average is 50 %: no change.
    const samples = [pod('a', 0.1), pod('b', 0.1), pod('c', 0.05, false), pod('d', 0.05, false)];
    assert.equal(replicasForResource('cpu', 4, samples, fifty).replicas, 4);
  });

  test('unready pods stay out of the count when scaling down', () => {
    // Two ready pods at 10 %: ceil(2 × 0.2) = 1; the unready one (no metrics yet) changes nothing.
    const samples = [pod('a', 0.01), pod('b', 0.01), pod('c', undefined, false)];
    assert.equal(replicasForResource('cpu', 3, samples, fifty).replicas, 1);
  });

  test('refuses without requests or metrics, with the controller’s words', () => {
    assert.throws(
      () =>
        replicasForResource(
          'cpu',
          1,
          [{ ...pod('a', 0.1), request: undefined, missingRequestIn: 'web' }],
          fifty,
        ),
      (error: unknown) =>
        error instanceof MetricError &&
        /missing request for cpu in container web of Pod a/.test(error.message),
    );
    assert.throws(
      () => replicasForResource('cpu', 1, [pod('a', undefined)], fifty),
      /no metrics returned from resource metrics API/,
    );
  });

  test('an AverageValue target divides the usage per pod by the value', () => {
    const proposal = replicasForResource('memory', 2, [pod('a', 300e6, true, 0), pod('b', 300e6, true, 0)], {
      type: 'AverageValue',
      averageValue: 200e6,
    });
    assert.equal(proposal.replicas, 3);
  });
});

describe('normalize', () => {
  const behavior = behaviorOf({});
  const empty = () => ({ recommendations: [], events: [] });

  test('scales up at once, no faster than the default policies (double or +4 per 15 s)', () => {
    const result = normalize(20, 3, { min: 1, max: 10 }, behavior, empty(), 0, 1000);
    assert.equal(result.replicas, 7);
    assert.equal(result.limited.reason, 'ScaleUpLimit');
  });

  test('stops at maxReplicas with TooManyReplicas', () => {
    const result = normalize(20, 3, { min: 3, max: 6 }, behavior, empty(), 0, 1000);
    assert.equal(result.replicas, 6);
    assert.equal(result.limited.reason, 'TooManyReplicas');
  });

  test('scales down only to the highest recommendation of the 300 s window', () => {
    const history = { recommendations: [{ at: 0, replicas: 6 }], events: [] };
    const held = normalize(1, 6, { min: 3, max: 6 }, behavior, history, 299_000, 1000);
    assert.equal(held.replicas, 6);
    assert.equal(held.stabilized.reason, 'ScaleDownStabilized');
    const after = normalize(1, 6, { min: 3, max: 6 }, behavior, history, 301_000, 1000);
    assert.equal(after.replicas, 3);
    assert.equal(after.limited.reason, 'TooFewReplicas');
  });

  test('a compressed second shortens the window', () => {
    const history = { recommendations: [{ at: 0, replicas: 6 }], events: [] };
    assert.equal(normalize(1, 6, { min: 3, max: 6 }, behavior, history, 16_000, 50).replicas, 3);
  });

  test('a Pods policy counts the changes made within its period; Min picks the slowest policy', () => {
    const rules = behaviorOf({
      behavior: {
        scaleDown: {
          stabilizationWindowSeconds: 0,
          selectPolicy: 'Min',
          policies: [
            { type: 'Pods', value: 2, periodSeconds: 60 },
            { type: 'Percent', value: 50, periodSeconds: 60 },
          ],
        },
      },
    });
    // 10 pods, 1 removed 30 s ago: the period started at 11; Pods allows 9, Percent allows 5; Min picks 9.
    const history = { recommendations: [], events: [{ at: 30_000, change: -1 }] };
    const result = normalize(1, 10, { min: 1, max: 20 }, rules, history, 60_000, 1000);
    assert.equal(result.replicas, 9);
    assert.equal(result.limited.reason, 'ScaleDownLimit');
  });

  test('selectPolicy Disabled never scales that way', () => {
    const rules = behaviorOf({ behavior: { scaleUp: { selectPolicy: 'Disabled' } } });
    assert.equal(normalize(8, 4, { min: 1, max: 10 }, rules, empty(), 0, 1000).replicas, 4);
  });
});
