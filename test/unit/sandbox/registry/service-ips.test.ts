import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { allocateServiceAddresses } from '../../../../server/sandbox/registry/service-ips.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';
import { seededRandom } from '../../../../server/random.ts';
import { newRegistry } from '../support.ts';

const SERVICES = { group: '', resource: 'services' };

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

  test('an update keeps the stored cluster IP and node ports, and the type leaving NodePort drops them', () => {
    const stored = service('web', {
      type: 'NodePort',
      clusterIP: '10.96.7.7',
      clusterIPs: ['10.96.7.7'],
      ports: [{ port: 80, protocol: 'TCP', nodePort: 31111 }],
    });
    const kept = allocateServiceAddresses(
      service('web', { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP' }] }),
      [stored],
      seededRandom(),
      stored,
    );
    assert.ok(kept.ok);
    assert.equal(kept.spec.clusterIP, '10.96.7.7');
    assert.equal(kept.spec.ports?.[0]?.nodePort, 31111);
    const plain = allocateServiceAddresses(
      service('web', { type: 'ClusterIP', clusterIP: '10.96.7.7', ports: [{ port: 80, nodePort: 31111 }] }),
      [stored],
      seededRandom(),
      stored,
    );
    assert.ok(plain.ok);
    assert.equal(plain.spec.clusterIP, '10.96.7.7');
    assert.equal(plain.spec.ports?.[0]?.nodePort, undefined);
  });

  test("an update to NodePort gets a free node port, and one taking another Service's is refused", () => {
    const stored = service('web', { type: 'ClusterIP', clusterIP: '10.96.7.7', ports: [{ port: 80 }] });
    const other = service('other', {
      type: 'NodePort',
      clusterIP: '10.96.8.8',
      ports: [{ port: 80, nodePort: 30080 }],
    });
    const opened = allocateServiceAddresses(
      service('web', { type: 'NodePort', clusterIP: '10.96.7.7', ports: [{ port: 80 }] }),
      [stored, other],
      seededRandom(),
      stored,
    );
    assert.ok(opened.ok);
    const nodePort = opened.spec.ports?.[0]?.nodePort ?? 0;
    assert.ok(nodePort >= 30000 && nodePort <= 32767 && nodePort !== 30080, `nodePort ${nodePort}`);
    const clash = allocateServiceAddresses(
      service('web', { type: 'NodePort', clusterIP: '10.96.7.7', ports: [{ port: 80, nodePort: 30080 }] }),
      [stored, other],
      seededRandom(),
      stored,
    );
    assert.ok(!clash.ok);
    assert.deepEqual(
      clash.causes.map((c) => c.message),
      ['Invalid value: 30080: provided port is already allocated'],
    );
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

describe('service addresses in the registry', () => {
  test('a Service restored without a cluster IP gets one, as the apiserver repair loop gives it', () => {
    const { registry } = newRegistry();
    const snapshot = registry.snapshot();
    const saved = {
      ...service('web', { type: 'ClusterIP', ports: [{ port: 80 }] }),
      metadata: { name: 'web', namespace: 'default', uid: 'web', resourceVersion: '7' },
    };
    const restored = newRegistry().registry;
    restored.restore({
      resourceVersion: snapshot.resourceVersion + 1,
      objects: [...snapshot.objects, saved],
    });
    const spec = restored.get(SERVICES, 'default', 'web').spec as {
      clusterIP?: string;
      clusterIPs?: string[];
    };
    assert.match(String(spec.clusterIP), /^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
    assert.deepEqual(spec.clusterIPs, [spec.clusterIP]);
  });
});
