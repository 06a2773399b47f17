// Every type and field a learner can reach with `kubectl explain` from the kinds the lessons use is described, and
// so is the rest of the schema table.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { messages as schemaTable } from '../../../../server/sandbox/api/protobuf/schema.ts';
import { descriptions } from '../../../../server/sandbox/schema/descriptions.ts';
import { fieldsOf, messageForKind } from '../../../../server/sandbox/validation-fields/fields.ts';

const lessonKinds: [apiVersion: string, kinds: string[]][] = [
  [
    'v1',
    [
      'ConfigMap',
      'Event',
      'LimitRange',
      'Namespace',
      'Node',
      'PersistentVolume',
      'PersistentVolumeClaim',
      'Pod',
      'ResourceQuota',
      'Secret',
      'Service',
      'ServiceAccount',
    ],
  ],
  ['apps/v1', ['DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet']],
  ['autoscaling/v2', ['HorizontalPodAutoscaler']],
  ['batch/v1', ['CronJob', 'Job']],
  ['coordination.k8s.io/v1', ['Lease']],
  ['discovery.k8s.io/v1', ['EndpointSlice']],
  ['networking.k8s.io/v1', ['Ingress', 'IngressClass']],
  ['policy/v1', ['PodDisruptionBudget']],
  ['rbac.authorization.k8s.io/v1', ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']],
  ['storage.k8s.io/v1', ['StorageClass']],
];

/** The types, then the fields, of `messages` that have no description. */
function undescribed(messages: Iterable<string>): string[] {
  const missing: string[] = [];
  for (const message of [...messages].sort()) {
    const texts = descriptions[message] ?? {};
    if (!texts['']) missing.push(message);
    for (const field of fieldsOf(message, false).keys())
      if (!texts[field]) missing.push(`${message}.${field}`);
  }
  return missing;
}

/** The messages reachable from a kind through its fields, the kind's own included. */
function reachable(message: string, seen: Set<string>): Set<string> {
  if (seen.has(message)) return seen;
  seen.add(message);
  for (const shape of fieldsOf(message, false).values()) if (shape.message) reachable(shape.message, seen);
  return seen;
}

describe('descriptions of what the lessons use', () => {
  const messages = new Set<string>();
  for (const [apiVersion, kinds] of lessonKinds) {
    for (const kind of kinds) {
      const message = messageForKind(apiVersion, kind);
      assert.ok(message, `${apiVersion} ${kind} has a schema`);
      reachable(message, messages);
    }
  }

  test('every type and every field reachable from those kinds has a description', () => {
    assert.deepEqual(undescribed(messages), []);
    assert.ok(messages.size > 250, `${messages.size} types walked`);
  });

  test('so is every other type of the schema table (the v2 document publishes them all)', () => {
    assert.deepEqual(undescribed(Object.keys(schemaTable)), []);
  });

  test('no description has a percent sign, which kubectl 1.20 would print as a format verb', () => {
    for (const [message, fields] of Object.entries(descriptions)) {
      for (const [field, text] of Object.entries(fields))
        assert.ok(!text.includes('%'), `${message}.${field}`);
    }
  });
});
