// Where Kubernetes merges lists by a key instead of replacing them: the patchMergeKey tags of the API types.

/** A list of primitives merged as a set (metadata.finalizers). */
export const primitiveSet = Symbol('primitive set');
export type MergeKey = string | typeof primitiveSet | undefined;

const podSpecLists: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
};

const containerLists: Record<string, string> = {
  env: 'name',
  ports: 'containerPort',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
};

/** Map-key paths (no list indexes) where each kind keeps its pod spec. */
const podSpecPaths: Record<string, string> = {
  Pod: 'spec',
  PodTemplate: 'template.spec',
  Deployment: 'spec.template.spec',
  ReplicaSet: 'spec.template.spec',
  ReplicationController: 'spec.template.spec',
  StatefulSet: 'spec.template.spec',
  DaemonSet: 'spec.template.spec',
  Job: 'spec.template.spec',
  CronJob: 'spec.jobTemplate.spec.template.spec',
};

const kindLists: Record<string, Record<string, string>> = {
  Service: { 'spec.ports': 'port' },
};

/** The merge key of the list at `path` (map keys from the object's root) in an object of `kind`. */
export function mergeKeyFor(kind: string, path: string[]): MergeKey {
  const joined = path.join('.');
  if (joined === 'metadata.finalizers') return primitiveSet;
  if (joined === 'metadata.ownerReferences') return 'uid';
  if (path[path.length - 1] === 'conditions') return 'type';
  const fromKind = kindLists[kind]?.[joined];
  if (fromKind) return fromKind;
  const podSpec = podSpecPaths[kind];
  if (!podSpec || !joined.startsWith(`${podSpec}.`)) return undefined;
  const inPodSpec = joined.slice(podSpec.length + 1).split('.');
  if (inPodSpec.length === 1) return podSpecLists[inPodSpec[0] as string];
  const [list, field] = inPodSpec;
  if (inPodSpec.length === 2 && list && podSpecLists[list] === 'name' && list.endsWith('ontainers')) {
    return containerLists[field as string];
  }
  return undefined;
}
