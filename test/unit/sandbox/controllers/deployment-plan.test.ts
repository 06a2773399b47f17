import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  planDeployment,
  podTemplateHash,
  resolveFenceposts,
} from '../../../../server/sandbox/controllers/deployment-plan.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';

const template = (image: string) => ({
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image }] },
});

describe('deployment plans', () => {
  test('the pod-template-hash is stable, depends on the template only, and uses the safe alphabet', () => {
    assert.equal(
      podTemplateHash(template('nginx:1.27')),
      podTemplateHash(structuredClone(template('nginx:1.27'))),
    );
    assert.notEqual(podTemplateHash(template('nginx:1.27')), podTemplateHash(template('nginx:1.28')));
    assert.match(podTemplateHash(template('nginx:1.27')), /^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
  });

  test('25% surge rounds up and 25% unavailable rounds down', () => {
    assert.deepEqual(resolveFenceposts({ replicas: 3 }), { maxSurge: 1, maxUnavailable: 0 });
    assert.deepEqual(resolveFenceposts({ replicas: 10 }), { maxSurge: 3, maxUnavailable: 2 });
    assert.deepEqual(
      resolveFenceposts({ replicas: 3, strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } }),
      {
        maxSurge: 0,
        maxUnavailable: 1,
      },
    );
  });

  test('a template change creates revision 2 with one surge pod while the old set keeps its 3', () => {
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', uid: 'd1', generation: 2 },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: template('nginx:1.28') },
    };
    const old: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-old', annotations: { 'deployment.kubernetes.io/revision': '1' } },
      spec: { replicas: 3, template: template('nginx:1.27') },
      status: { replicas: 3, readyReplicas: 3, availableReplicas: 3 },
    };
    const plan = planDeployment(deployment, [old], Date.parse('2026-03-01T10:00:00Z'));
    assert.deepEqual(plan.createRs, {
      name: `web-${podTemplateHash(template('nginx:1.28'))}`,
      hash: podTemplateHash(template('nginx:1.28')),
      replicas: 1,
      revision: 2,
    });
    assert.deepEqual(plan.scales, []);
  });
});
