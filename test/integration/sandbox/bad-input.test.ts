import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startSandbox } from '../../../server/sandbox/index.ts';
import type { RunningSandbox } from '../../../server/sandbox/index.ts';
import { fetchTrusting } from '../../support/https-fetch.ts';

let sandbox: RunningSandbox;
before(async () => {
  sandbox = await startSandbox({
    port: 0,
    kubeconfigOut: join(mkdtempSync(join(tmpdir(), 'kubewars-bad-')), 'config'),
    speed: 'fast',
  });
});
after(async () => sandbox?.stop());
const fetch = (url: string, init?: RequestInit) => fetchTrusting(sandbox.caCert)(url, init);

const call = (path: string, init: RequestInit = {}) =>
  fetch(`${sandbox.url}${path}`, {
    ...init,
    headers: {
      Authorization: `Bearer ${sandbox.token}`,
      'Content-Type': 'application/json',
      ...(init.headers ?? {}),
    },
  });

async function expectStatus(response: Response, code: number, reason: string) {
  assert.equal(response.status, code);
  assert.match(response.headers.get('content-type') ?? '', /application\/json/);
  const body = (await response.json()) as { kind: string; code: number; reason: string };
  assert.equal(body.kind, 'Status');
  assert.equal(body.code, code);
  assert.equal(body.reason, reason);
}

test('requests without the token get 401 Unauthorized, except /version and /healthz', async () => {
  await expectStatus(await fetch(`${sandbox.url}/api/v1/pods`), 401, 'Unauthorized');
  assert.equal((await fetch(`${sandbox.url}/version`)).status, 200);
  assert.equal((await fetch(`${sandbox.url}/healthz`)).status, 200);
});

test('bad requests get the Status a real apiserver returns, and the server keeps serving', async () => {
  const pods = '/api/v1/namespaces/default/pods';
  await expectStatus(await call(pods, { method: 'POST', body: '{"kind": "Pod", ' }), 400, 'BadRequest');
  await expectStatus(await call(pods, { method: 'POST', body: '[1, 2]' }), 400, 'BadRequest');
  await expectStatus(
    await call(pods, { method: 'POST', body: 'x'.repeat(3 * 1024 * 1024 + 10) }),
    413,
    'RequestEntityTooLarge',
  );
  await expectStatus(await call(`${pods}/x`, { method: 'POST', body: '{}' }), 405, 'MethodNotAllowed');
  await expectStatus(
    await call(`${pods}/x`, { method: 'PATCH', body: '{}', headers: { 'Content-Type': 'text/plain' } }),
    415,
    'UnsupportedMediaType',
  );
  await expectStatus(await call('/api/v1/widgets'), 404, 'NotFound');
  await expectStatus(await call('/not/an/api'), 404, 'NotFound');
  await expectStatus(await call(`${pods}?labelSelector=${encodeURIComponent('a in (b')}`), 400, 'BadRequest');
  await expectStatus(await call(`${pods}/missing`), 404, 'NotFound');
  const healthy = await call('/api/v1/namespaces');
  assert.equal(healthy.status, 200);
});

test('discovery answers the aggregated Accept with legacy JSON and serves the OpenAPI document kubectl validates with', async () => {
  const api = await call('/api', {
    headers: {
      Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
    },
  });
  assert.equal(api.headers.get('content-type'), 'application/json');
  assert.deepEqual(((await api.json()) as { versions: string[] }).versions, ['v1']);
  const openapi = await call('/openapi/v2');
  assert.equal(
    openapi.headers.get('content-type'),
    'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
  );
  // A protobuf document that starts with swagger "2.0" (field 1) and goes on with paths and definitions.
  const document = new Uint8Array(await openapi.arrayBuffer());
  assert.deepEqual([...document.subarray(0, 5)], [0x0a, 0x03, 0x32, 0x2e, 0x30]);
  assert.ok(document.length > 1000);
  assert.equal((await call('/openapi/v3')).status, 404);
});
