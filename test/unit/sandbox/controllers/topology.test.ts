import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clusterTopology, nodeNamesProblems } from '../../../../server/sandbox/controllers/topology.ts';

describe('sandbox topology', () => {
  test('by default the nodes are named as kubeadm and the Vagrant cluster name them', () => {
    assert.deepEqual(
      clusterTopology(2).map((n) => [n.name, n.controlPlane]),
      [
        ['control-plane', true],
        ['worker-1', false],
        ['worker-2', false],
      ],
    );
    assert.deepEqual(
      clusterTopology(1).map((n) => n.name),
      ['control-plane', 'worker-1'],
    );
  });

  test("given names shape it like another cluster: the first is the control plane, their number is the nodes'", () => {
    const kind = clusterTopology(5, ['kind-control-plane', 'kind-worker', 'kind-worker2']);
    assert.deepEqual(
      kind.map((n) => [n.name, n.controlPlane, n.internalIP]),
      [
        ['kind-control-plane', true, '192.168.56.10'],
        ['kind-worker', false, '192.168.56.11'],
        ['kind-worker2', false, '192.168.56.12'],
      ],
    );
  });

  test('names that cannot make a cluster are refused with the reason', () => {
    assert.deepEqual(nodeNamesProblems(['alone']), [
      'needs a control plane and at least one worker: two names or more',
    ]);
    assert.match(nodeNamesProblems(['cp', 'Worker_1'])[0] ?? '', /"Worker_1" is not a node name/);
    assert.deepEqual(nodeNamesProblems(['cp', 'w', 'w']), ['names a node twice: w']);
    assert.throws(
      () => clusterTopology(2, ['cp', 'cp']),
      /Sandbox node names cp,cp: names a node twice: cp\./,
    );
  });
});
