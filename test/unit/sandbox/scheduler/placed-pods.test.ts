import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { keyOf } from '../../../../server/sandbox/controllers/runtime.ts';
import { ClusterView, PlacedPods } from '../../../../server/sandbox/scheduler/schedule.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';
import { pod } from './pods.ts';

const NODES = ['worker-1', 'worker-2', 'worker-3'];
const OWNERS = ['rs-a', 'rs-b'];
const CLAIMS = ['data', 'logs'];

/** One pod as a change leaves it: where it is bound, its phase, what it asks for, its owner and claim. */
const podArbitrary = fc.record({
  name: fc.constantFrom('p0', 'p1', 'p2', 'p3', 'p4', 'p5'),
  node: fc.option(fc.constantFrom(...NODES), { nil: undefined }),
  phase: fc.constantFrom('Pending', 'Running', 'Succeeded', 'Failed'),
  milliCpu: fc.integer({ min: 0, max: 2000 }),
  mebibytes: fc.integer({ min: 0, max: 4096 }),
  owner: fc.option(fc.constantFrom(...OWNERS), { nil: undefined }),
  claim: fc.option(fc.constantFrom(...CLAIMS), { nil: undefined }),
});

type PodFields = typeof podArbitrary extends fc.Arbitrary<infer T> ? T : never;

function podOf(fields: PodFields): KubeObject {
  const { name, node, phase, milliCpu, mebibytes, owner, claim } = fields;
  const requests = { cpu: `${milliCpu}m`, memory: `${mebibytes}Mi` };
  return {
    ...pod(
      name,
      {
        ...(node ? { nodeName: node } : {}),
        containers: [{ name: 'app', image: 'nginx', resources: { requests } }],
        ...(claim ? { volumes: [{ name: 'v', persistentVolumeClaim: { claimName: claim } }] } : {}),
      },
      owner,
    ),
    status: { phase },
  };
}

/** Everything a scheduling batch can ask a view. */
function answers(view: ClusterView) {
  return {
    usage: NODES.map((node) => view.usageOf(node)),
    siblings: OWNERS.flatMap((owner) => NODES.map((node) => view.siblings(owner, node))),
    claims: CLAIMS.map((claim) => view.claimInUse(`default/${claim}`)),
  };
}

describe('PlacedPods', () => {
  test('after any sequence of changes and deletions, a view answers as one tallied afresh from the pods left', () => {
    const change = fc.oneof(
      podArbitrary.map((fields) => ({ pod: podOf(fields) })),
      fc.record({ deleted: fc.constantFrom('p0', 'p1', 'p2', 'p3', 'p4', 'p5') }),
    );
    fc.assert(
      fc.property(fc.array(change, { maxLength: 40 }), (changes) => {
        const placed = new PlacedPods();
        const pods = new Map<string, KubeObject>();
        for (const step of changes) {
          if ('pod' in step) {
            pods.set(keyOf(step.pod), step.pod);
            placed.update(keyOf(step.pod), step.pod);
          } else {
            pods.delete(`default/${step.deleted}`);
            placed.update(`default/${step.deleted}`, undefined);
          }
        }
        assert.deepEqual(
          answers(new ClusterView(placed)),
          answers(new ClusterView(PlacedPods.of(pods.values()))),
        );
      }),
      { numRuns: 300 },
    );
  });

  test("a batch's own bindings count on top of the placed pods and are gone with the batch", () => {
    const placed = PlacedPods.of([
      podOf({
        name: 'p0',
        node: 'worker-1',
        phase: 'Running',
        milliCpu: 500,
        mebibytes: 256,
        owner: 'rs-a',
        claim: undefined,
      }),
    ]);
    const batch = new ClusterView(placed);
    batch.place(
      podOf({
        name: 'p1',
        node: undefined,
        phase: 'Pending',
        milliCpu: 250,
        mebibytes: 128,
        owner: 'rs-a',
        claim: 'data',
      }),
      'worker-1',
    );
    assert.deepEqual(batch.usageOf('worker-1'), {
      requested: { milliCpu: 750, memory: 384 * 1024 * 1024 },
      pods: 2,
    });
    assert.equal(batch.siblings('rs-a', 'worker-1'), 2);
    assert.equal(batch.claimInUse('default/data'), true);
    const next = new ClusterView(placed);
    assert.deepEqual(next.usageOf('worker-1'), {
      requested: { milliCpu: 500, memory: 256 * 1024 * 1024 },
      pods: 1,
    });
    assert.equal(next.claimInUse('default/data'), false);
  });
});
