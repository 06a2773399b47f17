// Lists, GETs and watch events are encoded from each stored object's cached JSON text: what clients receive must be
// exactly the objects, pages must follow each other in key order, and kubectl must read them as from any apiserver.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSandbox } from '../../../server/sandbox/index.ts';
import type { RunningSandbox } from '../../../server/sandbox/index.ts';
import type { KubeObject } from '../../../server/sandbox/types.ts';
import { fetchTrusting } from '../../support/https-fetch.ts';
import { kubectlBinaries, kubectlFor } from '../../support/kubectl.ts';

const NS = 'encoded';
const CONFIGMAPS = { group: '', resource: 'configmaps' };
// Code-unit order ('map-1', 'map-1.a', 'map-10', …, 'map1') is not the locale's.
const names = ['map-10', 'map-2', 'map1', 'map-3', 'map-1', 'map-1.a'];

let sandbox: RunningSandbox;
before(async () => {
  sandbox = await startSandbox({
    port: 0,
    kubeconfigOut: join(mkdtempSync(join(tmpdir(), 'kubewars-encoded-')), 'config'),
    speed: 'fast',
  });
  sandbox.client.create({ group: '', resource: 'namespaces' }, undefined, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: NS },
  });
  for (const name of names) {
    sandbox.client.create(CONFIGMAPS, NS, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, labels: { fleet: name.startsWith('map-1') ? 'one' : 'other' } },
      data: { name, note: 'ünïcode ✓ "quoted"' },
    });
  }
});
after(async () => sandbox?.stop());

const call = async (path: string) => {
  const response = await fetchTrusting(sandbox.caCert)(`${sandbox.url}${path}`, {
    headers: { Authorization: `Bearer ${sandbox.token}` },
  });
  assert.equal(response.status, 200, path);
  assert.equal(
    Number(response.headers.get('content-length')),
    Buffer.byteLength(await response.clone().text()),
  );
  return response.json() as Promise<Record<string, unknown>>;
};
const stored = (name: string) => sandbox.client.get(CONFIGMAPS, NS, name);
const byCodeUnit = [...names].sort((a, b) => (a < b ? -1 : 1));

test('a list is the stored objects in key order, whole, with the list resourceVersion', async () => {
  // A label all of them carry: the namespace also holds kube-root-ca.crt.
  const list = await call(`/api/v1/namespaces/${NS}/configmaps?labelSelector=fleet`);
  assert.equal(list.kind, 'ConfigMapList');
  assert.equal(list.apiVersion, 'v1');
  assert.deepEqual(list.metadata, { resourceVersion: sandbox.client.list(CONFIGMAPS).resourceVersion });
  assert.deepEqual(
    list.items,
    byCodeUnit.map((name) => stored(name)),
  );
  const selected = await call(`/api/v1/namespaces/${NS}/configmaps?labelSelector=fleet%3Done`);
  assert.deepEqual(
    (selected.items as KubeObject[]).map((item) => item.metadata.name),
    ['map-1', 'map-1.a', 'map-10'],
  );
});

test('pages follow each other with continue tokens and the count of what remains', async () => {
  const seen: string[] = [];
  let path = `/api/v1/namespaces/${NS}/configmaps?labelSelector=fleet&limit=2`;
  const remaining: unknown[] = [];
  for (;;) {
    const page = await call(path);
    const metadata = page.metadata as { continue?: string; remainingItemCount?: number };
    seen.push(...(page.items as KubeObject[]).map((item) => item.metadata.name ?? ''));
    remaining.push(metadata.remainingItemCount);
    if (!metadata.continue) break;
    path = `/api/v1/namespaces/${NS}/configmaps?labelSelector=fleet&limit=2&continue=${metadata.continue}`;
  }
  assert.deepEqual(seen, byCodeUnit);
  assert.deepEqual(remaining, [4, 2, undefined]);
});

test('a GET is the stored object', async () => {
  assert.deepEqual(await call(`/api/v1/namespaces/${NS}/configmaps/map-2`), stored('map-2'));
});

test('every watcher gets each event as the stored object', async () => {
  const rv = sandbox.client.list(CONFIGMAPS).resourceVersion;
  const watch = () =>
    new Promise<{ type: string; object: KubeObject }>((resolve, reject) => {
      const req = request(
        `${sandbox.url}/api/v1/namespaces/${NS}/configmaps?watch=true&resourceVersion=${rv}`,
        { ca: sandbox.caCert, headers: { Authorization: `Bearer ${sandbox.token}` } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
            if (!text.includes('\n')) return;
            resolve(JSON.parse(text.slice(0, text.indexOf('\n'))) as { type: string; object: KubeObject });
            req.destroy();
          });
        },
      );
      req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
      req.end();
    });
  const watchers = [watch(), watch(), watch()];
  await new Promise((resolve) => setTimeout(resolve, 200));
  sandbox.client.patch(CONFIGMAPS, NS, 'map-2', 'merge', { data: { added: 'yes' } });
  for (const event of await Promise.all(watchers)) {
    assert.deepEqual(event, { type: 'MODIFIED', object: stored('map-2') });
  }
});

for (const binary of kubectlBinaries()) {
  describe(`kubectl ${binary.version}`, () => {
    test('reads a list in chunks, as JSON and as a table', async () => {
      const kubectl = kubectlFor(binary, sandbox.kubeconfigPath);
      const named = await kubectl([
        'get',
        'configmaps',
        '-n',
        NS,
        '-l',
        'fleet',
        '--chunk-size=2',
        '-o',
        'name',
      ]);
      assert.equal(named.exitCode, 0, named.stderr);
      assert.deepEqual(
        named.stdout.split('\n'),
        byCodeUnit.map((name) => `configmap/${name}`),
      );
      const json = await kubectl(['get', 'configmap', 'map-10', '-n', NS, '-o', 'json']);
      assert.equal(json.exitCode, 0, json.stderr);
      assert.deepEqual(JSON.parse(json.stdout), stored('map-10'));
      const table = await kubectl(['get', 'configmaps', '-n', NS, '--chunk-size=2']);
      assert.equal(table.exitCode, 0, table.stderr);
      assert.match(table.stdout, /^NAME\s+DATA\s+AGE$/m);
      assert.match(table.stdout, /^map-1\.a\s+2\s+/m);
    });
  });
}
