import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openApiDocuments } from '../../../../../server/sandbox/api/openapi/index.ts';
import { resources } from '../../../../../server/sandbox/registry/resources.ts';
import type { DecodedParameter } from './reader.ts';
import { all, extensions, flag, named, one, parameter, text, texts } from './reader.ts';

const bytes = openApiDocuments(resources, 'v1.35.0').v2Protobuf;
const paths = new Map(named(one(bytes, 8) ?? new Uint8Array(), 2));
const definitions = new Map(named(one(bytes, 9) ?? new Uint8Array(), 1));

const operationFields = { get: 2, put: 3, post: 4, delete: 5, patch: 8 } as const;
type Method = keyof typeof operationFields;

const operation = (path: string, method: Method) => {
  const item = paths.get(path);
  return item && one(item, operationFields[method]);
};
const methodsOf = (path: string) =>
  (Object.keys(operationFields) as Method[]).filter((method) => operation(path, method)).sort();
const parametersOf = (op: Uint8Array): DecodedParameter[] => all(op, 8).map(parameter);
const gvkOf = (op: Uint8Array) => extensions(op, 13)['x-kubernetes-group-version-kind'];
const actionOf = (op: Uint8Array) => extensions(op, 13)['x-kubernetes-action'];

const prefixOf = (r: (typeof resources)[number]) =>
  r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
const collectionOf = (r: (typeof resources)[number]) =>
  r.namespaced ? `${prefixOf(r)}/namespaces/{namespace}/${r.resource}` : `${prefixOf(r)}/${r.resource}`;

/** kubectl 1.20's rule, restated: the first path whose PATCH names the kind decides, by its dryRun query parameter. */
function supportsDryRun(gvk: { group: string; version: string; kind: string }): boolean | 'not found' {
  for (const [path] of paths) {
    const patch = operation(path, 'patch');
    if (!patch) continue;
    const named = gvkOf(patch) as Record<string, string> | undefined;
    if (named?.group !== gvk.group || named.version !== gvk.version || named.kind !== gvk.kind) continue;
    return parametersOf(patch).some((p) => p.in === 'query' && p.name === 'dryRun');
  }
  return 'not found';
}

/** Every `$ref` in body parameters and responses. */
function references(): string[] {
  const refs: string[] = [];
  for (const [path] of paths) {
    for (const method of methodsOf(path)) {
      const op = operation(path, method) as Uint8Array;
      for (const p of parametersOf(op)) if (p.ref) refs.push(p.ref);
      for (const [, value] of named(one(op, 9) ?? new Uint8Array(), 1)) {
        const schema = one(one(one(value, 1) ?? new Uint8Array(), 2) ?? new Uint8Array(), 1);
        const ref = schema && text(schema, 1);
        if (ref) refs.push(ref);
      }
    }
  }
  return refs;
}

describe('the sandbox OpenAPI v2 document', () => {
  test('says swagger 2.0 and names the Kubernetes version it was built for', () => {
    assert.equal(text(bytes, 1), '2.0');
    const info = one(bytes, 2) as Uint8Array;
    assert.deepEqual([text(info, 1), text(info, 2)], ['Kubernetes', 'v1.35.0']);
  });

  test('every resource has collection and item paths with exactly the operations its verbs allow', () => {
    for (const r of resources) {
      const collection = collectionOf(r);
      const has = (verb: string) => r.verbs.includes(verb);
      const expectedCollection = [
        ...(has('deletecollection') ? ['delete'] : []),
        ...(has('list') ? ['get'] : []),
        ...(has('create') ? ['post'] : []),
      ];
      const expectedItem = [
        ...(has('delete') ? ['delete'] : []),
        ...(has('get') ? ['get'] : []),
        ...(has('patch') ? ['patch'] : []),
        ...(has('update') ? ['put'] : []),
      ];
      assert.deepEqual(methodsOf(collection), expectedCollection, collection);
      assert.deepEqual(methodsOf(`${collection}/{name}`), expectedItem, `${collection}/{name}`);
      if (r.namespaced && has('list')) assert.deepEqual(methodsOf(`${prefixOf(r)}/${r.resource}`), ['get']);
    }
    // Bindings are create-only; namespaces cannot be deleted as a collection.
    assert.equal(paths.has('/api/v1/namespaces/{namespace}/bindings/{name}'), false);
    assert.deepEqual(methodsOf('/api/v1/namespaces'), ['get', 'post']);
    assert.deepEqual(methodsOf('/api/v1/namespaces/{name}/finalize'), ['put']);
  });

  test('every operation names its group/version/kind and action', () => {
    const pod = { group: '', version: 'v1', kind: 'Pod' };
    const item = '/api/v1/namespaces/{namespace}/pods/{name}';
    assert.deepEqual(gvkOf(operation(item, 'patch') as Uint8Array), pod);
    assert.equal(actionOf(operation(item, 'patch') as Uint8Array), 'patch');
    assert.equal(actionOf(operation('/api/v1/namespaces/{namespace}/pods', 'get') as Uint8Array), 'list');
    assert.equal(
      actionOf(operation('/api/v1/namespaces/{namespace}/pods', 'delete') as Uint8Array),
      'deletecollection',
    );
    assert.equal(
      text(operation('/apis/apps/v1/deployments', 'get') as Uint8Array, 5),
      'listAppsV1DeploymentForAllNamespaces',
    );
    for (const [path] of paths) {
      for (const method of methodsOf(path)) {
        const op = operation(path, method) as Uint8Array;
        const gvk = gvkOf(op) as Record<string, unknown>;
        assert.deepEqual(Object.keys(gvk).sort(), ['group', 'kind', 'version'], `${method} ${path}`);
        assert.ok(
          ['get', 'list', 'post', 'put', 'patch', 'delete', 'deletecollection'].includes(
            actionOf(op) as string,
          ),
        );
      }
    }
  });

  test("every served kind passes kubectl 1.20's server dry-run check", () => {
    for (const r of resources) {
      const gvk = { group: r.group, version: r.version, kind: r.kind };
      // Bindings have no PATCH: kubectl 1.20 cannot dry-run them against a real apiserver either.
      assert.equal(supportsDryRun(gvk), r.verbs.includes('patch') ? true : 'not found', r.kind);
    }
  });

  test('writes take dryRun, fieldManager and fieldValidation; deletes take dryRun and a propagation policy', () => {
    for (const [path] of paths) {
      for (const method of methodsOf(path)) {
        const op = operation(path, method) as Uint8Array;
        const names = parametersOf(op)
          .filter((p) => p.in === 'query')
          .map((p) => p.name);
        const action = actionOf(op);
        if (action === 'post' || action === 'put' || action === 'patch') {
          for (const name of ['dryRun', 'fieldManager', 'fieldValidation'])
            assert.ok(names.includes(name), `${name}: ${method} ${path}`);
          assert.equal(
            parametersOf(op).filter((p) => p.in === 'body' && p.required).length,
            1,
            `${method} ${path}`,
          );
        }
        if (action === 'delete' || action === 'deletecollection') {
          assert.ok(names.includes('dryRun') && names.includes('propagationPolicy'), `${method} ${path}`);
        }
        if (action === 'list') assert.ok(names.includes('watch') && names.includes('labelSelector'));
      }
    }
    const itemParameters = all(
      paths.get('/apis/apps/v1/namespaces/{namespace}/deployments/{name}') as Uint8Array,
      9,
    ).map(parameter);
    assert.deepEqual(
      itemParameters.map((p) => [p.in, p.name, p.required]),
      [
        ['path', 'name', true],
        ['path', 'namespace', true],
        ['query', 'pretty', false],
      ],
    );
  });

  test('subresources carry the kind their requests and answers have', () => {
    const deployment = '/apis/apps/v1/namespaces/{namespace}/deployments/{name}';
    assert.deepEqual(gvkOf(operation(`${deployment}/scale`, 'patch') as Uint8Array), {
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
    });
    assert.deepEqual(gvkOf(operation(`${deployment}/status`, 'put') as Uint8Array), {
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
    });
    const pod = '/api/v1/namespaces/{namespace}/pods/{name}';
    assert.deepEqual(methodsOf(`${pod}/log`), ['get']);
    assert.deepEqual(texts(operation(`${pod}/log`, 'get') as Uint8Array, 6), ['text/plain']);
    assert.deepEqual(gvkOf(operation(`${pod}/eviction`, 'post') as Uint8Array), {
      group: 'policy',
      version: 'v1',
      kind: 'Eviction',
    });
    assert.deepEqual(methodsOf(`${pod}/binding`), ['post']);
  });

  test('no operation lists consumes', () => {
    for (const [path] of paths) {
      for (const method of methodsOf(path)) {
        assert.deepEqual(all(operation(path, method) as Uint8Array, 7), [], `${method} ${path}`);
      }
    }
  });

  test('every reference resolves to a definition named like the apiserver names it', () => {
    const refs = references();
    assert.ok(refs.includes('#/definitions/io.k8s.api.core.v1.Pod'));
    assert.ok(refs.includes('#/definitions/io.k8s.api.rbac.v1.RoleBinding'));
    assert.ok(refs.includes('#/definitions/io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler'));
    assert.ok(refs.includes('#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions'));
    for (const ref of new Set(refs)) {
      assert.ok(ref.startsWith('#/definitions/'), ref);
      assert.ok(definitions.has(ref.slice('#/definitions/'.length)), `${ref} is defined`);
    }
  });

  test('a kind with a schema is a closed object tagged with its group/version/kind; one without stays open and untagged', () => {
    for (const r of resources) {
      const name = `io.k8s.api.${r.group ? r.group.split('.')[0] : 'core'}.${r.version}.${r.kind}`;
      const schema = definitions.get(name);
      assert.ok(schema, name);
      const gvks = extensions(schema, 31)['x-kubernetes-group-version-kind'];
      if (one(schema, 25)) {
        assert.deepEqual(gvks, [{ group: r.group, version: r.version, kind: r.kind }], name);
        assert.equal(one(schema, 21), undefined, `${name} takes no additional properties`);
      } else {
        // kubectl 1.20 would otherwise compute apply patches from a schema without merge keys, and warn.
        assert.equal(gvks, undefined, name);
        assert.equal(flag(one(schema, 21) ?? new Uint8Array(), 2), true, `${name} is open`);
      }
    }
  });

  test('fields carry their types, references, required names, enums and list merge rules', () => {
    const properties = (definition: string) =>
      new Map(named(one(definitions.get(definition) as Uint8Array, 25) as Uint8Array, 1));
    const container = 'io.k8s.api.core.v1.Container';
    assert.deepEqual(texts(definitions.get(container) as Uint8Array, 19), ['name']);
    const containerFields = properties(container);
    assert.equal(
      text(containerFields.get('livenessProbe') as Uint8Array, 1),
      '#/definitions/io.k8s.api.core.v1.Probe',
    );
    const policy = containerFields.get('imagePullPolicy') as Uint8Array;
    assert.deepEqual(
      all(policy, 20).map((value) => JSON.parse(text(value, 2) as string) as string),
      ['Always', 'IfNotPresent', 'Never'],
    );
    const containers = properties('io.k8s.api.core.v1.PodSpec').get('containers') as Uint8Array;
    assert.deepEqual(texts(one(containers, 22) as Uint8Array, 1), ['array']);
    assert.equal(
      text(one(one(containers, 23) as Uint8Array, 1) as Uint8Array, 1),
      '#/definitions/io.k8s.api.core.v1.Container',
    );
    assert.deepEqual(extensions(containers, 31), {
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
    });
    const labels = properties('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta').get('labels') as Uint8Array;
    assert.deepEqual(texts(one(labels, 22) as Uint8Array, 1), ['object']);
    assert.deepEqual(texts(one(one(one(labels, 21) as Uint8Array, 1) as Uint8Array, 22) as Uint8Array, 1), [
      'string',
    ]);
  });
});
