import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildOpenApiV2 } from '../../../../../server/sandbox/api/openapi/document.ts';
import type { Schema } from '../../../../../server/sandbox/api/openapi/definitions.ts';
import { mergeKeyFor, primitiveSet, type MergeKey } from '../../../../../server/sandbox/patch/merge-keys.ts';
import { resources } from '../../../../../server/sandbox/registry/resources.ts';
import { fieldIssues, valueTree } from '../../../../../server/sandbox/validation-fields/index.ts';

const { definitions } = buildOpenApiV2(resources, 'v1.35.0');
const resolve = (schema: Schema): Schema =>
  schema.$ref ? (definitions[schema.$ref.slice('#/definitions/'.length)] as Schema) : schema;

/** Every list field reachable from a kind, with its path from the root (no indexes) and its merge rule. */
function lists(kind: Schema): { path: string[]; key: MergeKey }[] {
  const found: { path: string[]; key: MergeKey }[] = [];
  const walk = (schema: Schema, path: string[], seen: ReadonlySet<Schema>) => {
    const object = resolve(schema);
    if (seen.has(object) || path.length > 12) return;
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      const at = [...path, name];
      if (property.type === 'array') {
        const strategy = property['x-kubernetes-patch-strategy'];
        const key = property['x-kubernetes-patch-merge-key'] ?? (strategy ? primitiveSet : undefined);
        found.push({ path: at, key });
        if (property.items) walk(property.items, at, new Set([...seen, object]));
      } else if (property.$ref) walk(property, at, new Set([...seen, object]));
    }
  };
  walk(kind, [], new Set());
  return found;
}

describe('the OpenAPI schemas', () => {
  // One way: the sandbox's patch table is walked by path and leaves out lists inside nested object metadata.
  test("wherever the sandbox's strategic merge patch merges a list by key, the schema names that key", () => {
    for (const r of resources) {
      const name = `io.k8s.api.${r.group ? r.group.split('.')[0] : 'core'}.${r.version}.${r.kind}`;
      const kind = definitions[name] as Schema;
      if (!kind.properties) continue;
      for (const { path, key } of lists(kind)) {
        const merged = mergeKeyFor(r.kind, path);
        if (merged !== undefined) assert.equal(key, merged, `${r.kind} ${path.join('.')}`);
      }
    }
  });

  test('a manifest with every field the schema lists passes field validation: both read one table', () => {
    const example = (schema: Schema, depth: number, seen: ReadonlySet<Schema>): unknown => {
      const object = resolve(schema);
      if (object.type === 'array') return object.items ? [example(object.items, depth, seen)] : [];
      if (object.type !== 'object' || !object.properties || seen.has(object) || depth > 6) return undefined;
      return Object.fromEntries(
        Object.entries(object.properties).map(([field, property]) => [
          field,
          example(property, depth + 1, new Set([...seen, object])),
        ]),
      );
    };
    const pod = example(definitions['io.k8s.api.core.v1.Pod'] as Schema, 0, new Set());
    assert.deepEqual(fieldIssues(valueTree(pod, true), 'v1', 'Pod'), []);
    const typo = { ...(pod as object), spec: { contianers: [] } };
    assert.deepEqual(fieldIssues(valueTree(typo, true), 'v1', 'Pod'), [
      { problem: 'unknown', path: 'spec.contianers' },
    ]);
  });
});
