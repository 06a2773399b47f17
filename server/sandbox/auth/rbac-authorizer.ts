// The sandbox's default Authorizer: system:masters may do anything (the apiserver's privileged-group check comes
// before RBAC), everyone else what their RoleBindings and ClusterRoleBindings grant.
import type { Authorizer, Identity } from '../api/auth.ts';
import type { ClusterClient } from '../types.ts';
import type { PolicySource } from './rbac.ts';
import { allowedBy } from './rbac.ts';

const RBAC = 'rbac.authorization.k8s.io';
const CLUSTER_ROLE_BINDINGS = { group: RBAC, resource: 'clusterrolebindings' };
const ROLE_BINDINGS = { group: RBAC, resource: 'rolebindings' };
const CLUSTER_ROLES = { group: RBAC, resource: 'clusterroles' };
const ROLES = { group: RBAC, resource: 'roles' };

export const isMaster = (identity: Identity) => identity.groups.includes('system:masters');

/** Bindings and roles as the registry holds them now. */
export function registryPolicy(client: ClusterClient): PolicySource {
  return {
    clusterRoleBindings: () => client.list(CLUSTER_ROLE_BINDINGS).items,
    roleBindings: (namespace) => client.list(ROLE_BINDINGS, { namespace }).items,
    clusterRole: (name) => client.tryGet(CLUSTER_ROLES, undefined, name),
    role: (namespace, name) => client.tryGet(ROLES, namespace, name),
  };
}

export function rbacAuthorizer(policy: PolicySource): Authorizer {
  return {
    allows: (identity, request) => isMaster(identity) || allowedBy(policy, identity, request) !== undefined,
  };
}
