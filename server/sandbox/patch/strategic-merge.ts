// Strategic merge patch: a merge patch whose lists merge by the API's merge keys, with the $-directives kubectl sends.
import type { KubeObject } from '../types.ts';
import { PatchError } from './errors.ts';
import { isObject } from './merge-patch.ts';
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
    if (!isObject(item))
      throw new PatchError(`the list ${path.join('.')} merges by "${key}": items must be objects`);
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
        const existing = Array.isArray(result[key]) ? (result[key] as unknown[]) : [];
        result[key] = [...existing, ...value.filter((item) => !existing.includes(item))];
      } else if (mergeKey) {
        result[key] = mergeList(kind, childPath, result[key], value, mergeKey);
      } else {
        result[key] = withoutDirectives(value);
      }
    } else {
      result[key] = mergeValue(kind, childPath, result[key], value);
    }
  }
  for (const [directive, value] of Object.entries(patch)) {
    if (directive.startsWith(deleteFromPrimitiveList) && Array.isArray(value)) {
      const field = directive.slice(deleteFromPrimitiveList.length);
      if (Array.isArray(result[field]))
        result[field] = (result[field] as unknown[]).filter((v) => !value.includes(v));
    } else if (directive.startsWith(setElementOrder) && Array.isArray(value)) {
      const field = directive.slice(setElementOrder.length);
      const mergeKey = mergeKeyFor(kind, [...path, field]);
      if (Array.isArray(result[field])) {
        result[field] = orderBy(
          result[field] as unknown[],
          value,
          typeof mergeKey === 'string' ? mergeKey : undefined,
        );
      }
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
