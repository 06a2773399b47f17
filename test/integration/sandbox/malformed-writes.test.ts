// Property test: whatever body a write path gets (create, update, each patch type, apply), the sandbox answers a
// Status below 500 and keeps serving. Bodies are generated: JSON of any shape, `null`, truncated objects, and
// ConfigMaps and Pods with fields of the wrong type.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { type RunningSandbox, startSandbox } from '../../../server/sandbox/index.ts';
import { fetchTrusting } from '../../support/https-fetch.ts';

let sandbox: RunningSandbox;
before(async () => {
  sandbox = await startSandbox({
    port: 0,
    kubeconfigOut: join(mkdtempSync(join(tmpdir(), 'kubewars-malformed-')), 'config'),
    speed: 'fast',
  });
});
after(async () => sandbox?.stop());

async function call(method: string, path: string, body: string, contentType = 'application/json') {
  const response = await fetchTrusting(sandbox.caCert)(`${sandbox.url}${path}`, {
    method,
    body,
    headers: { Authorization: `Bearer ${sandbox.token}`, 'Content-Type': contentType },
  });
  return { status: response.status, text: await response.text() };
}

const namespace = '/api/v1/namespaces/default';
const validConfigMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'target' },
  data: { a: 'b' },
};
const validPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'target', labels: { app: 'x' } },
  spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] },
};

/** Replaces one field at a path with any JSON value: the shape a careless script or a fuzzer sends. */
function mutated(valid: Record<string, unknown>) {
  const paths = [
    ['metadata'],
    ['metadata', 'name'],
    ['metadata', 'labels'],
    ['metadata', 'resourceVersion'],
    ['metadata', 'ownerReferences'],
    ['kind'],
    ['apiVersion'],
    ['data'],
    ['spec'],
    ['spec', 'containers'],
    ['status'],
  ];
  return fc.tuple(fc.constantFrom(...paths), fc.jsonValue()).map(([path, value]) => {
    const copy = structuredClone(valid) as Record<string, unknown>;
    let node = copy;
    for (const key of path.slice(0, -1)) {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[path.at(-1)!] = value;
    return JSON.stringify(copy);
  });
}

const truncated = (valid: Record<string, unknown>) =>
  fc.nat().map((n) => {
    const text = JSON.stringify(valid);
    return text.slice(0, n % text.length);
  });

const bodies = (valid: Record<string, unknown>) =>
  fc.oneof(
    fc.constantFrom('null', '[]', '{}', '""', '0', 'true', '[null]', '{"metadata":null}', '{"spec":null}'),
    fc.jsonValue().map((value) => JSON.stringify(value)),
    mutated(valid),
    truncated(valid),
  );

/** JSON patches: lists of operations with generated ops, paths and values, or not a list at all. */
const jsonPatches = fc.oneof(
  fc.constantFrom('null', '{}', '[null]', '[{}]', '[{"op":"remove","path":""}]'),
  fc
    .array(
      fc.record({
        op: fc.oneof(fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test'), fc.string()),
        path: fc.oneof(
          fc.constantFrom('/metadata', '/metadata/labels/x', '/spec/containers/0', '/data'),
          fc.string(),
        ),
        from: fc.oneof(fc.constant('/metadata/name'), fc.string()),
        value: fc.jsonValue(),
      }),
      { maxLength: 4 },
    )
    .map((ops) => JSON.stringify(ops)),
);

const PATCH_TYPES = [
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const;

for (const [resource, valid] of [
  ['configmaps', validConfigMap],
  ['pods', validPod],
] as const) {
  describe(`malformed writes to ${resource}`, () => {
    const collection = `${namespace}/${resource}`;
    const item = `${collection}/target`;
    const notServerError = async (request: Promise<{ status: number; text: string }>, body: string) => {
      const { status, text } = await request;
      assert.ok(status < 500, `${status} for ${body}: ${text}`);
    };

    before(async () => {
      const created = await call('POST', collection, JSON.stringify(valid));
      assert.equal(created.status, 201, created.text);
    });

    it('create and update answer every generated body below 500', async () => {
      await fc.assert(
        fc.asyncProperty(bodies(valid), async (body) => {
          await notServerError(call('POST', collection, body), `POST ${body}`);
          await notServerError(call('PUT', item, body), `PUT ${body}`);
        }),
        { numRuns: 120 },
      );
    });

    it('every patch type and apply answer every generated body below 500, null included', async () => {
      for (const type of PATCH_TYPES) {
        const query = type.startsWith('application/apply') ? '?fieldManager=fuzz&force=true' : '';
        const nullPatch = await call('PATCH', `${item}${query}`, 'null', type);
        assert.ok(
          nullPatch.status >= 400 && nullPatch.status < 500,
          `${type} null: ${nullPatch.status} ${nullPatch.text}`,
        );
        await fc.assert(
          fc.asyncProperty(bodies(valid), async (body) => {
            await notServerError(call('PATCH', `${item}${query}`, body, type), `${type} ${body}`);
          }),
          { numRuns: 80 },
        );
      }
      await fc.assert(
        fc.asyncProperty(jsonPatches, async (body) => {
          await notServerError(
            call('PATCH', item, body, 'application/json-patch+json'),
            `json-patch ${body}`,
          );
        }),
        { numRuns: 80 },
      );
    });

    it('the server is still alive and serving', async () => {
      assert.equal((await call('GET', '/healthz', '')).status, 200);
      assert.equal((await call('GET', collection, '')).status, 200);
    });
  });
}
