// The lessons endpoints as an attacker in the room or a careless script would use them (issue 17), on the platform's
// own web server (its app-wide parsers included) and a loopback API server that holds nothing.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { createLessonsFeature } from '../../../server/lessons/feature.ts';
import { startWebServer, type RunningWebServer } from '../../../server/web/server.ts';
import { FakeClock } from '../../support/fake-clock.ts';

const root = mkdtempSync(join(tmpdir(), 'kubewars-hardening-'));
const instructorToken = 'hardening-instructor-token';
const clock = new FakeClock();
const asked: string[] = [];
let api: Server;
let web: RunningWebServer;

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

before(async () => {
  write('lessons/en/01-gone.md', '---\ntitle: Gone\nstep: step-01-gone\nduration: 5\n---\nNothing **here**.\n');
  write('lessons/fr/01-gone.md', '---\ntitle: Disparu\nstep: step-01-gone\nduration: 5\n---\nRien.\n');
  write('lessons/en/02-broken.md', '---\ntitle: Broken\nstep: step-02-missing\nduration: 5\n---\nIts step is missing.\n');
  write(
    'steps/step-01-gone/checks.yaml',
    'checks:\n  - id: gone\n    kind: ConfigMap\n    name: nothing-here\n    expect: {exists: false}\n    message: {en: delete it}\n',
  );
  // An API server with no objects: every read is a 404, so the step's "exists: false" check passes.
  api = createServer((req, res) => {
    res.writeHead(req.url === '/api/v1' ? 200 : 404, { 'Content-Type': 'application/json' });
    if (req.url === '/api/v1') {
      const configmaps = { name: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: ['get', 'list'] };
      res.end(JSON.stringify({ kind: 'APIResourceList', groupVersion: 'v1', resources: [configmaps] }));
      return;
    }
    asked.push(req.url ?? '');
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'empty', server: `http://127.0.0.1:${(api.address() as AddressInfo).port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'empty', cluster: 'empty', user: 'u' }],
    currentContext: 'empty',
  });
  const lessons = createLessonsFeature({
    projectRoot: root,
    kubeConfig,
    dataDir: join(root, 'data'),
    defaultNamespace: 'default',
    instructorToken,
    checkRate: { burst: 5, perSecond: 0.5 },
    maxProgressAttendees: 2,
    clock,
  });
  web = await startWebServer({ host: '127.0.0.1', port: 0, staticDir: join(root, 'no-pages'), features: [lessons] });
});

after(async () => {
  await web.close();
  await new Promise((resolve) => api.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

// Every test starts with a full allowance of checks: they all come from 127.0.0.1.
beforeEach(() => clock.advance(60_000));

const check = (body: unknown, slug = '01-gone') =>
  fetch(`${web.url}/api/lessons/${slug}/check`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function errorOf(response: Response): Promise<string> {
  return ((await response.json()) as { error: string }).error;
}

describe('the lessons endpoints under abuse', () => {
  test('a request body over 16 kB is refused before it is parsed, through the platform server', async () => {
    const response = await check({ namespace: 'default', padding: 'x'.repeat(20_000) });
    assert.equal(response.status, 413);
    assert.equal(await errorOf(response), 'A request to the lessons is at most 16kb.');
    const broken = await check('{"namespace": ');
    assert.equal(broken.status, 400);
    assert.equal(await errorOf(broken), 'The request body is not valid JSON.');
  });

  test('a name that breaks the pilot-name rules is refused and never reaches the cluster or the progress', async () => {
    asked.length = 0;
    for (const player of ['<img src=x onerror=alert(1)>', 'Jean Dupont', '-dash-first']) {
      const response = await check({ player });
      assert.equal(response.status, 400, player);
      assert.match(await errorOf(response), /cannot be a Kubernetes label value/);
    }
    assert.equal((await check({ player: 'x'.repeat(64) })).status, 400);
    assert.deepEqual(asked, []);
  });

  test("the cluster's own namespaces are refused, whatever the name", async () => {
    asked.length = 0;
    for (const namespace of ['kube-system', 'kube-public', 'kube-node-lease']) {
      const response = await check({ namespace, player: 'rey', lang: 'fr' });
      assert.equal(response.status, 400, namespace);
      assert.match(await errorOf(response), new RegExp(`^Le namespace ${namespace} appartient au cluster lui-même`));
    }
    assert.deepEqual(asked, []);
    assert.equal((await check({ namespace: 'kube-wars', player: 'rey' })).status, 200);
  });

  test('checks are throttled per client address: the burst, then a 429 saying when to come back', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await check({ namespace: 'default' })).status, 200, `check ${i + 1}`);
    const refused = await check({ namespace: 'default', lang: 'en' });
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '2');
    assert.equal(await errorOf(refused), 'Too many checks from your address: try again in 2 s.');
    clock.advance(2000);
    assert.equal((await check({ namespace: 'default' })).status, 200);
  });

  test('the progress holds a bounded number of attendees; the check still answers, saying it was not saved', async () => {
    const saved = async (player: string) => {
      const body = (await (await check({ player })).json()) as { complete: boolean; saved: boolean };
      assert.equal(body.complete, true, player);
      return body.saved;
    };
    assert.deepEqual([await saved('rey'), await saved('finn'), await saved('poe'), await saved('rey')], [
      true,
      true,
      false,
      true,
    ]);
    const grid = await fetch(`${web.url}/api/progress`, { headers: { authorization: `Bearer ${instructorToken}` } });
    assert.deepEqual(Object.keys(((await grid.json()) as { attendees: object }).attendees), ['rey', 'finn']);
  });

  test('a failure of ours is a 500 with a generic message, its details only in the log', async () => {
    const response = await fetch(`${web.url}/api/lessons/en/02-broken`);
    assert.equal(response.status, 500);
    const error = await errorOf(response);
    assert.equal(error, 'Internal error: see the server log');
  });

  test('a lesson is rendered once and served from memory until its file changes', async () => {
    const page = async () => ((await (await fetch(`${web.url}/api/lessons/en/01-gone`)).json()) as { html: string }).html;
    assert.match(await page(), /Nothing <strong>here<\/strong>/);
    // Same size, same modification time: the cached page is what is served (nothing was read again), even once the
    // folder is looked at again.
    const file = join(root, 'lessons/en/01-gone.md');
    const mtime = new Date('2026-03-01T10:00:00Z');
    utimesSync(file, mtime, mtime);
    clock.advance(1000);
    assert.match(await page(), /Nothing <strong>here<\/strong>/);
    write('lessons/en/01-gone.md', '---\ntitle: Gone\nstep: step-01-gone\nduration: 5\n---\nNothing **HERE**.\n');
    utimesSync(file, mtime, mtime);
    clock.advance(1000);
    assert.match(await page(), /Nothing <strong>here<\/strong>/);
    // Edited as an author would (a new modification time): shown once the folder is looked at again, a second on.
    utimesSync(file, mtime, new Date(mtime.getTime() + 5000));
    assert.match(await page(), /Nothing <strong>here<\/strong>/);
    clock.advance(1000);
    assert.match(await page(), /Nothing <strong>HERE<\/strong>/);
  });
});
