// The ClusterRoles and ClusterRoleBindings kube-apiserver creates on a kubeadm cluster (its RBAC bootstrap
// policy): cluster-admin, the user-facing admin/edit/view built by aggregation, discovery and self-review rights
// for every authenticated user. Created when missing at start, as the apiserver's reconciliation does.
import { statusCode } from '../../errors.ts';
import type { ClusterClient, KubeObject } from '../types.ts';
import type { PolicyRule } from './rbac.ts';

const RBAC = 'rbac.authorization.k8s.io';
const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const AGGREGATE = (to: 'admin' | 'edit' | 'view') => `${RBAC}/aggregate-to-${to}`;

const rule = (verbs: string[], apiGroups: string[], resources: string[]): PolicyRule => ({
  verbs,
  apiGroups,
  resources,
});
const paths = (verbs: string[], nonResourceURLs: string[]): PolicyRule => ({ verbs, nonResourceURLs });

const defaults = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const autoupdate = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };

function clusterRole(
  name: string,
  rules: PolicyRule[],
  extra: { labels?: Record<string, string>; aggregateFrom?: 'admin' | 'edit' | 'view' } = {},
): KubeObject {
  return {
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRole',
    metadata: { name, labels: { ...defaults, ...extra.labels }, annotations: autoupdate },
    ...(extra.aggregateFrom
      ? {
          aggregationRule: {
            clusterRoleSelectors: [{ matchLabels: { [AGGREGATE(extra.aggregateFrom)]: 'true' } }],
          },
        }
      : {}),
    rules,
  };
}

function clusterRoleBinding(name: string, role: string, groups: string[]): KubeObject {
  return {
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { name, labels: defaults, annotations: autoupdate },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: role },
    subjects: groups.map((group) => ({ apiGroup: RBAC, kind: 'Group', name: group })),
  };
}

const workloads = (suffixes: string[]) => (names: string[]) =>
  names.flatMap((name) => [name, ...suffixes.map((suffix) => `${name}/${suffix}`)]);

const VIEW_RULES: PolicyRule[] = [
  rule(
    READ,
    [''],
    [
      'configmaps',
      'endpoints',
      'persistentvolumeclaims',
      'persistentvolumeclaims/status',
      'pods',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'serviceaccounts',
      'services',
      'services/status',
    ],
  ),
  rule(
    READ,
    [''],
    [
      'bindings',
      'events',
      'limitranges',
      'namespaces/status',
      'pods/log',
      'pods/status',
      'replicationcontrollers/status',
      'resourcequotas',
      'resourcequotas/status',
    ],
  ),
  rule(READ, [''], ['namespaces']),
  rule(READ, ['discovery.k8s.io'], ['endpointslices']),
  rule(
    READ,
    ['apps'],
    [
      'controllerrevisions',
      ...workloads(['scale', 'status'])(['deployments', 'replicasets', 'statefulsets']),
      'daemonsets',
      'daemonsets/status',
    ],
  ),
  rule(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
  rule(READ, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
  rule(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
  rule(READ, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
];

const EDIT_RULES: PolicyRule[] = [
  rule(
    READ,
    [''],
    ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'],
  ),
  rule(['impersonate'], [''], ['serviceaccounts']),
  rule(WRITE, [''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
  rule(['create'], [''], ['pods/eviction']),
  rule(
    WRITE,
    [''],
    [
      'configmaps',
      'events',
      'persistentvolumeclaims',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'secrets',
      'serviceaccounts',
      'services',
      'services/proxy',
    ],
  ),
  rule(['create'], [''], ['serviceaccounts/token']),
  rule(
    WRITE,
    ['apps'],
    [
      'daemonsets',
      'deployments',
      'deployments/rollback',
      'deployments/scale',
      'replicasets',
      'replicasets/scale',
      'statefulsets',
      'statefulsets/scale',
    ],
  ),
  rule(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
  rule(WRITE, ['batch'], ['cronjobs', 'jobs']),
  rule(WRITE, ['policy'], ['poddisruptionbudgets']),
  rule(WRITE, ['networking.k8s.io'], ['ingresses', 'networkpolicies']),
  rule([...READ, ...WRITE], ['coordination.k8s.io'], ['leases']),
];

const ADMIN_RULES: PolicyRule[] = [
  rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
  rule([...READ, ...WRITE], [RBAC], ['rolebindings', 'roles']),
];

const DISCOVERY_URLS = ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*'];
const PUBLIC_URLS = ['/healthz', '/livez', '/readyz', '/version', '/version/'];

export const BOOTSTRAP_CLUSTER_ROLES: KubeObject[] = [
  clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), paths(['*'], ['*'])]),
  clusterRole('admin', [], { aggregateFrom: 'admin' }),
  clusterRole('edit', [], { aggregateFrom: 'edit', labels: { [AGGREGATE('admin')]: 'true' } }),
  clusterRole('view', [], { aggregateFrom: 'view', labels: { [AGGREGATE('edit')]: 'true' } }),
  clusterRole('system:aggregate-to-admin', ADMIN_RULES, { labels: { [AGGREGATE('admin')]: 'true' } }),
  clusterRole('system:aggregate-to-edit', EDIT_RULES, { labels: { [AGGREGATE('edit')]: 'true' } }),
  clusterRole('system:aggregate-to-view', VIEW_RULES, { labels: { [AGGREGATE('view')]: 'true' } }),
  // What metrics-server's manifest installs: anyone who may view pods may read their usage (`kubectl top`).
  clusterRole('system:aggregated-metrics-reader', [rule(READ, ['metrics.k8s.io'], ['pods', 'nodes'])], {
    labels: { [AGGREGATE('view')]: 'true', [AGGREGATE('edit')]: 'true', [AGGREGATE('admin')]: 'true' },
  }),
  clusterRole('system:discovery', [paths(['get'], [...DISCOVERY_URLS, '/readyz', '/version', '/version/'])]),
  clusterRole('system:basic-user', [
    rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
    rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
  ]),
  clusterRole('system:public-info-viewer', [paths(['get'], PUBLIC_URLS)]),
  clusterRole('system:monitoring', [
    paths(['get'], ['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/readyz', '/readyz/*']),
  ]),
];

export const BOOTSTRAP_CLUSTER_ROLE_BINDINGS: KubeObject[] = [
  clusterRoleBinding('cluster-admin', 'cluster-admin', ['system:masters']),
  clusterRoleBinding('system:discovery', 'system:discovery', ['system:authenticated']),
  clusterRoleBinding('system:basic-user', 'system:basic-user', ['system:authenticated']),
  clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [
    'system:authenticated',
    'system:unauthenticated',
  ]),
  clusterRoleBinding('system:monitoring', 'system:monitoring', ['system:monitoring']),
];

/** Creates the bootstrap roles and bindings a cluster lacks (an earlier run's state may hold them already). */
export function installBootstrapPolicy(client: ClusterClient): void {
  const install = (resource: string, objects: KubeObject[]) => {
    for (const object of objects) {
      try {
        client.create({ group: RBAC, resource }, undefined, object);
      } catch (error) {
        if (statusCode(error) !== 409) throw error;
      }
    }
  };
  install('clusterroles', BOOTSTRAP_CLUSTER_ROLES);
  install('clusterrolebindings', BOOTSTRAP_CLUSTER_ROLE_BINDINGS);
}
