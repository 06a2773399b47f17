// Strategic merge patch: a merge patch whose lists merge by the API's merge keys, with the $-directives kubectl sends.
import type { KubeObject } from '../types.ts';
import { PatchError } from './errors.ts';
import { isObject, own, put } from './merge-patch.ts';
import { mergeKeyFor, primitiveSet } from './merge-keys.ts';

const setElementOrder = '$setElementOrder/';
const deleteFromPrimitiveList = '$deleteFromPrimitiveList/';

/** A value taken from the patch as it is, with any directives inside it removed. */
function withoutDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDirectives);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !key.startsWith('$'))
      .map(([key, item]) => [key, withoutDirectives(item)]),
  );
}

/** How Go's %v prints a patch item (`map[image:nginx]`), for the apiserver's merge-key error. */
function goMap(value: unknown): string {
  if (!isObject(value)) return String(value);
  const entries = Object.keys(value)
    .sort()
    .map((key) => `${key}:${isObject(value[key]) ? goMap(value[key]) : String(value[key])}`);
  return `map[${entries.join(' ')}]`;
}

const patchDirectives = new Set(['replace', 'delete', 'merge']);

function checkDirective(patch: Record<string, unknown>): void {
  if (patch.$patch !== undefined && !patchDirectives.has(patch.$patch as string)) {
    throw new PatchError(`Unknown patch type: ${String(patch.$patch)}`);
  }
}

function mergeList(
  kind: string,
  path: string[],
  original: unknown,
  patch: unknown[],
  key: string,
): unknown[] {
  if (patch.some((item) => isObject(item) && item.$patch === 'replace')) {
    return patch.filter((item) => !(isObject(item) && item.$patch === 'replace')).map(withoutDirectives);
  }
  const result = Array.isArray(original) ? [...original] : [];
  for (const item of patch) {
    if (!isObject(item) || !Object.hasOwn(item, key)) {
      throw new PatchError(`map: ${goMap(item)} does not contain declared merge key: ${key}`);
    }
    const index = result.findIndex((existing) => isObject(existing) && existing[key] === item[key]);
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) {
      result[index] = mergeValue(kind, path, result[index], item);
    } else {
      result.push(withoutDirectives(item));
    }
  }
  return result;
}

function orderBy(list: unknown[], order: unknown[], key: string | undefined): unknown[] {
  const identity = (item: unknown) => (key && isObject(item) ? item[key] : item);
  const wanted = order.map((item) => identity(item));
  const rank = (item: unknown) => {
    const position = wanted.indexOf(identity(item));
    return position < 0 ? wanted.length : position;
  };
  return [...list].sort((a, b) => rank(a) - rank(b));
}

function mergeValue(kind: string, path: string[], original: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return withoutDirectives(patch);
  checkDirective(patch);
  if (patch.$patch === 'replace') return withoutDirectives(patch);
  const result: Record<string, unknown> = isObject(original) ? { ...original } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    const childPath = [...path, key];
    if (value === null) {
      delete result[key];
    } else if (isObject(value) && value.$patch === 'delete') {
      delete result[key];
    } else if (Array.isArray(value)) {
      const mergeKey = mergeKeyFor(kind, childPath);
      if (mergeKey === primitiveSet) {
        const current = own(result, key);
        const existing = Array.isArray(current) ? current : [];
        put(result, key, [...existing, ...value.filter((item) => !existing.includes(item))]);
      } else if (mergeKey) {
        put(result, key, mergeList(kind, childPath, own(result, key), value, mergeKey));
      } else {
        put(result, key, withoutDirectives(value));
      }
    } else {
      put(result, key, mergeValue(kind, childPath, own(result, key), value));
    }
  }
  for (const [directive, value] of Object.entries(patch)) {
    if (directive.startsWith(deleteFromPrimitiveList) && Array.isArray(value)) {
      const field = directive.slice(deleteFromPrimitiveList.length);
      const list = own(result, field);
      if (Array.isArray(list))
        put(
          result,
          field,
          list.filter((v) => !value.includes(v)),
        );
    } else if (directive.startsWith(setElementOrder) && Array.isArray(value)) {
      const field = directive.slice(setElementOrder.length);
      const mergeKey = mergeKeyFor(kind, [...path, field]);
      const list = own(result, field);
      if (Array.isArray(list))
        put(result, field, orderBy(list, value, typeof mergeKey === 'string' ? mergeKey : undefined));
    }
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as string[]);
    for (const key of Object.keys(result)) if (!keep.has(key)) delete result[key];
  }
  return result;
}

export function applyStrategicMergePatch(original: KubeObject, patch: unknown): KubeObject {
  if (!isObject(patch)) throw new PatchError('a strategic merge patch must be a JSON object');
  return mergeValue(original.kind, [], original, patch) as KubeObject;
}
