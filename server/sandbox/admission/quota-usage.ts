// What objects use of a ResourceQuota's resources: object counts (`pods`, `count/deployments.apps` …) and the
// compute requests and limits of pods that still run, as kube's quota evaluators count them.
import type { KubeObject, ResourceRef } from '../types.ts';
import { parseQuantity } from './quantities.ts';

type ResourceList = Record<string, string | number>;

const CORE_COUNTS: Record<string, string> = {
  pods: 'pods',
  services: 'services',
  configmaps: 'configmaps',
  secrets: 'secrets',
  persistentvolumeclaims: 'persistentvolumeclaims',
  replicationcontrollers: 'replicationcontrollers',
  resourcequotas: 'resourcequotas',
  'services.nodeports': 'services',
  'services.loadbalancers': 'services',
};
const POD_COMPUTE = /^(requests\.|limits\.)?(cpu|memory|ephemeral-storage)$/;

/** The resource whose objects a quota name counts; undefined for names the sandbox does not track. */
export function trackedResource(name: string): ResourceRef | undefined {
  const core = CORE_COUNTS[name];
  if (core) return { group: '', resource: core };
  if (POD_COMPUTE.test(name)) return { group: '', resource: 'pods' };
  if (name === 'requests.storage') return { group: '', resource: 'persistentvolumeclaims' };
  const count = /^count\/([^.]+)(?:\.(.+))?$/.exec(name);
  return count ? { group: count[2] ?? '', resource: count[1] as string } : undefined;
}

interface Container {
  name?: string;
  resources?: { requests?: ResourceList; limits?: ResourceList };
}

const podContainers = (pod: KubeObject) =>
  ((pod.spec as { containers?: Container[] } | undefined)?.containers ?? []) as Container[];

/** A pod counts until it has finished (Succeeded or Failed), as the pod evaluator decides. */
const counts = (object: KubeObject) => {
  const phase = (object.status as { phase?: string } | undefined)?.phase;
  return !(object.kind === 'Pod' && (phase === 'Succeeded' || phase === 'Failed'));
};

/** How much of quota resource `name` one object of `ref` uses. */
export function usageOf(name: string, ref: ResourceRef, object: KubeObject): number {
  if (!counts(object)) return 0;
  if (name.startsWith('count/') || CORE_COUNTS[name] === ref.resource) {
    if (name === 'services.nodeports') {
      const spec = (object.spec ?? {}) as { type?: string; ports?: unknown[] };
      return spec.type === 'NodePort' || spec.type === 'LoadBalancer' ? (spec.ports ?? []).length : 0;
    }
    if (name === 'services.loadbalancers')
      return (object.spec as { type?: string } | undefined)?.type === 'LoadBalancer' ? 1 : 0;
    return 1;
  }
  const compute = POD_COMPUTE.exec(name);
  if (compute && object.kind === 'Pod') {
    const side = compute[1] === 'limits.' ? 'limits' : 'requests';
    const resource = compute[2] as string;
    return podContainers(object).reduce(
      (sum, container) => sum + parseQuantity(container.resources?.[side]?.[resource]),
      0,
    );
  }
  if (name === 'requests.storage' && object.kind === 'PersistentVolumeClaim')
    return parseQuantity(
      (object.spec as { resources?: { requests?: ResourceList } } | undefined)?.resources?.requests?.storage,
    );
  return 0;
}

/** The compute resources each container must state under a quota that limits them: resource → container names. */
export function missingCompute(pod: KubeObject, hard: string[]): Map<string, string[]> {
  const missing = new Map<string, string[]>();
  for (const name of hard.filter((each) => POD_COMPUTE.test(each) && !each.includes('ephemeral'))) {
    const compute = POD_COMPUTE.exec(name) as RegExpExecArray;
    const side = compute[1] === 'limits.' ? 'limits' : 'requests';
    const lacking = podContainers(pod)
      .filter((container) => container.resources?.[side]?.[compute[2] as string] === undefined)
      .map((container) => container.name ?? '');
    if (lacking.length) missing.set(name, lacking.sort());
  }
  return missing;
}

/** The namespace's use of each of `names`, from its objects as `list` returns them. */
export function namespaceUsage(
  names: string[],
  list: (ref: ResourceRef) => KubeObject[],
): Record<string, number> {
  const used: Record<string, number> = {};
  const cache = new Map<string, KubeObject[]>();
  for (const name of names) {
    const ref = trackedResource(name);
    if (!ref) continue;
    const key = `${ref.group}/${ref.resource}`;
    if (!cache.has(key)) cache.set(key, list(ref));
    used[name] = (cache.get(key) ?? []).reduce((sum, object) => sum + usageOf(name, ref, object), 0);
  }
  return used;
}
