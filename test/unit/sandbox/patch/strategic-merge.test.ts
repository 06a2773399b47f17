import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { PatchError } from '../../../../server/sandbox/patch/errors.ts';
import { mergeKeyFor, primitiveSet } from '../../../../server/sandbox/patch/merge-keys.ts';
import { applyStrategicMergePatch } from '../../../../server/sandbox/patch/strategic-merge.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';

const deployment = (): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'fleet', labels: { app: 'fleet' }, finalizers: ['a'] },
  spec: {
    replicas: 3,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } },
    template: {
      metadata: { labels: { app: 'fleet' } },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.26',
            ports: [{ containerPort: 80 }],
            env: [{ name: 'A', value: '1' }],
          },
          { name: 'sidecar', image: 'busybox' },
        ],
        tolerations: [{ key: 'a', operator: 'Exists' }],
      },
    },
  },
  status: { conditions: [{ type: 'Available', status: 'True' }] },
});

const podSpec = (object: KubeObject) =>
  (object.spec as { template: { spec: Record<string, unknown> } }).template.spec;
const containers = (object: KubeObject) => podSpec(object).containers as Record<string, unknown>[];
const inPodSpec = (spec: Record<string, unknown>) => ({ spec: { template: { spec } } });

describe('merge keys', () => {
  const cases: [string, string, MergeKeyName][] = [
    ['Pod', 'spec.containers', 'name'],
    ['Pod', 'spec.containers.ports', 'containerPort'],
    ['Pod', 'spec.initContainers.env', 'name'],
    ['Pod', 'spec.containers.volumeMounts', 'mountPath'],
    ['Pod', 'spec.containers.volumeDevices', 'devicePath'],
    ['Pod', 'spec.volumes', 'name'],
    ['Pod', 'spec.hostAliases', 'ip'],
    ['Pod', 'spec.topologySpreadConstraints', 'topologyKey'],
    ['Pod', 'spec.tolerations', undefined],
    ['Pod', 'status.conditions', 'type'],
    ['Deployment', 'spec.template.spec.containers', 'name'],
    ['Deployment', 'spec.template.spec.imagePullSecrets', 'name'],
    ['Deployment', 'spec.template.metadata.finalizers', 'set'],
    ['CronJob', 'spec.jobTemplate.spec.template.spec.ephemeralContainers', 'name'],
    ['Service', 'spec.ports', 'port'],
    ['Deployment', 'spec.ports', undefined],
    ['ConfigMap', 'metadata.finalizers', 'set'],
    ['ConfigMap', 'metadata.ownerReferences', 'uid'],
    ['PersistentVolumeClaim', 'status.conditions', 'type'],
    ['Node', 'status.addresses', 'type'],
    ['Node', 'spec.podCIDRs', 'set'],
    ['Deployment', 'spec.template.spec.containers.args', undefined],
  ];
  for (const [kind, path, expected] of cases) {
    test(`${kind} ${path} merges by ${String(expected ?? 'replacement')}`, () => {
      const key = mergeKeyFor(kind, path.split('.'));
      assert.equal(key === primitiveSet ? 'set' : key, expected);
    });
  }
});
type MergeKeyName = string | undefined;

describe('strategic merge patch', () => {
  test('containers merge by name, ports by containerPort; new items are appended', () => {
    const patched = applyStrategicMergePatch(
      deployment(),
      inPodSpec({
        containers: [
          { name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 443 }] },
          { name: 'log', image: 'fluentd' },
        ],
      }),
    );
    assert.deepEqual(containers(patched)[0], {
      name: 'web',
      image: 'nginx:1.27',
      ports: [{ containerPort: 80 }, { containerPort: 443 }],
      env: [{ name: 'A', value: '1' }],
    });
    assert.deepEqual(
      containers(patched).map((c) => c.name),
      ['web', 'sidecar', 'log'],
    );
  });

  test('a list without a merge key is replaced', () => {
    const patched = applyStrategicMergePatch(
      deployment(),
      inPodSpec({ tolerations: [{ operator: 'Exists' }] }),
    );
    assert.deepEqual(podSpec(patched).tolerations, [{ operator: 'Exists' }]);
  });

  test('conditions merge by type', () => {
    const patched = applyStrategicMergePatch(deployment(), {
      status: {
        conditions: [
          { type: 'Progressing', status: 'True' },
          { type: 'Available', status: 'False' },
        ],
      },
    });
    assert.deepEqual((patched.status as { conditions: unknown[] }).conditions, [
      { type: 'Available', status: 'False' },
      { type: 'Progressing', status: 'True' },
    ]);
  });

  test('Service ports merge by port', () => {
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { ports: [{ port: 80, targetPort: 8080 }] },
    };
    const patched = applyStrategicMergePatch(service, { spec: { ports: [{ port: 80, name: 'http' }] } });
    assert.deepEqual((patched.spec as { ports: unknown[] }).ports, [
      { port: 80, targetPort: 8080, name: 'http' },
    ]);
  });

  test('null deletes a map key; $patch: delete deletes a map', () => {
    const patched = applyStrategicMergePatch(deployment(), {
      metadata: { labels: { app: null } },
      spec: { strategy: { $patch: 'delete' } },
    });
    assert.deepEqual(patched.metadata.labels, {});
    assert.equal((patched.spec as Record<string, unknown>).strategy, undefined);
  });

  test('$patch: replace on a map replaces it whole', () => {
    const patched = applyStrategicMergePatch(deployment(), {
      spec: { strategy: { $patch: 'replace', type: 'Recreate' } },
    });
    assert.deepEqual((patched.spec as Record<string, unknown>).strategy, { type: 'Recreate' });
  });

  test('$patch: merge is the default and is dropped', () => {
    const patched = applyStrategicMergePatch(deployment(), {
      metadata: { $patch: 'merge', labels: { b: '2' } },
    });
    assert.deepEqual(patched.metadata.labels, { app: 'fleet', b: '2' });
  });

  test('$patch: delete on a list item removes the item with that key', () => {
    const patched = applyStrategicMergePatch(
      deployment(),
      inPodSpec({ containers: [{ name: 'sidecar', $patch: 'delete' }] }),
    );
    assert.deepEqual(
      containers(patched).map((c) => c.name),
      ['web'],
    );
  });

  test('$patch: replace in a list replaces the list with the other items', () => {
    const patched = applyStrategicMergePatch(
      deployment(),
      inPodSpec({ containers: [{ $patch: 'replace' }, { name: 'only', image: 'alpine' }] }),
    );
    assert.deepEqual(containers(patched), [{ name: 'only', image: 'alpine' }]);
  });

  test('$setElementOrder orders a merged list', () => {
    const patched = applyStrategicMergePatch(
      deployment(),
      inPodSpec({ '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'web' }] }),
    );
    assert.deepEqual(
      containers(patched).map((c) => c.name),
      ['sidecar', 'web'],
    );
  });

  test('$deleteFromPrimitiveList removes values from a primitive list', () => {
    const patched = applyStrategicMergePatch(deployment(), {
      metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] },
    });
    assert.deepEqual(patched.metadata.finalizers, []);
  });

  test('$retainKeys clears the keys it does not list', () => {
    const patched = applyStrategicMergePatch(deployment(), {
      spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } },
    });
    assert.deepEqual((patched.spec as Record<string, unknown>).strategy, { type: 'Recreate' });
  });

  test('finalizers merge as a set', () => {
    const patched = applyStrategicMergePatch(deployment(), { metadata: { finalizers: ['a', 'b'] } });
    assert.deepEqual(patched.metadata.finalizers, ['a', 'b']);
  });

  test('directives never reach the result, even inside new items', () => {
    const patched = applyStrategicMergePatch(
      deployment(),
      inPodSpec({
        containers: [{ name: 'new', image: 'x', $patch: 'merge', env: [{ name: 'B', $patch: 'merge' }] }],
        '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }, { name: 'new' }],
      }),
    );
    assert.doesNotMatch(JSON.stringify(patched), /\$/);
  });

  test('an item without the merge key, or an unknown $patch, is refused', () => {
    assert.throws(
      () => applyStrategicMergePatch(deployment(), inPodSpec({ containers: [{ image: 'nginx' }] })),
      (error: unknown) =>
        error instanceof PatchError &&
        error.message === 'map: map[image:nginx] does not contain declared merge key: name',
    );
    assert.throws(() => applyStrategicMergePatch(deployment(), { spec: { $patch: 'explode' } }), PatchError);
    assert.throws(() => applyStrategicMergePatch(deployment(), []), PatchError);
  });

  test('the original is never modified', () => {
    const original = deployment();
    applyStrategicMergePatch(original, inPodSpec({ containers: [{ name: 'web', image: 'changed' }] }));
    assert.deepEqual(original, deployment());
  });

  test('an empty patch changes nothing (property)', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.string(),
        fc.dictionary(fc.string(), fc.string()),
        (replicas, image, labels) => {
          const object = deployment();
          (object.spec as { replicas: number }).replicas = replicas;
          containers(object)[0]!.image = image;
          object.metadata.labels = labels;
          assert.deepEqual(applyStrategicMergePatch(object, {}), object);
        },
      ),
    );
  });

  test('patching a map with itself changes nothing (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string().filter((key) => !key.startsWith('$')),
          fc.string(),
          { noNullPrototype: true },
        ),
        (annotations) => {
          const object = deployment();
          object.metadata.annotations = annotations;
          assert.deepEqual(applyStrategicMergePatch(object, { metadata: object.metadata }), object);
        },
      ),
    );
  });
});
