// The objects that make an attendee's place on a shared cluster: their namespace, where they are admin; a quota and
// default requests/limits so one typo cannot take the cluster's capacity; sight of the rest, Secrets excepted.
import type {
  V1ClusterRole,
  V1ClusterRoleBinding,
  V1LimitRange,
  V1Namespace,
  V1PolicyRule,
  V1ResourceQuota,
  V1RoleBinding,
  V1ServiceAccount,
} from '@kubernetes/client-node';
import { ATTENDEE_ACCOUNT, ATTENDEE_LABEL, VIEW_ROLE, viewBindingName } from './naming.ts';

const RBAC = 'rbac.authorization.k8s.io';
const READ = ['get', 'list', 'watch'];
const MANAGED = { 'app.kubernetes.io/managed-by': 'kubewars' };

/**
 * What every attendee may read cluster-wide: what the lessons read outside their namespace (nodes, namespaces,
 * kube-system's pods and their logs, workloads, storage, events). No Secrets, and no ConfigMaps either, where
 * credentials sometimes hide. The Helm chart's room role holds the same rules (its test compares them).
 */
export const VIEW_RULES: V1PolicyRule[] = [
  {
    apiGroups: [''],
    resources: [
      'nodes',
      'namespaces',
      'pods',
      'pods/log',
      'services',
      'endpoints',
      'events',
      'persistentvolumes',
      'persistentvolumeclaims',
      'replicationcontrollers',
      'resourcequotas',
      'limitranges',
      'serviceaccounts',
    ],
    verbs: READ,
  },
  {
    apiGroups: ['apps'],
    resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'],
    verbs: READ,
  },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: READ },
  {
    apiGroups: ['networking.k8s.io'],
    resources: ['ingresses', 'ingressclasses', 'networkpolicies'],
    verbs: READ,
  },
  { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: READ },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: READ },
  { apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: READ },
];

export function viewRole(): V1ClusterRole {
  return { metadata: { name: VIEW_ROLE, labels: MANAGED }, rules: VIEW_RULES };
}

export function attendeeNamespaceObject(namespace: string, attendee: string): V1Namespace {
  return { metadata: { name: namespace, labels: { ...MANAGED, [ATTENDEE_LABEL]: attendee } } };
}

export function attendeeAccount(namespace: string): V1ServiceAccount {
  return { metadata: { name: ATTENDEE_ACCOUNT, namespace, labels: MANAGED } };
}

const subject = (namespace: string) => ({ kind: 'ServiceAccount', name: ATTENDEE_ACCOUNT, namespace });

/** Admin in their own namespace: everything but the quota and the namespace itself. */
export function adminBinding(namespace: string): V1RoleBinding {
  return {
    metadata: { name: 'attendee-admin', namespace, labels: MANAGED },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'admin' },
    subjects: [subject(namespace)],
  };
}

export function viewBinding(namespace: string, attendee: string): V1ClusterRoleBinding {
  return {
    metadata: { name: viewBindingName(namespace), labels: { ...MANAGED, [ATTENDEE_LABEL]: attendee } },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: VIEW_ROLE },
    subjects: [subject(namespace)],
  };
}

export function attendeeQuota(namespace: string, hard: Record<string, string>): V1ResourceQuota {
  return { metadata: { name: 'attendee-quota', namespace, labels: MANAGED }, spec: { hard } };
}

/**
 * Requests and limits for containers that name none: a quota on requests refuses pods without them, and the
 * lessons' plain pods have none.
 */
export function attendeeLimits(namespace: string): V1LimitRange {
  return {
    metadata: { name: 'attendee-defaults', namespace, labels: MANAGED },
    spec: {
      limits: [
        {
          type: 'Container',
          defaultRequest: { cpu: '50m', memory: '64Mi' },
          _default: { cpu: '500m', memory: '256Mi' },
        },
      ],
    },
  };
}
