import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodedJson } from '../../../../server/sandbox/store/encoded.ts';
import { ObjectStore } from '../../../../server/sandbox/store/object-store.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';

const configMap = (name: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data,
});

test("a stored object's bytes are its JSON in UTF-8, and each new version has its own", () => {
  const store = new ObjectStore();
  const first = store.put('/configmaps', configMap('a', { colour: 'rouge ✓' }), 'ADDED');
  assert.equal(encodedJson(first).toString('utf8'), JSON.stringify(first));
  assert.equal(encodedJson(first), encodedJson(first), 'encoded once');
  const second = store.put('/configmaps', configMap('a', { colour: 'blue' }), 'MODIFIED');
  assert.deepEqual(JSON.parse(encodedJson(second).toString('utf8')), {
    ...configMap('a', { colour: 'blue' }),
    metadata: { name: 'a', namespace: 'default', resourceVersion: '2' },
  });
  assert.equal(encodedJson(first).toString('utf8'), JSON.stringify(first), 'the older version keeps its own');
});

test('sorted lists the stored objects themselves in key order by code unit, within a namespace if asked', () => {
  const store = new ObjectStore();
  for (const [namespace, name] of [
    ['b', 'x'],
    ['a', 'ship-10'],
    ['a', 'ship-1'],
    ['a', 'Ship-2'],
    ['a', 'ship1'],
  ] as const) {
    store.put('/configmaps', { ...configMap(name, {}), metadata: { name, namespace } }, 'ADDED');
  }
  const keys = (objects: KubeObject[]) => objects.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
  assert.deepEqual(keys(store.sorted('/configmaps')), [
    'a/Ship-2',
    'a/ship-1',
    'a/ship-10',
    'a/ship1',
    'b/x',
  ]);
  assert.deepEqual(keys(store.sorted('/configmaps', 'b')), ['b/x']);
  assert.equal(store.sorted('/configmaps', 'b')[0], store.get('/configmaps', 'b', 'x'));
  store.put('/configmaps', { ...configMap('a-0', {}), metadata: { name: 'a-0', namespace: 'b' } }, 'ADDED');
  store.remove('/configmaps', { ...configMap('ship1', {}), metadata: { name: 'ship1', namespace: 'a' } });
  assert.deepEqual(keys(store.sorted('/configmaps')), ['a/Ship-2', 'a/ship-1', 'a/ship-10', 'b/a-0', 'b/x']);
});
