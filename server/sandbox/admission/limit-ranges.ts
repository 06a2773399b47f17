// The LimitRanger admission plugin for pods: containers get the namespace's default requests and limits where they
// set none, then every Container and Pod limit (min, max, maxLimitRequestRatio) is checked, with its messages.
import type { KubeObject, ResourceInfo } from '../types.ts';
import { admissionForbidden } from './refusal.ts';
import { formatQuantity, parseQuantity } from './quantities.ts';

type ResourceList = Record<string, string | number>;

interface LimitRangeItem {
  type?: string;
  max?: ResourceList;
  min?: ResourceList;
  default?: ResourceList;
  defaultRequest?: ResourceList;
  maxLimitRequestRatio?: ResourceList;
}

interface Container {
  name?: string;
  resources?: { requests?: ResourceList; limits?: ResourceList };
}

const itemsOf = (range: KubeObject) =>
  ((range.spec as { limits?: LimitRangeItem[] } | undefined)?.limits ?? []) as LimitRangeItem[];

/**
 * The LimitRange's own defaults, as the apiserver stores it: a Container item's default limit is its max, its
 * default request its default limit, else its min.
 */
export function defaultLimitRangeSpec(spec: Record<string, unknown>): void {
  for (const item of (spec.limits ?? []) as LimitRangeItem[]) {
    if (item.type !== 'Container') continue;
    const limits = (item.default = { ...item.default });
    const requests = (item.defaultRequest = { ...item.defaultRequest });
    for (const [key, value] of Object.entries(item.max ?? {})) limits[key] ??= value;
    for (const [key, value] of Object.entries(limits)) requests[key] ??= value;
    for (const [key, value] of Object.entries(item.min ?? {})) requests[key] ??= value;
    if (Object.keys(limits).length === 0) delete item.default;
    if (Object.keys(requests).length === 0) delete item.defaultRequest;
  }
}

function containersOf(pod: KubeObject): Container[] {
  const spec = (pod.spec ?? {}) as { containers?: Container[]; initContainers?: Container[] };
  return [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
}

function applyContainerDefaults(pod: KubeObject, item: LimitRangeItem): void {
  for (const container of containersOf(pod)) {
    const resources = (container.resources ??= {});
    for (const [key, value] of Object.entries(item.default ?? {}))
      if (resources.limits?.[key] === undefined) resources.limits = { ...resources.limits, [key]: value };
    for (const [key, value] of Object.entries(item.defaultRequest ?? {}))
      if (resources.requests?.[key] === undefined)
        resources.requests = { ...resources.requests, [key]: value };
  }
}

const shown = (value: string | number) => String(value);

/** The apiserver's min/max/ratio checks of one request/limit pair against one limit range item. */
function violations(
  kind: 'Container' | 'Pod',
  item: LimitRangeItem,
  requests: ResourceList,
  limits: ResourceList,
): string[] {
  const found: string[] = [];
  for (const [resource, min] of Object.entries(item.min ?? {})) {
    const request = requests[resource];
    if (request === undefined)
      found.push(`minimum ${resource} usage per ${kind} is ${shown(min)}.  No request is specified`);
    else if (parseQuantity(request) < parseQuantity(min))
      found.push(`minimum ${resource} usage per ${kind} is ${shown(min)}, but request is ${shown(request)}`);
  }
  for (const [resource, max] of Object.entries(item.max ?? {})) {
    const limit = limits[resource];
    if (limit === undefined)
      found.push(`maximum ${resource} usage per ${kind} is ${shown(max)}.  No limit is specified`);
    else if (parseQuantity(limit) > parseQuantity(max))
      found.push(`maximum ${resource} usage per ${kind} is ${shown(max)}, but limit is ${shown(limit)}`);
  }
  for (const [resource, ratio] of Object.entries(item.maxLimitRequestRatio ?? {})) {
    const request = parseQuantity(requests[resource]);
    const limit = limits[resource];
    if (limit === undefined) {
      found.push(
        `${resource} max limit to request ratio per ${kind} is ${shown(ratio)}, but no limit is specified`,
      );
    } else if (request === 0) {
      found.push(
        `${resource} max limit to request ratio per ${kind} is ${shown(ratio)}, but no request is specified or request is 0`,
      );
    } else if (parseQuantity(limit) / request > parseQuantity(ratio)) {
      found.push(
        `${resource} max limit to request ratio per ${kind} is ${shown(ratio)}, but provided ratio is ${(parseQuantity(limit) / request).toFixed(6)}`,
      );
    }
  }
  return found;
}

/** Sums of the pod's containers' requests and limits, for Pod items. */
function podTotals(pod: KubeObject): { requests: ResourceList; limits: ResourceList } {
  const requests: Record<string, number> = {};
  const limits: Record<string, number> = {};
  for (const container of (pod.spec as { containers?: Container[] }).containers ?? []) {
    for (const [key, value] of Object.entries(container.resources?.requests ?? {}))
      requests[key] = (requests[key] ?? 0) + parseQuantity(value);
    for (const [key, value] of Object.entries(container.resources?.limits ?? {}))
      limits[key] = (limits[key] ?? 0) + parseQuantity(value);
  }
  const format = (list: Record<string, number>) =>
    Object.fromEntries(Object.entries(list).map(([key, value]) => [key, formatQuantity(key, value)]));
  return { requests: format(requests), limits: format(limits) };
}

/** Defaults, then checks, a new pod against its namespace's LimitRanges; throws the apiserver's 403. */
export function admitLimitRanges(info: ResourceInfo, pod: KubeObject, ranges: KubeObject[]): void {
  const items = ranges.flatMap(itemsOf);
  for (const item of items) if (item.type === 'Container') applyContainerDefaults(pod, item);
  const problems: string[] = [];
  for (const item of items) {
    if (item.type === 'Container') {
      for (const container of containersOf(pod))
        problems.push(
          ...violations(
            'Container',
            item,
            container.resources?.requests ?? {},
            container.resources?.limits ?? {},
          ),
        );
    } else if (item.type === 'Pod') {
      const totals = podTotals(pod);
      problems.push(...violations('Pod', item, totals.requests, totals.limits));
    }
  }
  if (problems.length === 0) return;
  const message = problems.length === 1 ? problems[0] : `[${problems.join(', ')}]`;
  throw admissionForbidden(info, pod.metadata.name ?? '', message as string);
}
