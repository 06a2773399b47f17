import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../../../../server/sandbox/errors.ts';
import { CONFIGMAPS, NAMESPACES, newRegistry, pod, PODS } from '../support.ts';

const PDBS = { group: 'policy', resource: 'poddisruptionbudgets' };

describe('registry deletion', () => {
  test('an unbound pod is removed at once', () => {
    const { registry } = newRegistry();
    registry.create(PODS, 'default', pod('web'));
    registry.delete(PODS, 'default', 'web');
    assert.equal(registry.tryGet(PODS, 'default', 'web'), undefined);
  });

  test('a pod on a node waits for its kubelet, then goes with gracePeriodSeconds 0', () => {
    const { registry } = newRegistry();
    registry.create(PODS, 'default', {
      ...pod('web'),
      spec: { nodeName: 'worker-1', containers: [{ name: 'c', image: 'x' }] },
    });
    const pending = registry.delete(PODS, 'default', 'web');
    assert.equal(pending.metadata.deletionGracePeriodSeconds, 30);
    assert.equal(pending.metadata.deletionTimestamp, '2026-01-01T00:00:30Z');
    assert.ok(registry.tryGet(PODS, 'default', 'web'));
    registry.delete(PODS, 'default', 'web', { gracePeriodSeconds: 0 });
    assert.equal(registry.tryGet(PODS, 'default', 'web'), undefined);
  });

  test('an object with finalizers stays until an update empties them', () => {
    const { registry } = newRegistry();
    registry.create(CONFIGMAPS, 'default', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', finalizers: ['x/y'] },
    });
    const pending = registry.delete(CONFIGMAPS, 'default', 'c');
    assert.ok(pending.metadata.deletionTimestamp);
    const live = registry.get(CONFIGMAPS, 'default', 'c');
    registry.update(CONFIGMAPS, 'default', { ...live, metadata: { ...live.metadata, finalizers: [] } });
    assert.equal(registry.tryGet(CONFIGMAPS, 'default', 'c'), undefined);
  });

  test('Foreground and Orphan propagation add their finalizers', () => {
    const { registry } = newRegistry();
    registry.create(CONFIGMAPS, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    registry.create(CONFIGMAPS, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
    assert.deepEqual(
      registry.delete(CONFIGMAPS, 'default', 'a', { propagationPolicy: 'Foreground' }).metadata.finalizers,
      ['foregroundDeletion'],
    );
    assert.deepEqual(
      registry.delete(CONFIGMAPS, 'default', 'b', { propagationPolicy: 'Orphan' }).metadata.finalizers,
      ['orphan'],
    );
  });

  test('a failed uid precondition is a 409 and deletes nothing', () => {
    const { registry } = newRegistry();
    registry.create(PODS, 'default', pod('web'));
    assert.throws(
      () => registry.delete(PODS, 'default', 'web', { preconditions: { uid: 'other' } }),
      (error: unknown) =>
        error instanceof ApiError && error.code === 409 && /Precondition failed: UID/.test(error.message),
    );
    assert.ok(registry.tryGet(PODS, 'default', 'web'));
  });

  test('a deleted namespace is Terminating, refuses new content, and goes once its finalizers are cleared', () => {
    const { registry } = newRegistry();
    registry.create(NAMESPACES, undefined, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team' },
    });
    const terminating = registry.delete(NAMESPACES, undefined, 'team');
    assert.equal((terminating.status as { phase: string }).phase, 'Terminating');
    assert.throws(
      () => registry.create(PODS, 'team', pod('web')),
      (error: unknown) =>
        error instanceof ApiError &&
        error.code === 403 &&
        error.message === 'unable to create new content in namespace team because it is being terminated',
    );
    const live = registry.get(NAMESPACES, undefined, 'team');
    registry.update(NAMESPACES, undefined, { ...live, spec: { finalizers: [] } });
    assert.equal(registry.tryGet(NAMESPACES, undefined, 'team'), undefined);
  });

  test('eviction is refused with 429 while the disruption budget allows none', () => {
    const { registry } = newRegistry();
    registry.create(PODS, 'default', pod('web', {}, { app: 'web' }));
    const pdb = registry.create(PDBS, 'default', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web' },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
    });
    registry.update(
      PDBS,
      'default',
      { ...pdb, status: { disruptionsAllowed: 0 } },
      { subresource: 'status' },
    );
    assert.throws(
      () => registry.evict('default', 'web'),
      (error: unknown) =>
        error instanceof ApiError &&
        error.code === 429 &&
        error.message === "Cannot evict pod as it would violate the pod's disruption budget.",
    );
    const live = registry.get(PDBS, 'default', 'web');
    registry.update(
      PDBS,
      'default',
      { ...live, status: { disruptionsAllowed: 1 } },
      { subresource: 'status' },
    );
    registry.evict('default', 'web');
    assert.equal(registry.tryGet(PODS, 'default', 'web'), undefined);
  });
});
