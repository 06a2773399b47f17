// Every served resource as discovery lists it; the registry and the HTTP layer both read this table.
import type { ResourceInfo } from '../types.ts';

const ALL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const NO_COLLECTION = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

type Row = [
  group: string,
  version: string,
  resource: string,
  kind: string,
  namespaced: boolean,
  shortNames: string[],
  all: boolean,
  subresources: ResourceInfo['subresources'],
  verbs?: string[],
];

const rows: Row[] = [
  ['', 'v1', 'bindings', 'Binding', true, [], false, [], ['create']],
  ['', 'v1', 'configmaps', 'ConfigMap', true, ['cm'], false, []],
  ['', 'v1', 'endpoints', 'Endpoints', true, ['ep'], false, []],
  ['', 'v1', 'events', 'Event', true, ['ev'], false, []],
  ['', 'v1', 'limitranges', 'LimitRange', true, ['limits'], false, []],
  ['', 'v1', 'namespaces', 'Namespace', false, ['ns'], false, ['status'], NO_COLLECTION],
  ['', 'v1', 'nodes', 'Node', false, ['no'], false, ['status']],
  ['', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true, ['pvc'], false, ['status']],
  ['', 'v1', 'persistentvolumes', 'PersistentVolume', false, ['pv'], false, ['status']],
  ['', 'v1', 'pods', 'Pod', true, ['po'], true, ['binding', 'eviction', 'log', 'status']],
  ['', 'v1', 'resourcequotas', 'ResourceQuota', true, ['quota'], false, ['status']],
  ['', 'v1', 'replicationcontrollers', 'ReplicationController', true, ['rc'], true, ['scale', 'status']],
  ['', 'v1', 'secrets', 'Secret', true, [], false, []],
  ['', 'v1', 'serviceaccounts', 'ServiceAccount', true, ['sa'], false, ['token']],
  ['', 'v1', 'services', 'Service', true, ['svc'], true, ['status'], NO_COLLECTION],
  [
    'authentication.k8s.io',
    'v1',
    'selfsubjectreviews',
    'SelfSubjectReview',
    false,
    [],
    false,
    [],
    ['create'],
  ],
  ['authentication.k8s.io', 'v1', 'tokenreviews', 'TokenReview', false, [], false, [], ['create']],
  [
    'authorization.k8s.io',
    'v1',
    'localsubjectaccessreviews',
    'LocalSubjectAccessReview',
    true,
    [],
    false,
    [],
    ['create'],
  ],
  [
    'authorization.k8s.io',
    'v1',
    'selfsubjectaccessreviews',
    'SelfSubjectAccessReview',
    false,
    [],
    false,
    [],
    ['create'],
  ],
  [
    'authorization.k8s.io',
    'v1',
    'selfsubjectrulesreviews',
    'SelfSubjectRulesReview',
    false,
    [],
    false,
    [],
    ['create'],
  ],
  [
    'authorization.k8s.io',
    'v1',
    'subjectaccessreviews',
    'SubjectAccessReview',
    false,
    [],
    false,
    [],
    ['create'],
  ],
  ['apps', 'v1', 'controllerrevisions', 'ControllerRevision', true, [], false, []],
  ['apps', 'v1', 'daemonsets', 'DaemonSet', true, ['ds'], true, ['status']],
  ['apps', 'v1', 'deployments', 'Deployment', true, ['deploy'], true, ['scale', 'status']],
  ['apps', 'v1', 'replicasets', 'ReplicaSet', true, ['rs'], true, ['scale', 'status']],
  ['apps', 'v1', 'statefulsets', 'StatefulSet', true, ['sts'], true, ['scale', 'status']],
  [
    'autoscaling',
    'v2',
    'horizontalpodautoscalers',
    'HorizontalPodAutoscaler',
    true,
    ['hpa'],
    true,
    ['status'],
  ],
  // Served as a converted view of the stored v2 objects (server/sandbox/conversion), as the apiserver serves both.
  [
    'autoscaling',
    'v1',
    'horizontalpodautoscalers',
    'HorizontalPodAutoscaler',
    true,
    ['hpa'],
    true,
    ['status'],
  ],
  ['batch', 'v1', 'cronjobs', 'CronJob', true, ['cj'], true, ['status']],
  ['batch', 'v1', 'jobs', 'Job', true, [], true, ['status']],
  ['coordination.k8s.io', 'v1', 'leases', 'Lease', true, [], false, []],
  ['discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', true, [], false, []],
  ['networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', false, [], false, []],
  ['networking.k8s.io', 'v1', 'ingresses', 'Ingress', true, ['ing'], false, ['status']],
  ['policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, ['pdb'], false, ['status']],
  ['rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false, [], false, []],
  ['rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false, [], false, []],
  ['rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true, [], false, []],
  ['rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true, [], false, []],
  ['storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', false, ['sc'], false, []],
];

export const resources: ResourceInfo[] = rows.map(
  ([group, version, resource, kind, namespaced, shortNames, all, subresources, verbs]) => ({
    group,
    version,
    resource,
    kind,
    singularName: kind.toLowerCase(),
    namespaced,
    shortNames,
    categories: all ? ['all'] : [],
    verbs: verbs ?? ALL,
    subresources,
  }),
);

/** The preferred (first listed) version of a resource: the one it is stored in. */
export function findResource(group: string, resource: string): ResourceInfo | undefined {
  return resources.find((info) => info.group === group && info.resource === resource);
}

export function findByKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return resources.find((info) => info.group === group && info.version === version && info.kind === kind);
}

export const apiVersionOf = (info: ResourceInfo) =>
  info.group ? `${info.group}/${info.version}` : info.version;
