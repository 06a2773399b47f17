import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { PatchError } from '../../../server/sandbox/patch/errors.ts';
import { applyJsonPatch } from '../../../server/sandbox/patch/json-patch.ts';
import { applyMergePatch } from '../../../server/sandbox/patch/merge-patch.ts';
import { ApplyConflictError, applyServerSidePatch } from '../../../server/sandbox/patch/server-side-apply.ts';
import { applyStrategicMergePatch } from '../../../server/sandbox/patch/strategic-merge.ts';
import type { KubeObject } from '../../../server/sandbox/types.ts';

const deployment = (): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'fleet', labels: { app: 'fleet' }, finalizers: ['a'] },
  spec: {
    replicas: 3,
    template: {
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
      },
    },
  },
});
const containers = (object: KubeObject) =>
  (object.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers;

describe('JSON patch', () => {
  test('add, replace, remove, move, copy and test work on a copy', () => {
    const original = { a: { b: [1, 2] }, c: 'x' };
    const result = applyJsonPatch(original, [
      { op: 'add', path: '/a/b/-', value: 3 },
      { op: 'replace', path: '/c', value: 'y' },
      { op: 'copy', from: '/c', path: '/d' },
      { op: 'move', from: '/d', path: '/e~1f' },
      { op: 'remove', path: '/a/b/0' },
      { op: 'test', path: '/c', value: 'y' },
    ]);
    assert.deepEqual(result, { a: { b: [2, 3] }, c: 'y', 'e/f': 'y' });
    assert.deepEqual(original, { a: { b: [1, 2] }, c: 'x' });
  });

  test('a failing test or a missing path is a PatchError', () => {
    assert.throws(() => applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }]), PatchError);
    assert.throws(() => applyJsonPatch({ a: 1 }, [{ op: 'remove', path: '/b' }]), PatchError);
    assert.throws(() => applyJsonPatch({ a: [] }, [{ op: 'replace', path: '/a/3', value: 1 }]), PatchError);
  });

  test('adding then removing a key restores the document (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue(), { noNullPrototype: true }),
        fc.jsonValue(),
        (document, value) => {
          const key = 'added-by-test';
          fc.pre(!Object.hasOwn(document, key));
          const added = applyJsonPatch(document, [{ op: 'add', path: `/${key}`, value }]);
          assert.deepEqual(applyJsonPatch(added, [{ op: 'remove', path: `/${key}` }]), document);
        },
      ),
    );
  });
});

describe('merge patch', () => {
  test('null deletes, objects merge, lists replace', () => {
    assert.deepEqual(applyMergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1] }, { a: null, b: { c: 5 }, l: [2] }), {
      b: { c: 5, d: 3 },
      l: [2],
    });
  });

  test('a document merged with itself is unchanged (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { noNullPrototype: true }), (document) => {
        const clean = JSON.parse(JSON.stringify(document, (_k, v) => (v === null ? undefined : v)));
        assert.deepEqual(applyMergePatch(clean, clean), clean);
      }),
    );
  });
});

describe('strategic merge patch', () => {
  test('containers merge by name and ports by containerPort', () => {
    const patched = applyStrategicMergePatch(deployment(), {
      spec: {
        template: {
          spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 443 }] }] },
        },
      },
    });
    assert.deepEqual(containers(patched)[0], {
      name: 'web',
      image: 'nginx:1.27',
      ports: [{ containerPort: 80 }, { containerPort: 443 }],
      env: [{ name: 'A', value: '1' }],
    });
    assert.equal(containers(patched).length, 2);
  });

  test('$patch: delete removes a list item, $patch: replace replaces the list', () => {
    const deleted = applyStrategicMergePatch(deployment(), {
      spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } },
    });
    assert.deepEqual(
      containers(deleted).map((c) => c.name),
      ['web'],
    );
    const replaced = applyStrategicMergePatch(deployment(), {
      spec: {
        template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'alpine' }] } },
      },
    });
    assert.deepEqual(containers(replaced), [{ name: 'only', image: 'alpine' }]);
  });

  test('$setElementOrder, $deleteFromPrimitiveList and $retainKeys are applied and never stored', () => {
    const patched = applyStrategicMergePatch(deployment(), {
      metadata: { $deleteFromPrimitiveList: undefined, '$deleteFromPrimitiveList/finalizers': ['a'] },
      spec: {
        $retainKeys: ['template', 'replicas'],
        template: {
          spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'web' }] },
        },
      },
    });
    assert.deepEqual(patched.metadata.finalizers, []);
    assert.deepEqual(
      containers(patched).map((c) => c.name),
      ['sidecar', 'web'],
    );
    assert.doesNotMatch(JSON.stringify(patched), /\$/);
  });

  test('finalizers merge as a set and null deletes a label', () => {
    const patched = applyStrategicMergePatch(deployment(), {
      metadata: { finalizers: ['a', 'b'], labels: { app: null } },
    });
    assert.deepEqual(patched.metadata.finalizers, ['a', 'b']);
    assert.deepEqual(patched.metadata.labels, {});
  });

  test('an empty patch changes nothing (property over replica counts and images)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.string(), (replicas, image) => {
        const object = deployment();
        (object.spec as { replicas: number }).replicas = replicas;
        containers(object)[0]!.image = image;
        assert.deepEqual(applyStrategicMergePatch(object, {}), object);
      }),
    );
  });
});

describe('server-side apply', () => {
  const now = '2026-11-22T12:00:00Z';
  const applied = (replicas: number, withEnv = true): KubeObject => {
    const object = deployment();
    delete object.metadata.finalizers;
    (object.spec as { replicas: number }).replicas = replicas;
    if (!withEnv) delete containers(object)[0]!.env;
    return object;
  };

  test('applying the same configuration twice gives the same object', () => {
    const first = applyServerSidePatch(undefined, applied(3), { manager: 'kubectl', force: false, now });
    const second = applyServerSidePatch(first, applied(3), { manager: 'kubectl', force: false, now });
    assert.deepEqual(second, first);
  });

  test('a field the manager stops applying is removed', () => {
    const first = applyServerSidePatch(undefined, applied(3), { manager: 'kubectl', force: false, now });
    const second = applyServerSidePatch(first, applied(3, false), { manager: 'kubectl', force: false, now });
    assert.equal(containers(second)[0]!.env, undefined);
  });

  test("another manager's different value is a conflict unless forced", () => {
    const first = applyServerSidePatch(undefined, applied(3), { manager: 'kubectl', force: false, now });
    assert.throws(
      () => applyServerSidePatch(first, applied(5), { manager: 'helm', force: false, now }),
      (error: unknown) =>
        error instanceof ApplyConflictError &&
        /conflict with "kubectl": \.spec\.replicas/.test(error.message),
    );
    const forced = applyServerSidePatch(first, applied(5), { manager: 'helm', force: true, now });
    assert.equal((forced.spec as { replicas: number }).replicas, 5);
  });
});
