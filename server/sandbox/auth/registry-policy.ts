// The RBAC policy as the registry holds it now: the source the default authorizer and access reviews read.
import type { ClusterClient } from '../types.ts';
import type { PolicySource } from './rbac.ts';

const RBAC = 'rbac.authorization.k8s.io';
const CLUSTER_ROLE_BINDINGS = { group: RBAC, resource: 'clusterrolebindings' };
const ROLE_BINDINGS = { group: RBAC, resource: 'rolebindings' };
const CLUSTER_ROLES = { group: RBAC, resource: 'clusterroles' };
const ROLES = { group: RBAC, resource: 'roles' };

export function registryPolicy(client: ClusterClient): PolicySource {
  return {
    clusterRoleBindings: () => client.list(CLUSTER_ROLE_BINDINGS).items,
    roleBindings: (namespace) => client.list(ROLE_BINDINGS, { namespace }).items,
    clusterRole: (name) => client.tryGet(CLUSTER_ROLES, undefined, name),
    role: (namespace, name) => client.tryGet(ROLES, namespace, name),
  };
}
