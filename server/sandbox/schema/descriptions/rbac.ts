// What `kubectl explain` says of the types of rbac.authorization.k8s.io/v1 (see ../descriptions.ts).
import { metadata, type Texts } from './common.ts';
export const rbac: Texts = {
  'rbac.v1.AggregationRule': {
    '': 'Builds a cluster role from the rules of other cluster roles.',
    clusterRoleSelectors: 'Cluster roles with matching labels give their rules to this one.',
  },
  'rbac.v1.ClusterRole': {
    '': 'A ClusterRole lists permissions on cluster-wide or namespaced resources, granted by ClusterRoleBindings or RoleBindings.',
    rules: 'The permissions.',
    aggregationRule: 'Build the rules from the ClusterRoles these labels select.',
    metadata: metadata('cluster role'),
  },
  'rbac.v1.ClusterRoleBinding': {
    '': 'A ClusterRoleBinding grants the permissions of a ClusterRole in every namespace and on cluster-wide resources.',
    subjects: 'Who gets the permissions.',
    roleRef: 'The ClusterRole granted; cannot change.',
    metadata: metadata('binding'),
  },
  'rbac.v1.PolicyRule': {
    '': 'Verbs allowed on resources.',
    verbs: 'get, list, watch, create, update, patch, delete … or * for all.',
    apiGroups: 'API groups of the resources; "" is the core group.',
    resources: 'Resources such as pods or deployments/scale; * for all.',
    resourceNames: 'Only these objects, by name.',
    nonResourceURLs: 'Paths such as /healthz (ClusterRoles only).',
  },
  'rbac.v1.Role': {
    '': 'A Role lists permissions (verbs on resources) within one namespace. A RoleBinding grants them.',
    rules: 'The permissions.',
    metadata: metadata('role'),
  },
  'rbac.v1.RoleBinding': {
    '': 'A RoleBinding grants the permissions of a Role or ClusterRole to users, groups or service accounts, in its namespace.',
    subjects: 'Who gets the permissions.',
    roleRef: 'The Role or ClusterRole granted; cannot change.',
    metadata: metadata('binding'),
  },
  'rbac.v1.RoleRef': {
    '': 'The role a binding grants.',
    kind: 'Role or ClusterRole.',
    name: "The role's name.",
    apiGroup: 'rbac.authorization.k8s.io.',
  },
  'rbac.v1.Subject': {
    '': 'Who a binding grants permissions to.',
    kind: 'User, Group or ServiceAccount.',
    name: 'The name of the user, group or service account.',
    namespace: 'The namespace of a service account.',
    apiGroup: 'Empty for ServiceAccount, rbac.authorization.k8s.io for User and Group.',
  },
};
