import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type ClusterFacts,
  type ClusterObject,
  describeGap,
  isKubeWarsSandbox,
  preflight,
} from '../../../server/course/preflight.ts';

const node = (name: string, controlPlane: boolean, bootID = `boot-${name}`): ClusterObject => ({
  metadata: {
    name,
    labels: controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : ({} as Record<string, string>),
  },
  status: { nodeInfo: { bootID } },
});

const complete: ClusterFacts = {
  storageClasses: [
    {
      metadata: {
        name: 'local-path',
        annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
      },
    },
  ],
  ingressClasses: [
    { metadata: { name: 'contour', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } },
  ],
  nodes: [
    node('control-plane', true, 'kubewars-control-plane'),
    node('worker-1', false, 'kubewars-worker-1'),
  ],
  apiGroups: ['apps', 'metrics.k8s.io'],
};

describe('course preflight', () => {
  test('a cluster with what the course uses has no gap', () => {
    assert.deepEqual(preflight(complete), []);
  });

  test('a bare minikube-like cluster: each gap names the lessons it breaks and the fix', () => {
    const bare: ClusterFacts = {
      storageClasses: [{ metadata: { name: 'standard' } }],
      ingressClasses: [],
      nodes: [node('minikube', true)],
      apiGroups: ['apps'],
    };
    const gaps = preflight(bare);
    assert.deepEqual(
      gaps.map((g) => [g.id, g.effect, g.lessons]),
      [
        ['default-storage-class', 'skip', [12, 14]],
        ['ingress-controller', 'warn', [6]],
        ['metrics-server', 'warn', [8]],
        ['kube-wars-sandbox', 'warn', [16]],
        ['a-worker', 'warn', [5, 15]],
      ],
    );
    assert.match(
      describeGap(gaps[0] ?? assert.fail()),
      /^preflight: no default StorageClass: lessons 12 and 14 skipped — `kubewars cluster up` installs one.*minikube addons enable storage-provisioner/,
    );
  });

  test('only a cluster whose every node booted as a Kube Wars node is the sandbox', () => {
    assert.equal(isKubeWarsSandbox(complete), true);
    assert.equal(isKubeWarsSandbox({ ...complete, nodes: [...complete.nodes, node('real', false)] }), false);
    assert.equal(isKubeWarsSandbox({ ...complete, nodes: [] }), false);
  });
});
