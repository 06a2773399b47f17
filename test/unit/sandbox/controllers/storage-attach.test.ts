import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { multiAttachError, readWriteOncePodClaims } from '../../../../server/sandbox/controllers/storage.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';

const claim = (name: string, accessModes: string[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default' },
  spec: { accessModes, volumeName: `pvc-${name}` },
});
const claims = new Map([
  ['default/rwo', claim('rwo', ['ReadWriteOnce'])],
  ['default/rwx', claim('rwx', ['ReadWriteMany'])],
  ['default/rwop', claim('rwop', ['ReadWriteOncePod'])],
]);
const lookup = (key: string) => claims.get(key);

function pod(
  name: string,
  nodeName: string,
  claimName: string,
  created: string,
  phase = 'Running',
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: name, creationTimestamp: created },
    spec: {
      nodeName,
      containers: [{ name: 'app', image: 'busybox' }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
    },
    status: { phase },
  };
}

describe('volume attachment', () => {
  test('a ReadWriteOnce claim used on another node by an earlier pod is a Multi-Attach error', () => {
    const db = pod('db', 'worker-1', 'rwo', '2026-01-01T00:00:00Z');
    const again = pod('db-again', 'worker-2', 'rwo', '2026-01-01T00:00:05Z', 'Pending');
    assert.equal(
      multiAttachError(again, [db, again], lookup),
      'Multi-Attach error for volume "pvc-rwo" Volume is already used by pod(s) db',
    );
    // The earlier pod keeps its volume: it is not held back by the later one.
    assert.equal(multiAttachError(db, [db, again], lookup), undefined);
  });

  test('the same node, a finished user or a ReadWriteMany claim attach', () => {
    const db = pod('db', 'worker-1', 'rwo', '2026-01-01T00:00:00Z');
    assert.equal(
      multiAttachError(pod('x', 'worker-1', 'rwo', '2026-01-01T00:00:05Z'), [db], lookup),
      undefined,
    );
    const done = pod('db', 'worker-1', 'rwo', '2026-01-01T00:00:00Z', 'Succeeded');
    assert.equal(
      multiAttachError(pod('x', 'worker-2', 'rwo', '2026-01-01T00:00:05Z'), [done], lookup),
      undefined,
    );
    const shared = pod('a', 'worker-1', 'rwx', '2026-01-01T00:00:00Z');
    assert.equal(
      multiAttachError(pod('b', 'worker-2', 'rwx', '2026-01-01T00:00:05Z'), [shared], lookup),
      undefined,
    );
  });

  test('only ReadWriteOncePod claims are exclusive to one pod', () => {
    assert.deepEqual(readWriteOncePodClaims(pod('a', 'worker-1', 'rwop', ''), lookup), ['default/rwop']);
    assert.deepEqual(readWriteOncePodClaims(pod('a', 'worker-1', 'rwo', ''), lookup), []);
  });
});
