import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  admitLimitRanges,
  defaultLimitRangeSpec,
} from '../../../../server/sandbox/admission/limit-ranges.ts';
import { admitQuotas } from '../../../../server/sandbox/admission/resource-quotas.ts';
import { findResource } from '../../../../server/sandbox/registry/resources.ts';
import type { KubeObject, ResourceInfo } from '../../../../server/sandbox/types.ts';

const PODS = findResource('', 'pods') as ResourceInfo;
const DEPLOYMENTS = findResource('apps', 'deployments') as ResourceInfo;

const pod = (name: string, resources?: object, phase = 'Running'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'team' },
  spec: { containers: [{ name: 'app', image: 'nginx', ...(resources ? { resources } : {}) }] },
  status: { phase },
});
const quota = (name: string, hard: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name, namespace: 'team' },
  spec: { hard },
});
const sized = { requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } };

describe('ResourceQuota admission', () => {
  test('a create past a hard limit is refused with the requested, used and limited amounts', () => {
    const existing = [pod('a', sized), pod('b', sized), pod('done', sized, 'Succeeded')];
    const quotas = [quota('compute', { pods: '3', 'requests.memory': '300Mi', 'limits.cpu': '2' })];
    assert.throws(() => admitQuotas(PODS, pod('c', sized), quotas, () => existing), {
      message:
        'pods "c" is forbidden: exceeded quota: compute, requested: requests.memory=128Mi, used: requests.memory=256Mi, limited: requests.memory=300Mi',
    });
    assert.doesNotThrow(() => admitQuotas(PODS, pod('c', sized), quotas, () => existing.slice(1)));
  });

  test('a pod that states no requests under a compute quota is refused, each resource with its containers', () => {
    const quotas = [quota('compute', { 'requests.cpu': '1', 'limits.memory': '1Gi', pods: '10' })];
    assert.throws(() => admitQuotas(PODS, pod('bare'), quotas, () => []), {
      message:
        'pods "bare" is forbidden: failed quota: compute: must specify limits.memory for: app; requests.cpu for: app',
    });
  });

  test('count/<resource>.<group> counts objects of that resource only', () => {
    const deployment = (name: string): KubeObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'team' },
    });
    const quotas = [quota('objects', { 'count/deployments.apps': '1', pods: '0' })];
    assert.throws(() => admitQuotas(DEPLOYMENTS, deployment('two'), quotas, () => [deployment('one')]), {
      message:
        'deployments.apps "two" is forbidden: exceeded quota: objects, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1',
    });
  });
});

describe('LimitRange admission', () => {
  const range = (limits: object[]): KubeObject => {
    const spec = { limits };
    defaultLimitRangeSpec(spec);
    return { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'limits', namespace: 'team' }, spec };
  };

  test('a LimitRange’s default limit is its max, and its default request the default limit', () => {
    const stored = range([{ type: 'Container', max: { cpu: '1' }, default: { memory: '256Mi' } }]);
    assert.deepEqual((stored.spec as { limits: unknown[] }).limits[0], {
      type: 'Container',
      max: { cpu: '1' },
      default: { memory: '256Mi', cpu: '1' },
      defaultRequest: { memory: '256Mi', cpu: '1' },
    });
  });

  test('containers get the defaults they lack and keep what they state', () => {
    const bare = pod('web', { limits: { cpu: '300m' } });
    admitLimitRanges(PODS, bare, [
      range([
        {
          type: 'Container',
          default: { cpu: '500m', memory: '256Mi' },
          defaultRequest: { cpu: '100m', memory: '64Mi' },
        },
      ]),
    ]);
    assert.deepEqual((bare.spec as { containers: { resources: unknown }[] }).containers[0]?.resources, {
      limits: { cpu: '300m', memory: '256Mi' },
      requests: { cpu: '100m', memory: '64Mi' },
    });
  });

  test('min, max and ratio are checked with the apiserver’s messages, several in brackets', () => {
    const ranges = [
      range([
        {
          type: 'Container',
          min: { memory: '100Mi' },
          max: { cpu: '1' },
          maxLimitRequestRatio: { cpu: '2' },
        },
      ]),
    ];
    assert.throws(
      () =>
        admitLimitRanges(
          PODS,
          pod('big', { requests: { cpu: '1', memory: '200Mi' }, limits: { cpu: '2' } }),
          ranges,
        ),
      {
        message: 'pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2',
      },
    );
    assert.throws(
      () =>
        admitLimitRanges(
          PODS,
          pod('odd', { requests: { cpu: '100m', memory: '50Mi' }, limits: { cpu: '500m' } }),
          ranges,
        ),
      {
        message:
          'pods "odd" is forbidden: [minimum memory usage per Container is 100Mi, but request is 50Mi, cpu max limit to request ratio per Container is 2, but provided ratio is 5.000000]',
      },
    );
  });
});
