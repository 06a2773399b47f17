import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodedTable, toTable } from '../../../../../server/sandbox/api/tables/index.ts';
import type { TableOptions } from '../../../../../server/sandbox/api/tables/index.ts';
import type { KubeObject } from '../../../../../server/sandbox/types.ts';

const now = Date.parse('2026-12-05T12:00:00Z');

function pod(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      resourceVersion: '7',
      creationTimestamp: '2026-12-05T11:58:00Z',
      labels: { app: 'web', 'emoji-✓': 'ünïcode' },
    },
    spec: { nodeName: 'worker-1', containers: [{ name: 'web', image: 'nginx:1.27' }] },
    status: {
      phase: 'Running',
      podIP: '10.244.1.7',
      containerStatuses: [{ name: 'web', ready: true, restartCount: 2, state: { running: {} } }],
    },
  };
}

describe('a Table encoded from cached row bytes', () => {
  const pods = [pod('a'), pod('b'), pod('c')];
  const cases: [string, TableOptions][] = [
    ['Metadata', { now, includeObject: 'Metadata', resourceVersion: '9', continueToken: 'abc' }],
    ['None', { now, includeObject: 'None' }],
    ['Object', { now, includeObject: 'Object' }],
    [
      'Object seen through a version view',
      { now, includeObject: 'Object', view: (o) => ({ ...o, apiVersion: 'v9' }) },
    ],
    ['a watch event after the first (no columns)', { now, includeObject: 'Metadata', withColumns: false }],
  ];
  for (const [name, options] of cases) {
    test(`is byte for byte what JSON.stringify makes of it: ${name}`, () => {
      const expected = JSON.stringify(toTable('Pod', pods, options));
      assert.equal(encodedTable('Pod', pods, options).toString('utf8'), expected);
      // Twice: the second answer comes from the cache.
      assert.equal(encodedTable('Pod', pods, options).toString('utf8'), expected);
    });
  }

  test('an empty list is an empty Table', () => {
    const options: TableOptions = { now, includeObject: 'Metadata' };
    assert.equal(
      encodedTable('Pod', [], options).toString('utf8'),
      JSON.stringify(toTable('Pod', [], options)),
    );
  });
});
