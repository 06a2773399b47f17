// The lessons in a workshop room (issue 12): two attendees, each with a cluster of their own (a sandbox each here),
// on the platform's web server. kubectl 1.20 and 1.35 apply a lesson's manifest by the room URL the lesson shows;
// "Check my work" runs in the cluster of the key's attendee and credits that attendee only.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { createLessonsFeature, type LessonsFeature } from '../../../server/lessons/feature.ts';
import type { RoomAttendees } from '../../../server/lessons/room.ts';
import { startSandbox, type RunningSandbox } from '../../../server/sandbox/index.ts';
import { startWebServer, type RunningWebServer } from '../../../server/web/server.ts';
import { kubectlBinaries, kubectlFor } from '../../support/kubectl.ts';
import { projectRoot } from '../../support/kubewars.ts';

const workDir = mkdtempSync(join(tmpdir(), 'kubewars-lessons-room-'));
const keys = { rey: 'rey-key-0123456789abcdef', finn: 'finn-key-0123456789abcdef' };
const clusters: Partial<Record<keyof typeof keys, RunningSandbox>> = {};
let web: RunningWebServer;
let lessons: LessonsFeature;

function kubeConfigOf(sandbox: RunningSandbox): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(sandbox.kubeconfigPath);
  return kubeConfig;
}

before(async () => {
  for (const name of ['rey', 'finn'] as const) {
    clusters[name] = await startSandbox({ port: 0, kubeconfigOut: join(workDir, `${name}.kubeconfig`), speed: 'fast' });
  }
  const attendees = new Map(
    (['rey', 'finn'] as const).map((name) => [keys[name], { name, kubeConfig: kubeConfigOf(clusters[name]!) }]),
  );
  const room: RoomAttendees = {
    kind: 'sandbox',
    byKey: (key) => attendees.get(key),
    // Known once the server listens: the lessons read it when they render.
    get publicBaseUrl() {
      return web.url;
    },
  };
  // The platform's own kubeconfig is rey's cluster: a check must never fall back to it for finn.
  lessons = createLessonsFeature({
    projectRoot,
    kubeConfig: kubeConfigOf(clusters.rey!),
    dataDir: workDir,
    defaultNamespace: 'default',
    instructorToken: 'room-lessons-instructor',
    room,
  });
  web = await startWebServer({ host: '127.0.0.1', port: 0, staticDir: join(workDir, 'no-pages'), features: [lessons] });
});

after(async () => {
  await web?.close();
  for (const sandbox of Object.values(clusters)) await sandbox.stop();
  rmSync(workDir, { recursive: true, force: true });
});

function check(key: string | undefined, body: unknown): Promise<Response> {
  return fetch(`${web.url}/api/lessons/04-pods/check`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(key ? { Authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
}

describe('lessons in a room', () => {
  test('a lesson shows and copies its manifests by the room URL, and kubectl 1.20 and 1.35 apply them by it', async () => {
    const lesson = (await (await fetch(`${web.url}/api/lessons/en/04-pods`)).json()) as {
      html: string;
      hintHtml: string;
      solutionHtml: string;
    };
    const url = `${web.url}/steps/step-04-pods/hello-world.yaml`;
    for (const html of [lesson.html, lesson.hintHtml, lesson.solutionHtml]) {
      assert.ok(html.includes(`-f ${url}`), html);
      assert.ok(!/-f steps\//.test(html), html);
    }
    const binaries = kubectlBinaries();
    assert.deepEqual(binaries.map((b) => b.version).sort(), ['1.20', '1.35']);
    for (const binary of binaries) {
      const apply = await kubectlFor(binary, clusters.rey!.kubeconfigPath)(['apply', '-f', url]);
      assert.equal(apply.exitCode, 0, `kubectl ${binary.version}: ${apply.stderr}`);
      assert.match(apply.stdout, /pod\/hello-world (created|unchanged|configured)/);
    }
  });

  test('a check without an attendee key, or with one the room does not know, is refused with what to do', async () => {
    for (const key of [undefined, 'not-a-key']) {
      const response = await check(key, { player: 'rey', lang: 'fr' });
      assert.equal(response.status, 401);
      assert.match(((await response.json()) as { error: string }).error, /^Vous êtes dans une salle d'atelier : rejoignez-la/);
    }
    assert.equal(lessons.stepsDone('rey'), 0);
  });

  test("a check runs in the key's attendee's cluster and credits that attendee, whatever name the body gives", async () => {
    // finn has applied nothing: naming rey in the body neither checks rey's cluster nor credits rey.
    const finn = (await (await check(keys.finn, { player: 'rey' })).json()) as { complete: boolean; saved: boolean };
    assert.deepEqual([finn.complete, finn.saved], [false, false]);

    const deadline = Date.now() + 30_000;
    let rey = { complete: false, saved: false };
    while (!rey.complete && Date.now() < deadline) {
      rey = (await (await check(keys.rey, { player: 'finn' })).json()) as typeof rey;
      if (!rey.complete) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.deepEqual([rey.complete, rey.saved], [true, true]);
    assert.equal(lessons.stepsDone('rey'), 1);
    assert.equal(lessons.stepsDone('finn'), 0);
    const progress = await fetch(`${web.url}/api/progress`, {
      headers: { authorization: 'Bearer room-lessons-instructor' },
    });
    assert.deepEqual(Object.keys(((await progress.json()) as { attendees: object }).attendees), ['rey']);
  });
});
