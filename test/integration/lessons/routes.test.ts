// The lessons HTTP routes on an express server, with a cluster that is not there: content routes must not need one.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import express from 'express';
import type { Server as SocketServer } from 'socket.io';
import { createLessonsFeature } from '../../../server/lessons/feature.ts';

const root = mkdtempSync(join(tmpdir(), 'kubewars-routes-'));
let server: Server;
let base = '';
const instructorToken = 'instructor-secret';

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

before(async () => {
  write('lessons/en/01-pods.md', '---\ntitle: Pods\nstep: step-01-pods\nduration: 10\n---\nRun <b>this</b>:\n');
  write('lessons/en/02-more.md', '---\ntitle: More\nstep: step-01-pods\nduration: 5\n---\nMore\n');
  write('lessons/fr/01-pods.md', '---\ntitle: Les pods\nstep: step-01-pods\nduration: 10\n---\nLancez\n');
  write('steps/step-01-pods/pod.yaml', 'kind: Pod\n');
  write('steps/step-01-pods/hint.md', 'a hint');
  write(
    'steps/step-01-pods/checks.yaml',
    'checks:\n  - id: pod\n    kind: Pod\n    name: hello\n    expect: {status.phase: Running}\n    message: {en: start it}\n',
  );
  write('secret.txt', 'not a step file');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'gone', server: 'https://127.0.0.1:1', skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'gone', cluster: 'gone', user: 'u' }],
    currentContext: 'gone',
  });
  const app = express();
  createLessonsFeature({
    projectRoot: root,
    kubeConfig,
    dataDir: join(root, 'data'),
    defaultNamespace: 'default',
    instructorToken,
  }).mount(
    app,
    undefined as unknown as SocketServer, // the lessons feature opens no socket.io namespace
  );
  server = await new Promise<Server>((ready) => {
    const s = app.listen(0, '127.0.0.1', () => ready(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise((r) => server.close(r));
  rmSync(root, { recursive: true, force: true });
});

describe('lessons routes', () => {
  test('the index lists each language with English fallbacks filling the gaps', async () => {
    const index = (await (await fetch(`${base}/api/lessons`)).json()) as {
      languages: string[];
      courses: Record<string, { slug: string; lang: string; title: string; duration: number }[]>;
    };
    assert.deepEqual(index.languages, ['en', 'fr']);
    assert.deepEqual(
      index.courses.fr?.map((l) => [l.slug, l.lang, l.title]),
      [
        ['01-pods', 'fr', 'Les pods'],
        ['02-more', 'en', 'More'],
      ],
    );
  });

  test('a lesson comes rendered with raw HTML escaped, its manifests, hint and neighbours', async () => {
    const response = await fetch(`${base}/api/lessons/en/01-pods`);
    const lesson = (await response.json()) as Record<string, unknown>;
    assert.match(String(lesson.html), /Run &lt;b&gt;this&lt;\/b&gt;/);
    assert.deepEqual(lesson.manifests, [
      {
        name: 'pod.yaml',
        url: '/steps/step-01-pods/pod.yaml',
        text: 'kind: Pod\n',
        html: '<span class="hljs-attr">kind:</span> <span class="hljs-string">Pod</span>\n',
      },
    ]);
    assert.match(String(lesson.hintHtml), /a hint/);
    assert.equal(lesson.solutionHtml, null);
    assert.equal(lesson.previous, null);
    assert.deepEqual(lesson.next, { slug: '02-more', title: 'More' });
  });

  test('an unknown lesson is a 404 with a sentence', async () => {
    const response = await fetch(`${base}/api/lessons/en/09-nothing`);
    assert.equal(response.status, 404);
    assert.match(((await response.json()) as { error: string }).error, /No lesson "09-nothing"/);
  });

  test('step files are served raw as YAML, and nothing outside steps/ is', async () => {
    const yaml = await fetch(`${base}/steps/step-01-pods/pod.yaml`);
    assert.equal(yaml.status, 200);
    assert.match(yaml.headers.get('content-type') ?? '', /application\/yaml/);
    assert.equal(await yaml.text(), 'kind: Pod\n');
    for (const path of ['/steps/..%2Fsecret.txt', '/steps/step-01-pods/..%2F..%2Fsecret.txt', '/steps/step-01-pods']) {
      assert.equal((await fetch(`${base}${path}`)).status, 404, path);
    }
  });

  test('a check with a bad namespace is refused; an unreachable cluster fails each check with a reason', async () => {
    const post = (body: unknown) =>
      fetch(`${base}/api/lessons/01-pods/check`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    assert.equal((await post({ namespace: 'Not Valid' })).status, 400);
    const response = await post({ namespace: 'team-a', player: 'leia' });
    const result = (await response.json()) as { complete: boolean; results: { id: string; passed: boolean }[] };
    assert.equal(result.complete, false);
    assert.deepEqual(result.results.map((r) => [r.id, r.passed]), [['pod', false]]);
    const progress = await fetch(`${base}/api/progress`, { headers: { authorization: `Bearer ${instructorToken}` } });
    assert.deepEqual(((await progress.json()) as { attendees: object }).attendees, {});
  });

  test('the progress grid is the instructor\'s: refused without the token or with a wrong one', async () => {
    const without = await fetch(`${base}/api/progress`);
    assert.equal(without.status, 401);
    assert.match(((await without.json()) as { error: string }).error, /Instructor token required/);
    const wrong = await fetch(`${base}/api/progress`, { headers: { authorization: 'Bearer instructor-secreT' } });
    assert.equal(wrong.status, 401);
    const right = await fetch(`${base}/api/progress`, { headers: { authorization: `Bearer ${instructorToken}` } });
    assert.equal(right.status, 200);
    assert.deepEqual(await right.json(), {
      steps: [{ step: 'step-01-pods', number: '01', title: 'Pods' }],
      attendees: {},
    });
  });

  test('a learner reads only their own completed steps, none for a new name', async () => {
    const response = await fetch(`${base}/api/progress/${encodeURIComponent('new pilot')}`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { steps: {} });
  });
});
