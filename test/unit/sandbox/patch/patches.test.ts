import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { PatchError } from '../../../../server/sandbox/patch/errors.ts';
import { applyJsonPatch } from '../../../../server/sandbox/patch/json-patch.ts';
import { applyMergePatch } from '../../../../server/sandbox/patch/merge-patch.ts';
import {
  ApplyConflictError,
  applyServerSidePatch,
} from '../../../../server/sandbox/patch/server-side-apply.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';

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
    assert.throws(
      () => applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '/b', value: 1 }]),
      /^Error: replace operation does not apply: doc is missing key: \/b: missing value$/,
    );
    assert.throws(
      () => applyJsonPatch({ a: 1 }, [{ op: 'remove', path: '/b' }]),
      /^Error: unable to remove nonexistent key: b: missing value$/,
    );
    assert.throws(() => applyJsonPatch({}, [{ op: 'explode', path: '/a' }]), /Unexpected kind: explode/);
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

  test('a key named __proto__ is plain data', () => {
    const patched = applyMergePatch({ a: 1 }, JSON.parse('{"__proto__": {"polluted": true}}')) as object;
    assert.equal(Object.getPrototypeOf(patched), Object.prototype);
    assert.deepEqual(Object.keys(patched), ['a', '__proto__']);
    const added = applyJsonPatch({}, [{ op: 'add', path: '/__proto__', value: 1 }]) as object;
    assert.deepEqual(Object.keys(added), ['__proto__']);
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
