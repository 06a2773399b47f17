import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventRecorder } from '../../../../server/sandbox/controllers/events.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';
import { MemoryCluster } from '../support/memory-cluster.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const EVENTS = { group: '', resource: 'events' };
const pod = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
});

test('a recorder with a limit keeps the newest events, deleting the oldest first', () => {
  const clock = new FakeClock();
  const cluster = new MemoryCluster(clock);
  const recorder = new EventRecorder(cluster, clock, 2);
  for (const name of ['a', 'b', 'c']) {
    clock.advance(1000);
    recorder.record(
      pod(name),
      { component: 'kubelet' },
      { type: 'Normal', reason: 'Started', message: name },
    );
  }
  assert.deepEqual(
    cluster.list(EVENTS, { namespace: 'default' }).items.map((event) => event.message),
    ['b', 'c'],
  );
  // A repeat of an event deleted for room is recorded anew.
  recorder.record(pod('a'), { component: 'kubelet' }, { type: 'Normal', reason: 'Started', message: 'a' });
  assert.deepEqual(
    cluster.list(EVENTS, { namespace: 'default' }).items.map((event) => [event.message, event.count]),
    [
      ['c', 1],
      ['a', 1],
    ],
  );
  recorder.stop();
});
