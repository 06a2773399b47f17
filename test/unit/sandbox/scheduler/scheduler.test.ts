import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeChangeMayHelp } from '../../../../server/sandbox/scheduler/scheduler.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';

function node(
  heartbeat: string,
  change: { taints?: unknown[]; ready?: string; cpu?: string } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: 'worker-1',
      labels: { 'kubernetes.io/hostname': 'worker-1' },
      resourceVersion: heartbeat,
    },
    spec: { taints: change.taints ?? [] },
    status: {
      allocatable: { cpu: change.cpu ?? '2', memory: '4Gi', pods: '110' },
      capacity: { cpu: change.cpu ?? '2', memory: '4Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: change.ready ?? 'True', lastHeartbeatTime: heartbeat }],
    },
  };
}

describe('which node changes re-try unschedulable pods', () => {
  test('a heartbeat does not; a new node does', () => {
    assert.equal(nodeChangeMayHelp(node('2026-12-05T10:00:10Z'), node('2026-12-05T10:00:00Z')), false);
    assert.equal(nodeChangeMayHelp(node('2026-12-05T10:00:00Z'), undefined), true);
  });

  test('a taint removed, readiness regained or more cpu does', () => {
    const before = node('a', { taints: [{ key: 'x', effect: 'NoSchedule' }], ready: 'False', cpu: '2' });
    assert.equal(nodeChangeMayHelp(node('b', { ready: 'False', cpu: '2' }), before), true);
    assert.equal(
      nodeChangeMayHelp(node('b', { taints: [{ key: 'x', effect: 'NoSchedule' }], cpu: '2' }), before),
      true,
    );
    assert.equal(
      nodeChangeMayHelp(
        node('b', { taints: [{ key: 'x', effect: 'NoSchedule' }], ready: 'False', cpu: '4' }),
        before,
      ),
      true,
    );
  });
});
