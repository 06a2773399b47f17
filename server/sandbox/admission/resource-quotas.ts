// The ResourceQuota admission plugin at creation: an object that would take its namespace past a quota's hard
// limit is refused ("exceeded quota: …"), and so is a pod that leaves unstated a compute resource a quota limits.
import type { KubeObject, ResourceInfo, ResourceRef } from '../types.ts';
import { formatQuantity, parseQuantity } from './quantities.ts';
import { missingCompute, namespaceUsage, trackedResource, usageOf } from './quota-usage.ts';
import { admissionForbidden } from './refusal.ts';

const hardOf = (quota: KubeObject) =>
  ((quota.spec as { hard?: Record<string, string | number> } | undefined)?.hard ?? {}) as Record<
    string,
    string | number
  >;

/** Quota's prettyPrint: `name=quantity` pairs in name order, comma-separated. */
const pretty = (names: string[], values: Record<string, number>) =>
  names.map((name) => `${name}=${formatQuantity(name, values[name] ?? 0)}`).join(',');

/** Throws the apiserver's 403 when creating `object` would break one of `quotas`. */
export function admitQuotas(
  info: ResourceInfo,
  object: KubeObject,
  quotas: KubeObject[],
  list: (ref: ResourceRef) => KubeObject[],
): void {
  const name = object.metadata.name ?? '';
  const sorted = [...quotas].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
  for (const quota of sorted) {
    const hard = hardOf(quota);
    const names = Object.keys(hard)
      .filter((each) => {
        const ref = trackedResource(each);
        return ref?.group === info.group && ref.resource === info.resource;
      })
      .sort();
    if (names.length === 0) continue;
    if (object.kind === 'Pod') {
      const missing = missingCompute(object, names);
      if (missing.size) {
        const parts = [...missing].map(
          ([resource, containers]) => `${resource} for: ${containers.join(',')}`,
        );
        throw admissionForbidden(
          info,
          name,
          `failed quota: ${quota.metadata.name}: must specify ${parts.join('; ')}`,
        );
      }
    }
    const requested = Object.fromEntries(names.map((each) => [each, usageOf(each, info, object)]));
    const used = namespaceUsage(names, list);
    const limited = Object.fromEntries(names.map((each) => [each, parseQuantity(hard[each])]));
    const exceeded = names.filter(
      (each) =>
        (requested[each] ?? 0) > 0 && (used[each] ?? 0) + (requested[each] ?? 0) > (limited[each] ?? 0),
    );
    if (exceeded.length) {
      throw admissionForbidden(
        info,
        name,
        `exceeded quota: ${quota.metadata.name}, requested: ${pretty(exceeded, requested)}, used: ${pretty(exceeded, used)}, limited: ${pretty(exceeded, limited)}`,
      );
    }
  }
}
