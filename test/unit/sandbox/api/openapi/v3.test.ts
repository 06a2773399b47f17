import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { openApiDocuments } from '../../../../../server/sandbox/api/openapi/index.ts';
import { resources } from '../../../../../server/sandbox/registry/resources.ts';

const documents = openApiDocuments(resources, 'v1.35.0');

/** Every `$ref` anywhere in a value. */
function refs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => refs(item, found));
  else if (typeof value === 'object' && value !== null)
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') found.push(item);
      else refs(item, found);
    }
  return found;
}

describe('the OpenAPI documents', () => {
  test('are built once per resource table and version', () => {
    assert.equal(openApiDocuments(resources, 'v1.35.0'), documents);
  });

  test('the v2 JSON document is the protobuf one as JSON: swagger 2.0, each reference defined', () => {
    const v2 = JSON.parse(documents.v2Json.toString()) as {
      swagger: string;
      definitions: Record<string, unknown>;
    };
    assert.equal(v2.swagger, '2.0');
    for (const ref of new Set(refs(v2))) assert.ok(v2.definitions[ref.slice('#/definitions/'.length)], ref);
  });

  test('each v3 document holds every schema it refers to, and the index names it with its SHA-512', () => {
    const index = JSON.parse(documents.v3Index.toString()) as {
      paths: Record<string, { serverRelativeURL: string }>;
    };
    assert.equal(documents.v3.size, Object.keys(index.paths).length);
    for (const [path, body] of documents.v3) {
      const hash = createHash('sha512').update(body).digest('hex').toUpperCase();
      assert.equal(index.paths[path]?.serverRelativeURL, `/openapi/v3/${path}?hash=${hash}`);
      const document = JSON.parse(body.toString()) as {
        openapi: string;
        components: { schemas: Record<string, unknown> };
      };
      assert.equal(document.openapi, '3.0.0');
      for (const ref of new Set(refs(document))) {
        assert.ok(ref.startsWith('#/components/schemas/'), ref);
        assert.ok(document.components.schemas[ref.slice('#/components/schemas/'.length)], `${path}: ${ref}`);
      }
    }
  });

  test('a v3 reference with a description is wrapped in allOf, as v3 ignores the siblings of $ref', () => {
    const core = JSON.parse(documents.v3.get('api/v1')?.toString() ?? '{}') as {
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    assert.deepEqual(core.components.schemas['io.k8s.api.core.v1.Pod']?.properties.spec, {
      allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodSpec' }],
      description: 'What the pod should run: containers, volumes, restart policy, scheduling constraints.',
    });
  });
});
