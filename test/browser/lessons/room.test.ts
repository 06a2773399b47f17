// The lesson viewer in a workshop room (issue 12), in Chromium: the lessons feature with a room of one attendee (rey,
// whose cluster is a sandbox) on a small express server with the built pages.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { createLessonsFeature, type LessonsFeature } from '../../../server/lessons/feature.ts';
import { viewerStrings } from '../../../server/lessons/strings.ts';
import { artifactsDir } from '../../support/browser.ts';
import { kubectlBinaries, kubectlFor } from '../../support/kubectl.ts';
import { projectRoot } from '../../support/kubewars.ts';
import { lessonsPagesOnSandbox } from '../../support/lessons-pages.ts';

const workDir = mkdtempSync(join(tmpdir(), 'kubewars-viewer-room-'));
const rey = { name: 'rey', key: 'rey-browser-key-0123456789' };
let lessons: LessonsFeature | undefined;
const pages = lessonsPagesOnSandbox(workDir, {
  kubeconfigName: 'rey.kubeconfig',
  feature: (kubeConfig) => {
    lessons = createLessonsFeature({
      projectRoot,
      kubeConfig,
      dataDir: workDir,
      defaultNamespace: 'default',
      instructorToken: 'viewer-room-instructor',
      room: {
        kind: 'sandbox',
        byKey: (key) => (key === rey.key ? { name: rey.name, kubeConfig } : undefined),
        get publicBaseUrl() {
          return pages().baseUrl;
        },
      },
    });
    return lessons;
  },
});

/** Opens a lesson in a fresh browser; `joined` puts rey's attendee in localStorage as the player page does. */
async function open(path: string, joined: boolean): Promise<Page> {
  const context = await pages().browser.newContext();
  await context.addInitScript(
    ({ attendee, joinedRoom }) => {
      // A pilot name from an earlier, single-user session: in a room it names nobody.
      localStorage.setItem('kubewars.player', 'leia');
      if (joinedRoom) localStorage.setItem('kubewars.attendee', JSON.stringify(attendee));
    },
    { attendee: rey, joinedRoom: joined },
  );
  const page = await context.newPage();
  await page.goto(`${pages().baseUrl}${path}`);
  return page;
}

test('before joining, the viewer says to join on the player page and offers no check', async () => {
  for (const lang of ['en', 'fr', 'ru', 'zh']) {
    const page = await open(`/lessons/${lang}/04-pods`, false);
    await page.getByTestId('lesson').waitFor();
    assert.equal(await page.getByTestId('check-who').innerText(), viewerStrings(lang).joinRoomFirst);
    assert.equal(await page.getByTestId('check-button').isDisabled(), true);
    await page.context().close();
  }
});

test('commands naming a step manifest are shown and copied with the room URL', async () => {
  const page = await open('/lessons/en/04-pods', true);
  await page.getByTestId('lesson').waitFor();
  const url = `${pages().baseUrl}/steps/step-04-pods/hello-world.yaml`;
  const block = page.locator('[data-testid=lesson] .code-block', { hasText: 'hello-world.yaml' }).first();
  assert.ok((await block.locator('pre code').innerText()).includes(`kubectl apply -f ${url}`));
  await block.locator('.copy-button').click();
  assert.ok((await block.locator('.copy-button').getAttribute('data-copied'))?.includes(`kubectl apply -f ${url}`));
  assert.equal(await page.getByText('-f steps/').count(), 0);
  await page.screenshot({ path: join(artifactsDir, 'lesson-room.png') });
  await page.context().close();
});

test("a joined attendee's check runs in their cluster with their key and ticks the step for them", async () => {
  assert.ok(lessons);
  const page = await open('/lessons/en/04-pods', true);
  await page.getByTestId('lesson').waitFor();
  assert.equal(await page.getByTestId('check-who').innerText(), 'Progress saved for rey.');
  const [kubectl120] = kubectlBinaries().filter((b) => b.version === '1.20');
  assert.ok(kubectl120);
  const apply = await kubectlFor(kubectl120, pages().sandbox.kubeconfigPath)([
    'apply',
    '-f',
    `${pages().baseUrl}/steps/step-04-pods/hello-world.yaml`,
  ]);
  assert.equal(apply.exitCode, 0, apply.stderr);
  const deadline = Date.now() + 60_000;
  let complete = 'false';
  while (complete !== 'true' && Date.now() < deadline) {
    await page.getByTestId('check-button').click();
    await page.locator('[data-testid=check-results][data-complete]').waitFor();
    complete = (await page.getByTestId('check-results').getAttribute('data-complete')) ?? 'false';
  }
  assert.equal(complete, 'true');
  assert.equal(await page.locator('[data-testid=check-results] li.summary').innerText(), 'Step complete!');
  assert.equal(lessons.stepsDone('rey'), 1);
  assert.equal(lessons.stepsDone('leia'), 0);

  await page.goto(`${pages().baseUrl}/lessons/en`);
  await page.locator('[data-testid=course] li[data-step=step-04-pods] [data-testid=done]').waitFor();
  assert.equal(await page.locator('h2').first().innerText(), 'Course for rey');
  await page.context().close();
});
