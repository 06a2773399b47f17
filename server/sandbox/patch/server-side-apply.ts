// Server-side apply: merge an applied configuration into the live object, track which manager applied which
// fields in metadata.managedFields, drop fields a manager stopped applying, and refuse to take fields another
// manager applied with a different value unless forced.
import type { KubeObject } from '../types.ts';
import { isObject } from './merge-patch.ts';
import { mergeKeyFor } from './merge-keys.ts';
import { applyStrategicMergePatch } from './strategic-merge.ts';

export interface ApplyConflict {
  manager: string;
  field: string;
}

export class ApplyConflictError extends Error {
  constructor(readonly conflicts: ApplyConflict[]) {
    const list = conflicts.map((c) => `conflict with "${c.manager}": ${c.field}`).join('\n- ');
    super(
      conflicts.length === 1
        ? `Apply failed with 1 conflict: ${list}`
        : `Apply failed with ${conflicts.length} conflicts: \n- ${list}`,
    );
  }
}

interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
}

/** A field path: `f:<name>` for map keys, `k:<json>` for list items found by their merge key. */
type FieldPath = string[];

const identityFields = new Set(['apiVersion', 'kind']);
const identityMetadata = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'managedFields']);

function leafPaths(kind: string, value: unknown, mapPath: string[], path: FieldPath, out: FieldPath[]): void {
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) {
      if (path.length === 0 && identityFields.has(key)) continue;
      if (path.length === 1 && path[0] === 'f:metadata' && identityMetadata.has(key)) continue;
      leafPaths(kind, child, [...mapPath, key], [...path, `f:${key}`], out);
    }
    return;
  }
  const mergeKey = mergeKeyFor(kind, mapPath);
  if (Array.isArray(value) && typeof mergeKey === 'string') {
    // The list itself is owned too, so a list the manager stops applying goes away whole.
    out.push(path);
    for (const item of value) {
      if (!isObject(item)) continue;
      const itemPath = [...path, `k:${JSON.stringify({ [mergeKey]: item[mergeKey] })}`];
      out.push(itemPath);
      leafPaths(kind, item, mapPath, itemPath, out);
    }
    return;
  }
  if (path.length > 0) out.push(path);
}

function toFieldsV1(paths: FieldPath[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const path of paths) {
    let node = root;
    for (const segment of path) node = (node[segment] ??= {}) as Record<string, unknown>;
    node['.'] = {};
  }
  return root;
}

function fromFieldsV1(
  fields: Record<string, unknown>,
  prefix: FieldPath = [],
  out: FieldPath[] = [],
): FieldPath[] {
  for (const [segment, child] of Object.entries(fields)) {
    if (segment === '.') out.push(prefix);
    else fromFieldsV1(child as Record<string, unknown>, [...prefix, segment], out);
  }
  return out;
}

function locate(object: unknown, path: FieldPath): { parent: unknown; key: string | number } | undefined {
  let node: unknown = object;
  for (let index = 0; index < path.length; index++) {
    const segment = path[index] as string;
    let key: string | number;
    if (segment.startsWith('f:')) {
      if (!isObject(node)) return undefined;
      key = segment.slice(2);
    } else {
      if (!Array.isArray(node)) return undefined;
      const [field, wanted] =
        Object.entries(JSON.parse(segment.slice(2)) as Record<string, unknown>)[0] ?? [];
      key = node.findIndex((item) => isObject(item) && item[field as string] === wanted);
      if (key < 0) return undefined;
    }
    if (index === path.length - 1) return { parent: node, key };
    node = (node as Record<string | number, unknown>)[key];
  }
  return undefined;
}

function valueAt(object: unknown, path: FieldPath): unknown {
  const found = locate(object, path);
  return found ? (found.parent as Record<string | number, unknown>)[found.key] : undefined;
}

function removeAt(object: unknown, path: FieldPath): void {
  const found = locate(object, path);
  if (!found) return;
  if (Array.isArray(found.parent)) found.parent.splice(found.key as number, 1);
  else delete (found.parent as Record<string, unknown>)[found.key as string];
}

const pathText = (path: FieldPath) =>
  path
    .map((segment) => (segment.startsWith('f:') ? `.${segment.slice(2)}` : `[${segment.slice(2)}]`))
    .join('');

export function applyServerSidePatch(
  live: KubeObject | undefined,
  applied: KubeObject,
  options: { manager: string; force: boolean; now: string },
): KubeObject {
  const entries = ((live?.metadata.managedFields ?? []) as ManagedFieldsEntry[]).filter(isObject);
  const appliedPaths: FieldPath[] = [];
  leafPaths(applied.kind, applied, [], [], appliedPaths);
  const appliedKeys = new Set(appliedPaths.map((path) => JSON.stringify(path)));

  const conflicts: ApplyConflict[] = [];
  const others = entries.filter((entry) => entry.manager !== options.manager);
  for (const entry of others) {
    for (const path of fromFieldsV1(entry.fieldsV1 ?? {})) {
      if (!appliedKeys.has(JSON.stringify(path)) || !live) continue;
      const liveValue = valueAt(live, path);
      const newValue = valueAt(applied, path);
      if (isObject(newValue) || Array.isArray(newValue)) continue;
      if (JSON.stringify(liveValue) !== JSON.stringify(newValue))
        conflicts.push({ manager: entry.manager, field: pathText(path) });
    }
  }
  if (conflicts.length > 0 && !options.force) throw new ApplyConflictError(conflicts);

  const merged = structuredClone(live ? applyStrategicMergePatch(live, applied) : applied);
  // Fields this manager applied last time and no longer applies are removed, unless another manager owns them.
  const previous = entries.find((entry) => entry.manager === options.manager && entry.operation === 'Apply');
  const ownedByOthers = new Set(
    others.flatMap((entry) => fromFieldsV1(entry.fieldsV1 ?? {}).map((p) => JSON.stringify(p))),
  );
  for (const path of previous ? fromFieldsV1(previous.fieldsV1) : []) {
    const key = JSON.stringify(path);
    if (!appliedKeys.has(key) && !ownedByOthers.has(key)) removeAt(merged, path);
  }

  const forcedAway = new Set(conflicts.map((conflict) => conflict.field));
  const remaining = others
    .map((entry) => ({
      ...entry,
      fieldsV1: toFieldsV1(
        fromFieldsV1(entry.fieldsV1 ?? {}).filter((path) => !forcedAway.has(pathText(path))),
      ),
    }))
    .filter((entry) => Object.keys(entry.fieldsV1).length > 0);
  const own: ManagedFieldsEntry = {
    manager: options.manager,
    operation: 'Apply',
    apiVersion: applied.apiVersion,
    time: options.now,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(appliedPaths),
  };
  merged.metadata = { ...merged.metadata, managedFields: [...remaining, own] };
  return merged;
}
