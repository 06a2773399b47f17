import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRegistry } from '../../../../server/sandbox/registry/index.ts';
import type { ClusterLimits } from '../../../../server/sandbox/registry/limits.ts';
import { seededRandom } from '../../../../server/random.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { CONFIGMAPS, PODS, pod } from '../support.ts';

const EVENTS = { group: '', resource: 'events' };
const limited = (limits: ClusterLimits) =>
  createRegistry({ clock: new FakeClock(), random: seededRandom(), limits });
const refusal =
  (message: RegExp) => (error: { status?: { code: number; reason: string; message: string } }) => {
    assert.equal(error.status?.code, 403);
    assert.equal(error.status?.reason, 'Forbidden');
    assert.match(error.status?.message ?? '', message);
    return true;
  };

test('a pod over the limit is refused as an over-quota create is, naming the room’s limit', () => {
  const registry = limited({ pods: 2 });
  registry.create(PODS, 'default', pod('a'));
  registry.create(PODS, 'default', pod('b'));
  assert.throws(
    () => registry.create(PODS, 'default', pod('c')),
    refusal(
      /^pods "c" is forbidden: this attendee cluster already holds its limit of 2 pods \(the room's --attendee-pod-limit\)$/,
    ),
  );
  // Dry runs are admitted the same way.
  assert.throws(
    () => registry.create(PODS, 'default', pod('c'), { dryRun: true }),
    refusal(/limit of 2 pods/),
  );
});

test('a controller’s pod is named by the generateName it asked for, so its refusals read alike', () => {
  const registry = limited({ pods: 0 });
  assert.throws(
    () =>
      registry.create(
        PODS,
        'default',
        pod('web-7d9f8-x2k4q', { metadata: { name: 'web-7d9f8-x2k4q', generateName: 'web-7d9f8-' } }),
      ),
    refusal(/^pods "web-7d9f8-" is forbidden/),
  );
});

test('finished pods and the cluster’s own kube-system pods hold no slot', () => {
  const registry = limited({ pods: 1 });
  registry.create(PODS, 'kube-system', pod('coredns'));
  const done = registry.create(PODS, 'default', pod('job-run'));
  assert.throws(() => registry.create(PODS, 'default', pod('next')), refusal(/limit of 1 pods/));
  registry.update(PODS, 'default', { ...done, status: { phase: 'Succeeded' } }, { subresource: 'status' });
  registry.create(PODS, 'default', pod('next'));
});

test('the object limit counts every kind but Events; an update is never refused', () => {
  const registry = limited({ objects: registry0Count() + 1 });
  const map = registry.create(CONFIGMAPS, 'default', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'one' },
  });
  assert.throws(
    () =>
      registry.create(CONFIGMAPS, 'default', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'two' },
      }),
    refusal(/^configmaps "two" is forbidden: this attendee cluster already holds its limit of \d+ objects/),
  );
  registry.update(CONFIGMAPS, 'default', { ...map, data: { changed: 'yes' } });
  registry.create(EVENTS, 'default', {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'one.1' },
    involvedObject: { kind: 'ConfigMap', name: 'one', namespace: 'default' },
    reason: 'Test',
    message: 'events are not counted',
  });
});

/** Objects a fresh registry holds on its own (its system namespaces). */
function registry0Count(): number {
  return createRegistry({ clock: new FakeClock(), random: seededRandom() }).snapshot().objects.length;
}
