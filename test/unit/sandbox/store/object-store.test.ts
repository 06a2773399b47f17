import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ObjectStore } from '../../../../server/sandbox/store/object-store.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';

const configMap = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
});

test('a store keeps the history it is given: resuming from before it is Gone, after it replays', () => {
  const store = new ObjectStore(10);
  for (let i = 0; i < 20; i++) store.put('/configmaps', configMap(`map-${i}`), 'ADDED');
  assert.throws(
    () => store.since('/configmaps', 1),
    (error: { status?: { code: number } }) => error.status?.code === 410,
  );
  assert.deepEqual(
    store.since('/configmaps', 17).map((event) => event.object.metadata.name),
    ['map-17', 'map-18', 'map-19'],
  );
});

test('count tells the objects of one resource or of all', () => {
  const store = new ObjectStore();
  store.put('/configmaps', configMap('a'), 'ADDED');
  store.put('/configmaps', configMap('b'), 'ADDED');
  store.put('/secrets', { ...configMap('a'), kind: 'Secret' }, 'ADDED');
  store.remove('/configmaps', configMap('a'));
  assert.equal(store.count('/configmaps'), 1);
  assert.equal(store.count('/pods'), 0);
  assert.equal(store.count(), 2);
});
