import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Informer,
  KeyedTimers,
  REF,
  ReconcileQueue,
} from '../../../../server/sandbox/controllers/runtime.ts';
import { MemoryCluster } from '../support/memory-cluster.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const conflict = () => Object.assign(new Error('conflict'), { status: { code: 409 } });

describe('controller runtime', () => {
  test('a burst of events for one key makes one reconcile pass', () => {
    const clock = new FakeClock();
    const seen: string[] = [];
    const queue = new ReconcileQueue(clock, 'test', (key) => seen.push(key));
    for (let i = 0; i < 50; i++) queue.enqueue('default/web');
    queue.enqueue('default/db');
    while (clock.fireNext(clock.now()));
    assert.deepEqual(seen, ['default/web', 'default/db']);
  });

  test('a failing key is retried with growing back-off, not in a busy loop', () => {
    const clock = new FakeClock();
    const attempts: number[] = [];
    const start = clock.now();
    const queue = new ReconcileQueue(clock, 'test', () => {
      attempts.push(clock.now() - start);
      throw conflict();
    });
    queue.enqueue('k');
    while (clock.fireNext(start + 1000));
    queue.stop();
    assert.deepEqual(attempts, [0, 20, 60, 140, 300, 620]);
  });

  test('a scheduled transition that throws is logged, not thrown into the clock, and later keys still fire', () => {
    const clock = new FakeClock();
    const timers = new KeyedTimers(clock);
    const fired: string[] = [];
    timers.schedule('bad', 10, () => {
      throw new TypeError("Cannot read properties of null (reading 'name')");
    });
    timers.schedule('good', 20, () => fired.push('good'));
    assert.doesNotThrow(() => {
      while (clock.fireNext(clock.now() + 100));
    });
    assert.deepEqual(fired, ['good']);
    assert.equal(timers.has('bad'), false);
  });

  test('a handler that throws on one object leaves the cache right and the other handlers running', () => {
    const clock = new FakeClock();
    const cluster = new MemoryCluster(clock);
    const informer = new Informer(cluster, REF.configmaps);
    const seen: string[] = [];
    informer.onChange(() => {
      throw new TypeError('undigestible');
    });
    informer.onChange((type, object) => seen.push(`${type} ${object.metadata.name ?? ''}`));
    informer.start();
    cluster.create(REF.configmaps, 'default', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a' },
    });
    cluster.create(REF.configmaps, 'default', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'b' },
    });
    assert.doesNotThrow(() => cluster.deliver());
    assert.deepEqual(seen, ['ADDED a', 'ADDED b']);
    assert.deepEqual([...informer.objects.keys()].sort(), ['default/a', 'default/b']);
  });

  test('scheduling a key again replaces its pending timer', () => {
    const clock = new FakeClock();
    const timers = new KeyedTimers(clock);
    const fired: string[] = [];
    timers.schedule('pod', 1000, () => fired.push('first'));
    timers.schedule('pod', 50, () => fired.push('second'));
    while (clock.fireNext(clock.now() + 5000));
    assert.deepEqual(fired, ['second']);
    assert.equal(clock.pending, 0);
  });
});
