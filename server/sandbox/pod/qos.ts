// A pod's QoS class, as the apiserver sets it at creation (qos.ComputePodQOS).
import type { KubeObject } from '../types.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const COMPUTE = ['cpu', 'memory'];

/**
 * Only cpu and memory count, over init and app containers; Guaranteed needs both limited everywhere with requests
 * equal to limits.
 */
export function podQosClass(pod: KubeObject): string {
  const spec = isObj(pod.spec) ? pod.spec : {};
  const containers = ['initContainers', 'containers']
    .flatMap((list) => (Array.isArray(spec[list]) ? (spec[list] as unknown[]) : []))
    .filter(isObj);
  const amounts = (c: Obj, key: 'requests' | 'limits'): Obj => {
    const resources = isObj(c.resources) ? c.resources : {};
    const values = isObj(resources[key]) ? resources[key] : {};
    return Object.fromEntries(COMPUTE.filter((r) => values[r] !== undefined).map((r) => [r, values[r]]));
  };
  const any = containers.some(
    (c) => Object.keys(amounts(c, 'requests')).length || Object.keys(amounts(c, 'limits')).length,
  );
  if (!any) return 'BestEffort';
  const guaranteed = containers.every((c) => {
    const limits = amounts(c, 'limits');
    // An unset request defaults to its limit.
    const requests = { ...limits, ...amounts(c, 'requests') };
    return COMPUTE.every((r) => limits[r] !== undefined && String(requests[r]) === String(limits[r]));
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
