import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../../../../server/sandbox/errors.ts';
import type { WatchEvent } from '../../../../server/sandbox/types.ts';
import { newRegistry, pod, PODS, settle } from '../support.ts';

const summary = (events: WatchEvent[]) => events.map((e) => `${e.type} ${e.object.metadata.name ?? ''}`);

describe('registry watch', () => {
  test('a watch without resourceVersion starts with ADDED for current objects, then changes, never synchronously', async () => {
    const { registry } = newRegistry();
    registry.create(PODS, 'default', pod('a'));
    const events: WatchEvent[] = [];
    const stop = registry.watch(PODS, { namespace: 'default' }, (e) => events.push(e));
    registry.create(PODS, 'default', pod('b'));
    assert.equal(events.length, 0);
    await settle();
    assert.deepEqual(summary(events), ['ADDED a', 'ADDED b']);
    stop();
  });

  test('a resumed watch replays what happened after its resourceVersion', async () => {
    const { registry } = newRegistry();
    const from = registry.currentResourceVersion();
    registry.create(PODS, 'default', pod('a'));
    registry.delete(PODS, 'default', 'a');
    const events: WatchEvent[] = [];
    registry.watch(PODS, { resourceVersion: from }, (e) => events.push(e));
    await settle();
    assert.deepEqual(summary(events), ['ADDED a', 'DELETED a']);
  });

  test('after a restore that moved the resourceVersion on, resuming from before it is Gone (410)', () => {
    const { registry: before } = newRegistry();
    before.create(PODS, 'default', pod('kept'));
    const seen = before.currentResourceVersion();
    const saved = before.snapshot();
    const { registry } = newRegistry();
    registry.restore({ ...saved, resourceVersion: Number(saved.resourceVersion) + 500 });
    assert.throws(
      () => registry.watch(PODS, { resourceVersion: String(seen) }, () => {}),
      (error: unknown) => error instanceof ApiError && error.code === 410,
    );
  });

  test('a resourceVersion older than the history is Gone (410)', () => {
    const { registry } = newRegistry();
    // The history keeps the last 10,000 to 12,500 events.
    for (let i = 0; i < 12_550; i++) registry.create(PODS, 'default', pod(`p${i}`));
    assert.throws(
      () => registry.watch(PODS, { resourceVersion: '2' }, () => {}),
      (error: unknown) => error instanceof ApiError && error.code === 410,
    );
  });

  test('label selector transitions become ADDED and DELETED', async () => {
    const { registry } = newRegistry();
    const created = registry.create(PODS, 'default', pod('a', {}, { team: 'blue' }));
    const events: WatchEvent[] = [];
    registry.watch(
      PODS,
      { labelSelector: 'team=red', resourceVersion: registry.currentResourceVersion() },
      (e) => events.push(e),
    );
    const red = registry.update(PODS, 'default', {
      ...created,
      metadata: { ...created.metadata, labels: { team: 'red' } },
    });
    registry.update(PODS, 'default', { ...red, metadata: { ...red.metadata, labels: { team: 'blue' } } });
    await settle();
    assert.deepEqual(summary(events), ['ADDED a', 'DELETED a']);
  });

  test('sendInitialEvents ends the initial list with an annotated BOOKMARK', async () => {
    const { registry } = newRegistry();
    registry.create(PODS, 'default', pod('a'));
    const events: WatchEvent[] = [];
    registry.watch(PODS, { sendInitialEvents: true }, (e) => events.push(e));
    await settle();
    assert.deepEqual(
      events.map((e) => e.type),
      ['ADDED', 'BOOKMARK'],
    );
    assert.equal(events[1]?.object.metadata.annotations?.['k8s.io/initial-events-end'], 'true');
  });

  test('dry run emits no events', async () => {
    const { registry } = newRegistry();
    const events: WatchEvent[] = [];
    registry.watch(PODS, { resourceVersion: registry.currentResourceVersion() }, (e) => events.push(e));
    registry.create(PODS, 'default', pod('a'), { dryRun: true });
    await settle();
    assert.deepEqual(events, []);
  });

  test('a watcher that throws gets an ERROR event and is closed, while the other watchers go on', async () => {
    const { registry } = newRegistry();
    const failing: WatchEvent[] = [];
    registry.watch(PODS, { namespace: 'default' }, (e) => {
      failing.push(e);
      if (e.type !== 'ERROR') throw new TypeError('cannot print this pod');
    });
    const healthy: WatchEvent[] = [];
    registry.watch(PODS, { namespace: 'default' }, (e) => healthy.push(e));
    registry.create(PODS, 'default', pod('a'));
    await settle();
    registry.create(PODS, 'default', pod('b'));
    await settle();
    assert.deepEqual(summary(failing), ['ADDED a', 'ERROR ']);
    const error = failing[1]?.object as unknown as { code: number; reason: string; message: string };
    assert.equal(error.code, 500);
    assert.equal(error.reason, 'InternalError');
    assert.match(error.message, /cannot print this pod/);
    assert.deepEqual(summary(healthy), ['ADDED a', 'ADDED b']);
  });
});
