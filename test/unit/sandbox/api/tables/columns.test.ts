// `kubectl get` columns the sandbox's Table output gives for CronJobs and the RBAC kinds, as the apiserver prints.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toTable } from '../../../../../server/sandbox/api/tables/index.ts';
import type { KubeObject } from '../../../../../server/sandbox/types.ts';

const now = Date.parse('2026-01-01T00:05:00Z');
const metadata = { name: 'x', namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' };

const table = (kind: string, object: KubeObject) => {
  const result = toTable(kind, [object], { now, includeObject: 'None' }) as unknown as {
    columnDefinitions: { name: string; priority: number }[];
    rows: { cells: unknown[] }[];
  };
  return {
    columns: result.columnDefinitions.map((c) => (c.priority ? `${c.name} (wide)` : c.name)),
    cells: result.rows[0]?.cells,
  };
};

test("a CronJob's ACTIVE column counts its running Jobs", () => {
  const cronJob: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata,
    spec: { schedule: '*/5 * * * *' },
    status: {
      active: [
        { kind: 'Job', name: 'x-1', namespace: 'default' },
        { kind: 'Job', name: 'x-2', namespace: 'default' },
      ],
    },
  };
  const { columns, cells } = table('CronJob', cronJob);
  assert.equal(cells?.[columns.indexOf('Active')], 2);
  assert.equal(table('CronJob', { ...cronJob, status: {} }).cells?.[columns.indexOf('Active')], 0);
});

test('Roles and ClusterRoles show NAME and CREATED AT', () => {
  for (const kind of ['Role', 'ClusterRole']) {
    const { columns, cells } = table(kind, { apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata });
    assert.deepEqual(columns, ['Name', 'Created At']);
    assert.deepEqual(cells, ['x', '2026-01-01T00:00:00Z']);
  }
});

test('bindings show NAME, ROLE, AGE, and with -o wide their users, groups and service accounts', () => {
  for (const kind of ['RoleBinding', 'ClusterRoleBinding']) {
    const binding: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind,
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [
        { kind: 'User', name: 'ana' },
        { kind: 'User', name: 'bo' },
        { kind: 'Group', name: 'devs' },
        { kind: 'ServiceAccount', name: 'builder', namespace: 'ci' },
      ],
    };
    const { columns, cells } = table(kind, binding);
    assert.deepEqual(columns, [
      'Name',
      'Role',
      'Age',
      'Users (wide)',
      'Groups (wide)',
      'ServiceAccounts (wide)',
    ]);
    assert.deepEqual(cells, ['x', 'ClusterRole/view', '5m', 'ana, bo', 'devs', 'ci:builder']);
  }
});
