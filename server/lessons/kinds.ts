/** The kinds a check may name, with the API group/version to ask and whether they live in a namespace. */
export const checkableKinds = {
  Pod: { apiVersion: 'v1', namespaced: true },
  Service: { apiVersion: 'v1', namespaced: true },
  Endpoints: { apiVersion: 'v1', namespaced: true },
  ConfigMap: { apiVersion: 'v1', namespaced: true },
  Secret: { apiVersion: 'v1', namespaced: true },
  ReplicationController: { apiVersion: 'v1', namespaced: true },
  PersistentVolumeClaim: { apiVersion: 'v1', namespaced: true },
  ServiceAccount: { apiVersion: 'v1', namespaced: true },
  ResourceQuota: { apiVersion: 'v1', namespaced: true },
  LimitRange: { apiVersion: 'v1', namespaced: true },
  Event: { apiVersion: 'v1', namespaced: true },
  Node: { apiVersion: 'v1', namespaced: false },
  Namespace: { apiVersion: 'v1', namespaced: false },
  PersistentVolume: { apiVersion: 'v1', namespaced: false },
  Deployment: { apiVersion: 'apps/v1', namespaced: true },
  ReplicaSet: { apiVersion: 'apps/v1', namespaced: true },
  DaemonSet: { apiVersion: 'apps/v1', namespaced: true },
  StatefulSet: { apiVersion: 'apps/v1', namespaced: true },
  Job: { apiVersion: 'batch/v1', namespaced: true },
  CronJob: { apiVersion: 'batch/v1', namespaced: true },
  HorizontalPodAutoscaler: { apiVersion: 'autoscaling/v2', namespaced: true },
  PodDisruptionBudget: { apiVersion: 'policy/v1', namespaced: true },
  StorageClass: { apiVersion: 'storage.k8s.io/v1', namespaced: false },
  Ingress: { apiVersion: 'networking.k8s.io/v1', namespaced: true },
  NetworkPolicy: { apiVersion: 'networking.k8s.io/v1', namespaced: true },
} as const satisfies Record<string, { apiVersion: string; namespaced: boolean }>;

export type CheckableKind = keyof typeof checkableKinds;

export function kindInfo(kind: string): { apiVersion: string; namespaced: boolean } | undefined {
  return Object.hasOwn(checkableKinds, kind) ? checkableKinds[kind as CheckableKind] : undefined;
}
