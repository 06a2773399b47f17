import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterView, PlacedPods, schedulePod } from '../../../../server/sandbox/scheduler/schedule.ts';
import { clusterTopology, nodeObject } from '../../../../server/sandbox/controllers/topology.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';
import { pod } from './pods.ts';

const nodes = clusterTopology(2).map((spec) => nodeObject(spec, 'v1.35.0', '2026-01-01T00:00:00Z'));
const first = () => 0;

describe('scheduler decisions', () => {
  test('a plain pod never lands on the tainted control plane', () => {
    const decision = schedulePod(pod('a'), nodes, new ClusterView(new PlacedPods()), first);
    assert.ok('node' in decision);
    assert.notEqual(decision.node, 'control-plane');
  });

  test('replicas of one owner spread over the workers', () => {
    const placed: KubeObject[] = [];
    const view = new ClusterView(new PlacedPods());
    for (let i = 0; i < 4; i++) {
      const p = pod(`web-${i}`, {}, 'rs-1');
      const decision = schedulePod(p, nodes, view, first);
      assert.ok('node' in decision);
      view.place(p, decision.node);
      placed.push({ ...p, spec: { ...(p.spec as object), nodeName: decision.node } });
    }
    const counts = placed.map((p) => (p.spec as { nodeName: string }).nodeName).sort();
    assert.deepEqual(counts, ['worker-1', 'worker-1', 'worker-2', 'worker-2']);
  });

  test('too large a request gives the real FailedScheduling text', () => {
    const big = pod('big', {
      containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '3' } } }],
    });
    const decision = schedulePod(big, nodes, new ClusterView(new PlacedPods()), first);
    assert.deepEqual(decision, {
      message:
        '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, ' +
        '2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, ' +
        '2 No preemption victims found for incoming pod.',
    });
  });

  test('a node selector nobody matches names the affinity reason', () => {
    const decision = schedulePod(
      pod('sel', { nodeSelector: { disk: 'ssd' } }),
      nodes,
      new ClusterView(new PlacedPods()),
      first,
    );
    assert.ok('message' in decision);
    assert.match(decision.message, /2 node\(s\) didn't match Pod's node affinity\/selector/);
    assert.match(decision.message, /3 Preemption is not helpful for scheduling\.$/);
  });

  test('a toleration of the control-plane taint plus a selector places the pod on the control plane', () => {
    const decision = schedulePod(
      pod('cp', {
        nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
        tolerations: [
          { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
        ],
      }),
      nodes,
      new ClusterView(new PlacedPods()),
      first,
    );
    assert.deepEqual(decision, { node: 'control-plane' });
  });

  test('a cordoned worker is skipped, and both cordoned leaves the pod pending', () => {
    const cordoned = nodes.map((n) =>
      n.metadata.name === 'worker-1' ? { ...n, spec: { ...(n.spec as object), unschedulable: true } } : n,
    );
    assert.deepEqual(schedulePod(pod('c'), cordoned, new ClusterView(new PlacedPods()), first), {
      node: 'worker-2',
    });
    const allCordoned = nodes.map((n) =>
      n.metadata.name === 'control-plane'
        ? n
        : { ...n, spec: { ...(n.spec as object), unschedulable: true } },
    );
    const decision = schedulePod(pod('c'), allCordoned, new ClusterView(new PlacedPods()), first);
    assert.ok('message' in decision);
    assert.match(
      decision.message,
      /^0\/3 nodes are available: 1 node\(s\) had untolerated taint .*, 2 node\(s\) were unschedulable\./,
    );
  });

  test('required node affinity with In is honoured', () => {
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['worker-2'] }] },
          ],
        },
      },
    };
    assert.deepEqual(schedulePod(pod('aff', { affinity }), nodes, new ClusterView(new PlacedPods()), first), {
      node: 'worker-2',
    });
  });
});

describe('ReadWriteOncePod claims', () => {
  const withClaim = (name: string, nodeName?: string) =>
    pod(name, {
      ...(nodeName ? { nodeName } : {}),
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
    });

  test('a second pod on a claim another pod uses is unschedulable on every node', () => {
    const view = new ClusterView(PlacedPods.of([withClaim('first', 'worker-1')]));
    const decision = schedulePod(withClaim('second'), nodes, view, first, ['default/data']);
    assert.deepEqual(decision, {
      message:
        '0/3 nodes are available: node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    });
  });

  test('a claim placed earlier in the same batch counts; a free one does not', () => {
    const view = new ClusterView(new PlacedPods());
    assert.ok('node' in schedulePod(withClaim('first'), nodes, view, first, ['default/data']));
    view.place(withClaim('first'), 'worker-1');
    assert.ok('message' in schedulePod(withClaim('second'), nodes, view, first, ['default/data']));
    assert.ok('node' in schedulePod(withClaim('third'), nodes, view, first, ['default/other']));
  });
});
