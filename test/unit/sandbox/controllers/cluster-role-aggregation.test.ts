import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregatedRules } from '../../../../server/sandbox/controllers/cluster-role-aggregation.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';

const clusterRole = (
  name: string,
  labels: Record<string, string>,
  rules: object[],
  aggregateTo?: string,
): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name, labels },
  ...(aggregateTo
    ? {
        aggregationRule: {
          clusterRoleSelectors: [
            { matchLabels: { [`rbac.authorization.k8s.io/aggregate-to-${aggregateTo}`]: 'true' } },
          ],
        },
      }
    : {}),
  rules,
});

test('an aggregated role holds its matching roles’ rules in name order, each once, never its own', () => {
  const read = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
  const leases = { verbs: ['list'], apiGroups: ['coordination.k8s.io'], resources: ['leases'] };
  const view = clusterRole('view', { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' }, [], 'view');
  const roles = [
    view,
    clusterRole('z-extra', { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' }, [leases, read]),
    clusterRole('a-base', { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' }, [read]),
    clusterRole('other', { team: 'x' }, [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]),
  ];
  assert.deepEqual(aggregatedRules(view, roles), [read, leases]);
  const edit = clusterRole('edit', {}, [], 'edit');
  assert.deepEqual(aggregatedRules(edit, [edit, { ...view, rules: [read] }]), [read]);
});
