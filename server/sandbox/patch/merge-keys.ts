// Where Kubernetes merges lists instead of replacing them: the patchStrategy/patchMergeKey tags of the API types,
// as one table of types. A path is walked from the kind's root type; a list with no entry here is replaced whole.

/** A list of primitives merged as a set (metadata.finalizers). */
export const primitiveSet = Symbol('primitive set');
export type MergeKey = string | typeof primitiveSet | undefined;

/** A field of a type: a map of another type, a list merged by a key (items of a type), or a primitive set. */
type Field = { type: string } | { key: string; items?: string } | typeof primitiveSet;

const object = { metadata: { type: 'ObjectMeta' }, status: { type: 'Status' } } as const;
const withSpec = (spec: string) => ({ ...object, spec: { type: spec } });

const types: Record<string, Record<string, Field>> = {
  ObjectMeta: { finalizers: primitiveSet, ownerReferences: { key: 'uid' } },
  /** Every kind's status.conditions merges by type. */
  Status: { conditions: { key: 'type' } },

  Object: object,
  Pod: { ...withSpec('PodSpec'), status: { type: 'PodStatus' } },
  PodTemplate: { ...object, template: { type: 'PodTemplateSpec' } },
  Workload: withSpec('WorkloadSpec'),
  CronJob: withSpec('CronJobSpec'),
  Service: withSpec('ServiceSpec'),
  Node: { ...withSpec('NodeSpec'), status: { type: 'NodeStatus' } },

  PodTemplateSpec: { metadata: { type: 'ObjectMeta' }, spec: { type: 'PodSpec' } },
  WorkloadSpec: { template: { type: 'PodTemplateSpec' } },
  CronJobSpec: { jobTemplate: { type: 'JobTemplateSpec' } },
  JobTemplateSpec: { metadata: { type: 'ObjectMeta' }, spec: { type: 'WorkloadSpec' } },
  PodSpec: {
    containers: { key: 'name', items: 'Container' },
    initContainers: { key: 'name', items: 'Container' },
    ephemeralContainers: { key: 'name', items: 'Container' },
    volumes: { key: 'name' },
    imagePullSecrets: { key: 'name' },
    hostAliases: { key: 'ip' },
    topologySpreadConstraints: { key: 'topologyKey' },
    schedulingGates: { key: 'name' },
    resourceClaims: { key: 'name' },
  },
  Container: {
    env: { key: 'name' },
    ports: { key: 'containerPort' },
    volumeMounts: { key: 'mountPath' },
    volumeDevices: { key: 'devicePath' },
    resizePolicy: { key: 'resourceName' },
  },
  PodStatus: { conditions: { key: 'type' }, podIPs: { key: 'ip' }, hostIPs: { key: 'ip' } },
  ServiceSpec: { ports: { key: 'port' } },
  NodeSpec: { podCIDRs: primitiveSet },
  NodeStatus: { conditions: { key: 'type' }, addresses: { key: 'type' } },
};

/** The root type of each kind; any other kind is a plain Object (metadata and status only). */
const kindRoots: Record<string, string> = {
  Pod: 'Pod',
  PodTemplate: 'PodTemplate',
  Deployment: 'Workload',
  ReplicaSet: 'Workload',
  ReplicationController: 'Workload',
  StatefulSet: 'Workload',
  DaemonSet: 'Workload',
  Job: 'Workload',
  CronJob: 'CronJob',
  Service: 'Service',
  Node: 'Node',
};

/**
 * The merge key of the list at `path` (map keys from the object's root, no list indexes: a path through a list
 * continues in its item type) in an object of `kind`.
 */
export function mergeKeyFor(kind: string, path: string[]): MergeKey {
  let type: string | undefined = kindRoots[kind] ?? 'Object';
  for (let index = 0; index < path.length; index++) {
    const field: Field | undefined = type === undefined ? undefined : types[type]?.[path[index] as string];
    if (field === undefined) return undefined;
    const last = index === path.length - 1;
    if (field === primitiveSet) return last ? primitiveSet : undefined;
    if ('key' in field) {
      if (last) return field.key;
      type = field.items;
    } else {
      if (last) return undefined;
      type = field.type;
    }
  }
  return undefined;
}
