// The lesson viewer in a namespace room (issue 14), in Chromium: the blocks and checks a lesson marks cluster-admin
// say, in the page's language, that the instructor shows them, and "Check my work" does not wait for those checks;
// outside a namespace room the same lesson shows nothing of it. The attendee's kubeconfig is never read here: the
// only check run is lesson 13's, whose checks are all the instructor's.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import type { Browser, Page } from 'playwright-core';
import { createLessonsFeature, type LessonsFeature } from '../../../server/lessons/feature.ts';
import { viewerStrings } from '../../../server/lessons/strings.ts';
import { artifactsDir, launchChromium } from '../../support/browser.ts';
import { projectRoot } from '../../support/kubewars.ts';
import { buildPages, serveLessonsPages } from '../../support/lessons-pages.ts';

const workDir = mkdtempSync(join(tmpdir(), 'kubewars-viewer-ns-room-'));
const rey = { name: 'rey', key: 'rey-browser-key-0123456789' };
const servers: Server[] = [];
const baseUrls: { namespaceRoom?: string; noRoom?: string } = {};
let lessons: LessonsFeature | undefined;
let browser: Browser | undefined;

/** rey's token kubeconfig as a namespace room makes it: the context names the attendee's namespace. */
function reyKubeConfig(): KubeConfig {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'room', server: 'https://127.0.0.1:1' }],
    users: [{ name: 'rey', token: 'not-read-here' }],
    contexts: [{ name: 'rey', cluster: 'room', user: 'rey', namespace: 'kw-rey' }],
    currentContext: 'rey',
  });
  return config;
}

async function serve(feature: LessonsFeature, outDir: string): Promise<string> {
  const { server, baseUrl } = await serveLessonsPages(feature, outDir);
  servers.push(server);
  return baseUrl;
}

before(async () => {
  const outDir = join(workDir, 'web');
  await buildPages(outDir);
  const common = { projectRoot, kubeConfig: reyKubeConfig(), defaultNamespace: 'default', instructorToken: 'ns-viewer-instructor' };
  lessons = createLessonsFeature({
    ...common,
    dataDir: join(workDir, 'namespace-room'),
    room: {
      kind: 'namespace',
      byKey: (key) => (key === rey.key ? { name: rey.name, kubeConfig: reyKubeConfig() } : undefined),
      get publicBaseUrl() {
        return baseUrls.namespaceRoom ?? '';
      },
    },
  });
  baseUrls.namespaceRoom = await serve(lessons, outDir);
  baseUrls.noRoom = await serve(createLessonsFeature({ ...common, dataDir: join(workDir, 'no-room') }), outDir);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  for (const server of servers) await new Promise((r) => server.close(r));
  rmSync(workDir, { recursive: true, force: true });
});

async function open(url: string): Promise<Page> {
  assert.ok(browser);
  const context = await browser.newContext();
  await context.addInitScript((attendee) => localStorage.setItem('kubewars.attendee', JSON.stringify(attendee)), rey);
  const page = await context.newPage();
  await page.goto(url);
  await page.getByTestId('lesson').waitFor();
  return page;
}

test('in a namespace room the cluster-admin blocks and checks say, in each language, that the instructor shows them', async () => {
  for (const lang of ['en', 'fr', 'ru', 'zh']) {
    const words = viewerStrings(lang);
    const page = await open(`${baseUrls.namespaceRoom}/lessons/${lang}/15-scheduling`);
    const marked = page.locator('[data-testid=lesson] .code-block[data-cluster-admin]');
    assert.equal(await marked.count(), 6, lang);
    const notes = page.locator('[data-testid=lesson] [data-testid=instructor-shows]');
    assert.equal(await notes.count(), 6, lang);
    for (let i = 0; i < 6; i++) {
      assert.equal(await marked.nth(i).locator('[data-testid=instructor-shows]').count(), 1, `${lang} block ${i}`);
      assert.equal(await notes.nth(i).innerText(), `${words.instructorShows} ${words.needsClusterAdmin}`);
    }
    // The attendee's own block (the spread Deployment) is theirs to run.
    const own = page.locator('[data-testid=lesson] .code-block', { hasText: 'affinity-deployment.yaml' });
    assert.equal(await own.locator('[data-testid=instructor-shows]').count(), 0);
    assert.deepEqual(
      await page.locator('[data-testid=check-results] li.instructor').allInnerTexts(),
      ['gpu-job-done', 'gpu-node-released', 'on-control-plane-gone'].map((id) => `– ${id}: ${words.instructorCheck}`),
    );
    assert.equal(await page.getByTestId('namespace').count(), 0);
    assert.equal(await page.getByTestId('own-namespace').innerText(), words.ownNamespace);
    if (lang === 'en') await page.screenshot({ path: join(artifactsDir, 'lesson-namespace-room.png'), fullPage: true });
    await page.context().close();
  }
});

test('outside a namespace room the same lesson marks nothing and keeps the namespace field', async () => {
  const page = await open(`${baseUrls.noRoom}/lessons/en/15-scheduling`);
  assert.equal(await page.locator('[data-testid=lesson] .code-block[data-cluster-admin]').count(), 6);
  assert.equal(await page.getByTestId('instructor-shows').count(), 0);
  assert.equal(await page.locator('[data-testid=check-results] li.instructor').count(), 0);
  assert.equal(await page.getByTestId('namespace').inputValue(), 'default');
  await page.context().close();
});

test("a step whose checks are all the instructor's is complete for the attendee, in their own namespace", async () => {
  assert.ok(lessons);
  const page = await open(`${baseUrls.namespaceRoom}/lessons/en/13-namespaces`);
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/lessons/13-namespaces/check'));
  await page.getByTestId('check-button').click();
  await page.locator('[data-testid=check-results][data-complete]').waitFor();
  assert.equal(((await (await answer).json()) as { namespace: string }).namespace, 'kw-rey');
  assert.equal(await page.getByTestId('check-results').getAttribute('data-complete'), 'true');
  assert.equal(await page.locator('[data-testid=check-results] li.pass, [data-testid=check-results] li.fail').count(), 0);
  assert.equal(await page.locator('[data-testid=check-results] li.instructor').count(), 5);
  assert.equal(await page.locator('[data-testid=check-results] li.summary').innerText(), 'Step complete!');
  assert.equal(lessons.stepsDone('rey'), 1);
  await page.context().close();
});
