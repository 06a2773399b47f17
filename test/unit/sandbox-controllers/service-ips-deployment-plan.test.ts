import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { allocateServiceAddresses } from '../../../server/sandbox/controllers/service-ips.ts';
import {
  planDeployment,
  podTemplateHash,
  resolveFenceposts,
} from '../../../server/sandbox/controllers/deployment-plan.ts';
import type { KubeObject } from '../../../server/sandbox/types.ts';
import { seededRandom } from './support/fake-clock.ts';

const service = (name: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, uid: name },
  spec,
});

describe('service address allocation', () => {
  test('a NodePort service gets a cluster IP in 10.96.0.0/12 and a node port in 30000-32767', () => {
    const result = allocateServiceAddresses(
      service('web', { type: 'NodePort', ports: [{ port: 80 }] }),
      [],
      seededRandom(),
    );
    assert.ok(result.ok);
    assert.match(String(result.spec.clusterIP), /^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
    const nodePort = result.spec.ports?.[0]?.nodePort ?? 0;
    assert.ok(nodePort >= 30000 && nodePort <= 32767);
  });

  test('an explicit node port already taken is refused with the real message', () => {
    const taken = service('a', {
      type: 'NodePort',
      clusterIP: '10.96.5.5',
      ports: [{ port: 80, nodePort: 30080 }],
    });
    const result = allocateServiceAddresses(
      service('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
      [taken],
    );
    assert.deepEqual(result, {
      ok: false,
      causes: [
        {
          reason: 'FieldValueInvalid',
          field: 'spec.ports[0].nodePort',
          message: 'Invalid value: 30080: provided port is already allocated',
        },
      ],
    });
  });

  test('headless stays None, ClusterIP services get no node port, an out-of-range port is refused', () => {
    const headless = allocateServiceAddresses(service('h', { clusterIP: 'None', ports: [{ port: 80 }] }), []);
    assert.ok(headless.ok && headless.spec.clusterIP === 'None');
    const plain = allocateServiceAddresses(
      service('c', { type: 'ClusterIP', ports: [{ port: 80 }] }),
      [],
      seededRandom(),
    );
    assert.ok(plain.ok && plain.spec.ports?.[0]?.nodePort === undefined);
    const low = allocateServiceAddresses(
      service('l', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }),
      [],
    );
    assert.ok(!low.ok && /The range of valid ports is 30000-32767/.test(low.causes[0]?.message ?? ''));
  });
});

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
