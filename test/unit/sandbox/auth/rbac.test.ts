import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Identity } from '../../../../server/sandbox/api/auth.ts';
import type { PolicyRule, PolicySource } from '../../../../server/sandbox/auth/rbac.ts';
import {
  allowedBy,
  ruleAllowsPath,
  ruleAllowsResource,
  rulesFor,
} from '../../../../server/sandbox/auth/rbac.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';

const role = (kind: string, name: string, rules: PolicyRule[], namespace?: string): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  rules,
});
const binding = (
  kind: string,
  name: string,
  roleRef: { kind: string; name: string },
  subjects: { kind: string; name: string; namespace?: string }[],
  namespace?: string,
): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
  subjects,
});

function source(objects: KubeObject[]): PolicySource {
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  return {
    clusterRoleBindings: () => of('ClusterRoleBinding'),
    roleBindings: (namespace) => of('RoleBinding').filter((o) => o.metadata.namespace === namespace),
    clusterRole: (name) => of('ClusterRole').find((o) => o.metadata.name === name),
    role: (namespace, name) =>
      of('Role').find((o) => o.metadata.name === name && o.metadata.namespace === namespace),
  };
}

const reader: Identity = {
  user: 'system:serviceaccount:dev:reader',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:dev', 'system:authenticated'],
};

describe('RBAC rules', () => {
  test('verbs, groups, resources and subresources match as the RBAC authorizer matches them', () => {
    const rule: PolicyRule = { verbs: ['get'], apiGroups: ['apps'], resources: ['deployments', '*/scale'] };
    const ask = { verb: 'get', group: 'apps', resource: 'deployments' };
    assert.equal(ruleAllowsResource(rule, ask), true);
    assert.equal(ruleAllowsResource(rule, { ...ask, subresource: 'scale' }), true);
    assert.equal(ruleAllowsResource(rule, { ...ask, subresource: 'status' }), false);
    assert.equal(ruleAllowsResource(rule, { ...ask, verb: 'list' }), false);
    assert.equal(ruleAllowsResource(rule, { ...ask, group: '' }), false);
    const logs: PolicyRule = { verbs: ['*'], apiGroups: [''], resources: ['pods/log'] };
    assert.equal(
      ruleAllowsResource(logs, { verb: 'get', group: '', resource: 'pods', subresource: 'log' }),
      true,
    );
    assert.equal(ruleAllowsResource(logs, { verb: 'get', group: '', resource: 'pods' }), false);
  });

  test('resourceNames restrict to named objects, so a list (no name) is not allowed', () => {
    const rule: PolicyRule = {
      verbs: ['get', 'list'],
      apiGroups: [''],
      resources: ['configmaps'],
      resourceNames: ['app'],
    };
    assert.equal(
      ruleAllowsResource(rule, { verb: 'get', group: '', resource: 'configmaps', name: 'app' }),
      true,
    );
    assert.equal(
      ruleAllowsResource(rule, { verb: 'get', group: '', resource: 'configmaps', name: 'other' }),
      false,
    );
    assert.equal(ruleAllowsResource(rule, { verb: 'list', group: '', resource: 'configmaps' }), false);
  });

  test('nonResourceURLs match exactly or by a trailing *', () => {
    const rule: PolicyRule = { verbs: ['get'], nonResourceURLs: ['/healthz', '/apis/*'] };
    assert.equal(ruleAllowsPath(rule, { verb: 'get', path: '/healthz' }), true);
    assert.equal(ruleAllowsPath(rule, { verb: 'get', path: '/apis/apps/v1' }), true);
    assert.equal(ruleAllowsPath(rule, { verb: 'get', path: '/healthz/etcd' }), false);
    assert.equal(ruleAllowsPath(rule, { verb: 'post', path: '/healthz' }), false);
  });
});

describe('bindings', () => {
  const policy = source([
    role('Role', 'pod-reader', [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }], 'dev'),
    role('ClusterRole', 'view', [{ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'] }]),
    role('ClusterRole', 'discovery', [{ verbs: ['get'], nonResourceURLs: ['/api'] }]),
    binding(
      'RoleBinding',
      'read',
      { kind: 'Role', name: 'pod-reader' },
      [{ kind: 'ServiceAccount', name: 'reader' }],
      'dev',
    ),
    binding(
      'RoleBinding',
      'view',
      { kind: 'ClusterRole', name: 'view' },
      [{ kind: 'Group', name: 'system:serviceaccounts:dev' }],
      'dev',
    ),
    binding('ClusterRoleBinding', 'discovery', { kind: 'ClusterRole', name: 'discovery' }, [
      { kind: 'Group', name: 'system:authenticated' },
    ]),
    binding(
      'RoleBinding',
      'elsewhere',
      { kind: 'ClusterRole', name: 'view' },
      [{ kind: 'ServiceAccount', name: 'reader' }],
      'prod',
    ),
  ]);

  test('a RoleBinding grants its Role (or a ClusterRole) in its own namespace only, with the apiserver’s reason', () => {
    assert.equal(
      allowedBy(policy, reader, { verb: 'list', group: '', resource: 'pods', namespace: 'dev' }),
      'RBAC: allowed by RoleBinding "read/dev" of Role "pod-reader" to ServiceAccount "dev/reader"',
    );
    assert.equal(
      allowedBy(policy, reader, { verb: 'get', group: 'apps', resource: 'deployments', namespace: 'dev' }),
      'RBAC: allowed by RoleBinding "view/dev" of ClusterRole "view" to Group "system:serviceaccounts:dev"',
    );
    assert.equal(
      allowedBy(policy, reader, { verb: 'list', group: '', resource: 'pods', namespace: 'default' }),
      undefined,
    );
    assert.equal(allowedBy(policy, reader, { verb: 'list', group: '', resource: 'pods' }), undefined);
  });

  test('a ServiceAccount subject without a namespace is the binding namespace’s account', () => {
    const other = { ...reader, user: 'system:serviceaccount:prod:reader' };
    assert.equal(
      allowedBy(policy, other, { verb: 'get', group: 'apps', resource: 'deployments', namespace: 'prod' }) !==
        undefined,
      true,
    );
    assert.equal(
      allowedBy(policy, reader, { verb: 'get', group: 'apps', resource: 'deployments', namespace: 'prod' }),
      undefined,
    );
  });

  test('rulesFor collects cluster-wide rules, then the namespace’s', () => {
    assert.deepEqual(rulesFor(policy, reader, 'dev'), [
      { verbs: ['get'], nonResourceURLs: ['/api'] },
      { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] },
      { verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'] },
    ]);
    assert.equal(
      allowedBy(policy, reader, { verb: 'get', path: '/api' }),
      'RBAC: allowed by ClusterRoleBinding "discovery" of ClusterRole "discovery" to Group "system:authenticated"',
    );
  });
});
