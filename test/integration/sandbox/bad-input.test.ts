import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import type { ClientRequest } from 'node:http';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startSandbox } from '../../../server/sandbox/index.ts';
import type { RunningSandbox } from '../../../server/sandbox/index.ts';
import { fetchTrusting } from '../../support/https-fetch.ts';
import { until } from '../../support/until.ts';

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

test('a chunked body that grows over the limit gets the 413 Status, as a declared one does', async () => {
  // No Content-Length: the size is known only as the body streams in (kubectl sends a known length; other clients
  // may not). The answer must still be the Status, not a connection cut mid-upload.
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      `${sandbox.url}/api/v1/namespaces/default/pods`,
      {
        method: 'POST',
        ca: sandbox.caCert,
        headers: { Authorization: `Bearer ${sandbox.token}`, 'Content-Type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    const chunk = Buffer.alloc(512 * 1024, 'x');
    for (let i = 0; i < 8; i++) req.write(chunk);
    req.end();
  });
  assert.equal(answer.status, 413);
  assert.equal((JSON.parse(answer.body) as { reason: string }).reason, 'RequestEntityTooLarge');
  assert.equal((await call('/api/v1/namespaces')).status, 200);
});

test('discovery answers the aggregated Accept with legacy JSON and serves the OpenAPI document kubectl validates with', async () => {
  const api = await call('/api', {
    headers: {
      Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
    },
  });
  assert.equal(api.headers.get('content-type'), 'application/json');
  assert.deepEqual(((await api.json()) as { versions: string[] }).versions, ['v1']);
  const openapi = await call('/openapi/v2', {
    headers: { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' },
  });
  assert.equal(
    openapi.headers.get('content-type'),
    'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
  );
  // A protobuf document that starts with swagger "2.0" (field 1) and goes on with paths and definitions.
  const document = new Uint8Array(await openapi.arrayBuffer());
  assert.deepEqual([...document.subarray(0, 5)], [0x0a, 0x03, 0x32, 0x2e, 0x30]);
  assert.ok(document.length > 1000);
  assert.equal((await call('/openapi/v3')).status, 200);
});

test('a pod with null container statuses, created and written to /status, brings down neither a Table watch nor the sandbox', async () => {
  const pods = '/api/v1/namespaces/default/pods';
  // kubectl get pods -w: a Table watch, read as a stream (the fetch helper waits for the whole body).
  const events: string[] = [];
  const watch = await new Promise<ClientRequest>((resolve, reject) => {
    const req = request(
      `${sandbox.url}${pods}?watch=1`,
      {
        ca: sandbox.caCert,
        headers: {
          Authorization: `Bearer ${sandbox.token}`,
          Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
        },
      },
      (res) => {
        assert.equal(res.statusCode, 200);
        res.on('data', (chunk: Buffer) => events.push(chunk.toString('utf8')));
        res.on('error', () => undefined);
        resolve(req);
      },
    );
    req.on('error', reject);
    req.end();
  });
  const badStatus = { phase: 'Running', containerStatuses: [null] };
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'null-statuses' },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
    status: badStatus,
  };
  const created = await call(pods, { method: 'POST', body: JSON.stringify(pod) });
  assert.equal(created.status, 201);
  // As the apiserver's pod strategy: the client's status is dropped on create.
  assert.deepEqual(((await created.json()) as { status: unknown }).status, {
    phase: 'Pending',
    qosClass: 'BestEffort',
  });
  const current = (await (await call(`${pods}/null-statuses`)).json()) as typeof pod;
  const written = await call(`${pods}/null-statuses/status`, {
    method: 'PUT',
    body: JSON.stringify({ ...current, status: badStatus }),
  });
  assert.equal(written.status, 400);
  assert.match(
    ((await written.json()) as { message: string }).message,
    /^Pod in version "v1" cannot be handled as a Pod: status\.containerStatuses\[0\]: a list item is null/,
  );
  // The watch is still delivering after the refused write: it shows the pod scheduled and run by the kubelet.
  await until(
    'the Table watch to show the pod running',
    async () => events.join(''),
    (text) => /"cells":\["null-statuses","1\/1","Running"/.test(text),
  );
  assert.equal((await call('/healthz')).status, 200);
  watch.destroy();
  assert.equal((await call(`${pods}/null-statuses`, { method: 'DELETE' })).status, 200);
});

test('an empty container status written to /status (Go accepts {}) is rebuilt by the kubelet, and tables still print', async () => {
  const pods = '/api/v1/namespaces/default/pods';
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'empty-statuses' },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
  };
  assert.equal((await call(pods, { method: 'POST', body: JSON.stringify(pod) })).status, 201);
  type Read = { status?: { phase?: string; containerStatuses?: { name?: string; state?: object }[] } };
  const read = async () => (await (await call(`${pods}/empty-statuses`)).json()) as Read & typeof pod;
  const running = (p: Read) =>
    p.status?.phase === 'Running' && p.status.containerStatuses?.[0]?.name === 'app';
  const current = await until('the pod running', read, running);
  const written = await call(`${pods}/empty-statuses/status`, {
    method: 'PUT',
    body: JSON.stringify({ ...current, status: { ...current.status, containerStatuses: [{}] } }),
  });
  assert.equal(written.status, 200);
  const table = await call(pods, {
    headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
  });
  assert.equal(table.status, 200);
  await until('the kubelet to rebuild the container status', read, running);
  assert.equal((await call('/healthz')).status, 200);
  assert.equal((await call(`${pods}/empty-statuses?gracePeriodSeconds=0`, { method: 'DELETE' })).status, 200);
});

test('a value of the wrong type is refused with the decoder error under every fieldValidation', async () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'typed', labels: { app: 'typed' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'typed' } },
      template: {
        metadata: { labels: { app: 'typed' } },
        spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
      },
    },
  };
  const container = (extra: object) => ({
    ...deployment,
    spec: {
      ...deployment.spec,
      template: {
        ...deployment.spec.template,
        spec: { containers: [{ name: 'app', image: 'nginx:1.27', ...extra }] },
      },
    },
  });
  const service = (spec: object) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'typed' },
    spec: { ports: [{ port: 80 }], ...spec },
  });
  const deployments = '/apis/apps/v1/namespaces/default/deployments';
  const services = '/api/v1/namespaces/default/services';
  const cases: [string, object, string][] = [
    [
      deployments,
      { ...deployment, spec: { ...deployment.spec, replicas: 'three' } },
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    ],
    [
      deployments,
      { ...deployment, metadata: { name: 'typed', labels: { tier: 5 } } },
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string',
    ],
    [
      deployments,
      container({ env: 'x' }),
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field Container.spec.template.spec.containers.env of type []v1.EnvVar',
    ],
    [
      deployments,
      container({ ports: [{ containerPort: 'http' }] }),
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32',
    ],
    [
      deployments,
      container({ resources: { limits: 'x' } }),
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field ResourceRequirements.spec.template.spec.containers.resources.limits of type v1.ResourceList',
    ],
    [
      services,
      service({ ports: 'x' }),
      'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ServiceSpec.spec.ports of type []v1.ServicePort',
    ],
    [
      services,
      service({ selector: 'y' }),
      'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ServiceSpec.spec.selector of type map[string]string',
    ],
  ];
  for (const validation of ['Strict', 'Warn', 'Ignore']) {
    for (const [path, body, message] of cases) {
      const response = await call(`${path}?fieldValidation=${validation}`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      assert.equal(response.status, 400, `${validation}: ${message}`);
      assert.equal(((await response.json()) as { message: string }).message, message);
    }
  }
  // int-or-string fields and quantities take both spellings.
  const both = container({
    ports: [{ containerPort: 80, name: 'http' }],
    resources: { limits: { cpu: 1, memory: '64Mi' } },
    readinessProbe: { httpGet: { port: 'http' } },
    livenessProbe: { tcpSocket: { port: 80 } },
  });
  const accepted = await call(deployments, { method: 'POST', body: JSON.stringify(both) });
  assert.equal(accepted.status, 201);
  // Patches cannot bring a wrong type in either.
  const patches: [string, unknown][] = [
    ['application/merge-patch+json', { spec: { replicas: 'three' } }],
    ['application/strategic-merge-patch+json', { spec: { replicas: 'three' } }],
    ['application/json-patch+json', [{ op: 'replace', path: '/spec/replicas', value: 'three' }]],
  ];
  for (const [contentType, patch] of patches) {
    const patched = await call(`${deployments}/typed`, {
      method: 'PATCH',
      body: JSON.stringify(patch),
      headers: { 'Content-Type': contentType },
    });
    assert.equal(patched.status, 400, contentType);
    assert.equal(
      ((await patched.json()) as { message: string }).message,
      'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
  }
  const named = await call(services, {
    method: 'POST',
    body: JSON.stringify(service({ ports: [{ port: 80, targetPort: 'http' }] })),
  });
  assert.equal(named.status, 201);
  await call(`${deployments}/typed`, { method: 'DELETE' });
  await call(`${services}/typed`, { method: 'DELETE' });
});

test('deleting a collection the resource does not offer deletecollection on is 405 and deletes nothing', async () => {
  await expectStatus(await call('/api/v1/namespaces', { method: 'DELETE' }), 405, 'MethodNotAllowed');
  await expectStatus(
    await call('/api/v1/namespaces/default/services', { method: 'DELETE' }),
    405,
    'MethodNotAllowed',
  );
  await expectStatus(await call('/api/v1/namespaces/default/bindings'), 405, 'MethodNotAllowed');
  const system = (await (await call('/api/v1/namespaces/kube-system')).json()) as {
    metadata: { deletionTimestamp?: string };
  };
  assert.equal(system.metadata.deletionTimestamp, undefined);
  const kubernetes = await call('/api/v1/namespaces/default/services/kubernetes');
  assert.equal(kubernetes.status, 200);
  // Kinds that offer it still delete their collection.
  assert.equal((await call('/api/v1/namespaces/default/configmaps', { method: 'DELETE' })).status, 200);
});

test('list and watch options are checked as the apiserver checks them', async () => {
  const pods = '/api/v1/namespaces/default/pods';
  const invalid = async (query: string, message: string) => {
    const response = await call(`${pods}?${query}`);
    assert.equal(response.status, 422, query);
    const body = (await response.json()) as { reason: string; message: string; details: { kind: string } };
    assert.equal(body.reason, 'Invalid');
    assert.equal(body.details.kind, 'ListOptions');
    assert.equal(body.message, message, query);
  };
  await invalid(
    'resourceVersionMatch=NotOlderThan',
    'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
  );
  await invalid(
    'resourceVersion=1&resourceVersionMatch=Newest',
    'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""',
  );
  await invalid(
    'resourceVersion=0&resourceVersionMatch=NotOlderThan&sendInitialEvents=true',
    'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list',
  );
  await invalid(
    'watch=1&sendInitialEvents=true',
    'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
  );
  await invalid(
    'watch=1&resourceVersion=1&resourceVersionMatch=Exact',
    'ListOptions.meta.k8s.io "" is invalid: [resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided, resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan"]',
  );
  const bad = async (query: string, message: string) => {
    const response = await call(`${pods}?${query}`);
    assert.equal(response.status, 400, query);
    assert.equal(((await response.json()) as { message: string }).message, message);
  };
  await bad(
    'resourceVersion=abc',
    'invalid resource version: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax',
  );
  await bad('limit=abc', 'strconv.ParseInt: parsing "abc": invalid syntax');
  // What kubectl and client-node send still works: a paged list, a resumed watch with bookmarks, a watch-list.
  assert.equal((await call(`${pods}?limit=500`)).status, 200);
  const list = (await (await call(pods)).json()) as { metadata: { resourceVersion: string } };
  const rv = list.metadata.resourceVersion;
  assert.equal((await call(`${pods}?resourceVersion=${rv}&resourceVersionMatch=NotOlderThan`)).status, 200);
  const resumed = await call(
    `${pods}?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}&timeoutSeconds=1`,
  );
  assert.equal(resumed.status, 200);
  const watchList = await call(
    `${pods}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1`,
  );
  assert.equal(watchList.status, 200);
  assert.match(await watchList.text(), /k8s\.io\/initial-events-end/);
});

test('a body nested deeper than Go decodes is a 400, not a server error', async () => {
  const configmaps = '/api/v1/namespaces/default/configmaps';
  const deep = (depth: number) =>
    `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":${'['.repeat(depth)}${']'.repeat(depth)}}`;
  const refused = await call(configmaps, { method: 'POST', body: deep(200_000) });
  assert.equal(refused.status, 400);
  assert.equal(
    ((await refused.json()) as { message: string }).message,
    "the object provided is unrecognized (json parse error: invalid character '[' exceeded max depth)",
  );
  // Within the limit the body is decoded and judged as any other: here, a list where a map belongs.
  const judged = await call(configmaps, { method: 'POST', body: deep(9_990) });
  assert.equal(judged.status, 400);
  assert.match(((await judged.json()) as { message: string }).message, /cannot unmarshal array/);
});

test('logs follow=True (as Python sends it) streams until the pod is deleted', async () => {
  const pods = '/api/v1/namespaces/default/pods';
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'followed' },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
  };
  assert.equal((await call(pods, { method: 'POST', body: JSON.stringify(pod) })).status, 201);
  await until(
    'the pod to run',
    async () => (await (await call(`${pods}/followed`)).json()) as { status?: { phase?: string } },
    (current) => current.status?.phase === 'Running',
    30_000,
  );
  let deleting = false;
  const endedWhileDeleting = new Promise<boolean>((resolve, reject) => {
    const req = request(
      `${sandbox.url}${pods}/followed/log?follow=True`,
      { ca: sandbox.caCert, headers: { Authorization: `Bearer ${sandbox.token}` } },
      (res) => {
        assert.equal(res.statusCode, 200);
        res.on('end', () => resolve(deleting));
        // A stream that is not followed ends with its first chunk, written with it: once the first chunk is in,
        // a round trip to the server is long enough for that end to arrive, and then the pod is deleted.
        res.once('data', () => {
          void call('/healthz').then(() => {
            deleting = true;
            void call(`${pods}/followed?gracePeriodSeconds=0`, { method: 'DELETE' });
          });
        });
        res.resume();
      },
    );
    req.on('error', reject);
    req.end();
  });
  assert.ok(await endedWhileDeleting, 'the log stream ended before the pod was deleted');
});
