import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { V1Node } from '@kubernetes/client-node';
import { nodeReadiness, waitForNodesReady } from '../../../server/vagrant/node-readiness.ts';

function node(name: string, ready: 'True' | 'False' | 'Unknown' | undefined): V1Node {
  return {
    metadata: { name },
    status: ready ? { conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: ready }] } : {},
  };
}

/** A fake clock whose sleep advances time instead of waiting. */
function fakeClock() {
  let now = 0;
  return { now: () => now, sleep: async (ms: number) => void (now += ms) };
}

describe('node readiness', () => {
  test('Ready means the Ready condition is True, as kubectl prints it', () => {
    assert.deepEqual(nodeReadiness([node('a', 'True'), node('b', 'False'), node('c', 'Unknown'), node('d', undefined)]), [
      { name: 'a', ready: true },
      { name: 'b', ready: false },
      { name: 'c', ready: false },
      { name: 'd', ready: false },
    ]);
  });

  test('waiting ends as soon as every planned node is Ready, through API errors and late joiners', async () => {
    const answers: Array<() => V1Node[]> = [
      () => {
        throw new Error('connect ECONNREFUSED 192.168.56.10:6443');
      },
      () => [node('control-plane', 'False')],
      () => [node('control-plane', 'True'), node('worker-1', 'False')],
      () => [node('control-plane', 'True'), node('worker-1', 'True')],
    ];
    const clock = fakeClock();
    const polls: string[] = [];
    const notReady = await waitForNodesReady({
      listNodes: async () => answers.shift()!(),
      expected: ['control-plane', 'worker-1'],
      timeoutMs: 600_000,
      pollMs: 5_000,
      ...clock,
      onPoll: (missing, error) => polls.push(error ? 'error' : missing.join(',')),
    });
    assert.deepEqual(notReady, []);
    assert.deepEqual(polls, ['error', 'control-plane,worker-1', 'worker-1', '']);
    assert.equal(clock.now(), 15_000);
  });

  test('at the deadline it returns the nodes still not Ready', async () => {
    const clock = fakeClock();
    const notReady = await waitForNodesReady({
      listNodes: async () => [node('control-plane', 'True'), node('worker-1', 'False')],
      expected: ['control-plane', 'worker-1', 'worker-2'],
      timeoutMs: 60_000,
      pollMs: 5_000,
      ...clock,
    });
    assert.deepEqual(notReady, ['worker-1', 'worker-2']);
    assert.equal(clock.now(), 60_000);
  });
});
