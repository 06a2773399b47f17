// The lesson viewer and the instructor's progress grid in Chromium: the lessons feature mounted on a small express
// server with the built pages, against a sandbox (the platform's own wiring is tested by the platform's tests).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { Server as SocketServer } from 'socket.io';
import { createLessonsFeature } from '../../../server/lessons/feature.ts';
import { loadStep } from '../../../server/lessons/loader.ts';
import { artifactsDir } from '../../support/browser.ts';
import { kubectlBinaries, kubectlFor } from '../../support/kubectl.ts';
import { projectRoot } from '../../support/kubewars.ts';
import { lessonsPagesOnSandbox } from '../../support/lessons-pages.ts';

const workDir = mkdtempSync(join(tmpdir(), 'kubewars-viewer-'));
const lessonPath = '/lessons/en/04-pods';
const instructorToken = 'viewer-test-token';
// An attendee who finished step 1 before the server started, with a name that would run if it were ever HTML.
const evilName = '<img src=x onerror="window.pwned=1">';
const bearer = { authorization: `Bearer ${instructorToken}` };
// The instructor page shows its console once its /instructor socket connects with the token; the game's feed is
// not part of this test, so the namespace only checks the token.
const io = new SocketServer();
io.of('/instructor').use((socket, next) => {
  next((socket.handshake.auth as { token?: string }).token === instructorToken ? undefined : new Error('refused'));
});
const pages = lessonsPagesOnSandbox(workDir, {
  kubeconfigName: 'config',
  feature: (kubeConfig) => {
    writeFileSync(
      join(workDir, 'lessons-progress.json'),
      JSON.stringify({ attendees: { [evilName]: { 'step-01-what-is-kubernetes': { completedAt: '2026-01-01T09:00:00Z' } } } }),
    );
    return createLessonsFeature({ projectRoot, kubeConfig, dataDir: workDir, defaultNamespace: 'default', instructorToken });
  },
  io,
});

async function openLesson(): Promise<Page> {
  const context = await pages().browser.newContext();
  await context.addInitScript(() => localStorage.setItem('kubewars.player', 'leia'));
  const page = await context.newPage();
  await page.goto(`${pages().baseUrl}${lessonPath}`);
  await page.getByTestId('lesson').waitFor();
  return page;
}

test('a lesson opens rendered with a copy button on every code block that copies its code', async () => {
  const page = await openLesson();
  const blocks = page.locator('[data-testid=lesson] .code-block');
  assert.ok((await blocks.count()) > 0);
  assert.equal(await page.locator('[data-testid=lesson] .copy-button').count(), await blocks.count());
  const first = blocks.first();
  await first.locator('.copy-button').click();
  assert.equal(await first.locator('.copy-button').getAttribute('data-copied'), await first.locator('pre code').textContent());
});

test('"Check my work" fails with the learner message before the step and passes after it is applied', async () => {
  const page = await openLesson();
  await page.getByTestId('check-button').click();
  await page.locator('[data-testid=check-results][data-complete=false]').waitFor();
  // The learner reads the message written for them in checks.yaml, not just the check's name.
  const podRunning = loadStep(projectRoot, 'step-04-pods', 'en').checks.find((c) => c.id === 'pod-running');
  assert.ok(podRunning?.message.en);
  assert.ok(
    (await page.locator('[data-check=pod-running].fail').innerText()).includes(podRunning.message.en),
    'the failing check does not show its learner message',
  );

  const [kubectl135] = kubectlBinaries().filter((b) => b.version === '1.35');
  assert.ok(kubectl135);
  const apply = await kubectlFor(kubectl135, pages().sandbox.kubeconfigPath)([
    'apply',
    '-f',
    join(projectRoot, 'steps/step-04-pods/hello-world.yaml'),
  ]);
  assert.equal(apply.exitCode, 0, apply.stderr);

  // The pod needs the simulated kubelet to start it: check again until complete or the deadline passes.
  const deadline = Date.now() + 60_000;
  let complete = 'false';
  while (complete !== 'true' && Date.now() < deadline) {
    await page.getByTestId('check-button').click();
    await page.locator('[data-testid=check-results][data-complete]').waitFor();
    complete = (await page.getByTestId('check-results').getAttribute('data-complete')) ?? 'false';
  }
  assert.equal(complete, 'true');
  const progress = (await (await page.request.get(`${pages().baseUrl}/api/progress`, { headers: bearer })).json()) as {
    attendees: Record<string, Record<string, unknown>>;
  };
  assert.ok(progress.attendees.leia?.['step-04-pods']);
});

test('the language switcher opens the same lesson in French, labels and page language included', async () => {
  const page = await openLesson();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.getByTestId('language').selectOption('fr');
  await page.waitForURL(/\/lessons\/fr\/04-/);
  const expected = (await (await page.request.get(`${pages().baseUrl}/api/lessons/fr/04-pods`)).json()) as { title: string };
  await page.locator('h1', { hasText: expected.title }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
  assert.equal(await page.getByTestId('check-button').innerText(), 'Vérifier mon travail');
  assert.deepEqual(await page.locator('details.disclosure summary').allInnerTexts(), ['Indice', 'Solution']);
  assert.equal(await page.locator('.manifests h2').innerText(), 'Manifestes');
  assert.equal(await page.locator('[data-testid=lesson] .copy-button').first().innerText(), 'Copier');
  assert.equal(await page.locator('.masthead [data-text=playerPage]').innerText(), 'Page joueur');
  assert.match(await page.locator('.check p').innerText(), /^Progression enregistrée pour leia\.$/);
  // Both languages are complete: no lesson says it fell back to English.
  assert.equal(await page.getByTestId('fallback-notice').count(), 0);

  await page.locator('details.disclosure summary', { hasText: 'Indice' }).click();
  const hint = await page.locator('details.disclosure[open] div').innerText();
  assert.match(hint, /jusqu'à lire Running/);

  await page.getByTestId('check-button').click();
  await page.locator('[data-testid=check-results] li.summary').waitFor();
  assert.match(await page.locator('[data-testid=check-results] li.summary').innerText(), /^(Étape terminée !|Pas encore : )/);
});

test('a lesson missing in French is shown in English with a French notice saying so', async () => {
  const page = await openLesson();
  // The shipped course is complete in French, so the server's answer for an untranslated lesson is played here:
  // the English lesson, served for a French request.
  const english = (await (await page.request.get(`${pages().baseUrl}/api/lessons/en/05-labels`)).json()) as Record<string, unknown>;
  await page.route('**/api/lessons/fr/05-labels', (route) => route.fulfill({ json: { ...english, requestedLang: 'fr' } }));
  await page.goto(`${pages().baseUrl}/lessons/fr/05-labels`);
  await page.getByTestId('lesson').waitFor();
  assert.equal(
    await page.getByTestId('fallback-notice').innerText(),
    "Cette leçon n'est pas encore traduite : elle est affichée en anglais.",
  );
  assert.equal(await page.getByTestId('lesson').getAttribute('lang'), 'en');
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
  assert.equal(await page.getByTestId('check-button').innerText(), 'Vérifier mon travail');
});

test('a Chinese lesson comes with Chinese labels and verdict, drawn with the system CJK fonts', async () => {
  const page = await openLesson();
  await page.getByTestId('language').selectOption('zh');
  await page.waitForURL(/\/lessons\/zh\/04-/);
  const expected = (await (await page.request.get(`${pages().baseUrl}/api/lessons/zh/04-pods`)).json()) as { title: string };
  await page.locator('h1', { hasText: expected.title }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh');
  assert.equal(await page.getByTestId('lesson').getAttribute('lang'), 'zh');
  assert.equal(await page.getByTestId('check-button').innerText(), '检查我的操作');
  assert.deepEqual(await page.locator('details.disclosure summary').allInnerTexts(), ['提示', '答案']);
  assert.equal(await page.locator('.manifests h2').innerText(), '清单');
  assert.equal(await page.getByTestId('fallback-notice').count(), 0);
  const fonts = await page.getByTestId('lesson').evaluate((node) => getComputedStyle(node).fontFamily);
  for (const font of ['PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC']) assert.ok(fonts.includes(font), fonts);
  await page.screenshot({ path: join(artifactsDir, 'lesson-zh.png') });

  await page.getByTestId('check-button').click();
  await page.locator('[data-testid=check-results] li.summary').waitFor();
  assert.match(await page.locator('[data-testid=check-results] li.summary').innerText(), /^(本步骤完成！|还没有完成：)/);
});

test('a Russian browser opens the course in Russian, with every language named in its own words', async () => {
  const context = await pages().browser.newContext({ locale: 'ru-RU' });
  const page = await context.newPage();
  await page.goto(`${pages().baseUrl}/lessons`);
  await page.getByTestId('course').locator('li').first().waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'ru');
  assert.deepEqual(await page.getByTestId('language').locator('option').allInnerTexts(), [
    'English',
    'Français',
    'Русский',
    '中文',
  ]);
  const index = (await (await page.request.get(`${pages().baseUrl}/api/lessons`)).json()) as {
    courses: Record<string, { title: string; lang: string }[]>;
  };
  const russian = index.courses['ru']?.filter((l) => l.lang === 'ru').map((l) => l.title) ?? [];
  assert.equal(russian.length, index.courses['en']?.length, 'every lesson is written in Russian');
  const shown = await page.getByTestId('course').innerText();
  for (const title of russian) assert.ok(shown.includes(title), `${title} is not in the course list`);
  await page.screenshot({ path: join(artifactsDir, 'lessons-ru.png') });

  await page.goto(`${pages().baseUrl}/lessons/ru/04-pods`);
  await page.getByTestId('lesson').waitFor();
  assert.equal(await page.getByTestId('check-button').innerText(), 'Проверить мою работу');
  assert.equal(await page.getByTestId('fallback-notice').count(), 0);
  await page.screenshot({ path: join(artifactsDir, 'lesson-ru.png') });
  await context.close();
});

test('code is highlighted: YAML keys in a manifest and commands in a lesson are coloured apart from plain text', async () => {
  const page = await openLesson();
  const colour = (selector: string) =>
    page.locator(selector).first().evaluate((node) => getComputedStyle(node).color);
  const plain = await colour('.manifests pre code');
  const key = await colour('.manifests pre code .hljs-attr');
  assert.notEqual(key, plain, `a YAML key is drawn in the plain text colour ${plain}`);
  const lessonCode = await colour('[data-testid=lesson] pre code');
  const command = await colour('[data-testid=lesson] pre code .hljs-built_in, [data-testid=lesson] pre code .hljs-keyword');
  assert.notEqual(command, lessonCode);
});

test('the instructor grid shows attendees × steps with names as text and ticks a step when a learner completes it', async () => {
  const page = await pages().browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(`${pages().baseUrl}/instructor?token=${instructorToken}`);
  const grid = page.getByTestId('progress-grid');
  await grid.locator('tbody tr').first().waitFor({ timeout: 10_000 });
  const courseSteps = (await (await page.request.get(`${pages().baseUrl}/api/lessons`)).json()) as { courses: { en: unknown[] } };
  assert.equal(await grid.locator('thead th').count(), courseSteps.courses.en.length + 2);
  const evilRow = grid.locator('tbody tr').filter({ has: page.locator('th', { hasText: evilName }) });
  assert.equal(await evilRow.locator('th').textContent(), evilName);
  assert.equal(await evilRow.locator('td[data-step=step-01-what-is-kubernetes]').textContent(), '✓');
  assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);

  // A learner finishes step 4 while the instructor watches: the grid picks it up on its next refresh.
  const [kubectl135] = kubectlBinaries().filter((b) => b.version === '1.35');
  assert.ok(kubectl135);
  const apply = await kubectlFor(kubectl135, pages().sandbox.kubeconfigPath)([
    'apply',
    '-f',
    join(projectRoot, 'steps/step-04-pods/hello-world.yaml'),
  ]);
  assert.equal(apply.exitCode, 0, apply.stderr);
  const deadline = Date.now() + 60_000;
  let complete = false;
  while (!complete && Date.now() < deadline) {
    const check = await page.request.post(`${pages().baseUrl}/api/lessons/04-pods/check`, {
      data: { namespace: 'default', player: 'rey', lang: 'en' },
    });
    complete = ((await check.json()) as { complete: boolean }).complete;
  }
  assert.ok(complete, 'the step never completed');
  await grid.locator('tr[data-attendee=rey] td.done[data-step=step-04-pods]').waitFor({ timeout: 15_000 });
  await grid.screenshot({ path: join(artifactsDir, 'progress-grid.png') });
  await page.close();
});
