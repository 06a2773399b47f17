// The lesson viewer in Chromium: the lessons feature mounted on a small express server with the built page, against
// a sandbox (the platform's own wiring of the feature is tested by the platform's tests).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import express from 'express';
import type { Browser, Page } from 'playwright-core';
import type { Server as SocketServer } from 'socket.io';
import { build } from 'vite';
import { createLessonsFeature } from '../../../server/lessons/feature.ts';
import { launchChromium } from '../../support/browser.ts';
import { kubectlBinaries, kubectlFor } from '../../support/kubectl.ts';
import { projectRoot } from '../../support/kubewars.ts';
import { loadSandbox } from '../../integration/lessons/sandbox-loader.ts';

const sandboxModule = await loadSandbox();
const workDir = mkdtempSync(join(tmpdir(), 'kubewars-viewer-'));
const lessonPath = '/lessons/en/04-pods';
let sandbox: Awaited<ReturnType<Exclude<typeof sandboxModule, string>['startSandbox']>> | undefined;
let server: Server | undefined;
let browser: Browser | undefined;
let baseUrl = '';

before(async () => {
  if (typeof sandboxModule === 'string') return;
  sandbox = await sandboxModule.startSandbox({ port: 0, kubeconfigOut: join(workDir, 'config'), speed: 'fast' });
  const outDir = join(workDir, 'web');
  await build({ configFile: join(projectRoot, 'vite.config.ts'), build: { outDir, emptyOutDir: true } });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(sandbox.kubeconfigPath);
  const app = express();
  createLessonsFeature({ projectRoot, kubeConfig, dataDir: workDir, defaultNamespace: 'default' }).mount(
    app,
    undefined as unknown as SocketServer, // the lessons feature opens no socket.io namespace
  );
  app.get(['/lessons', '/lessons/*rest'], (_req, res) => res.sendFile(join(outDir, 'lessons.html')));
  app.use(express.static(outDir));
  server = await new Promise<Server>((resolveListen) => {
    const s = app.listen(0, '127.0.0.1', () => resolveListen(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  await sandbox?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

async function openLesson(): Promise<Page> {
  assert.ok(browser);
  const context = await browser.newContext();
  await context.addInitScript(() => localStorage.setItem('kubewars.player', 'leia'));
  const page = await context.newPage();
  await page.goto(`${baseUrl}${lessonPath}`);
  await page.getByTestId('lesson').waitFor();
  return page;
}

test('a lesson opens rendered with a copy button on every code block that copies its code', async (t) => {
  if (typeof sandboxModule === 'string') return t.skip(sandboxModule);
  const page = await openLesson();
  const blocks = page.locator('[data-testid=lesson] .code-block');
  assert.ok((await blocks.count()) > 0);
  assert.equal(await page.locator('[data-testid=lesson] .copy-button').count(), await blocks.count());
  const first = blocks.first();
  await first.locator('.copy-button').click();
  assert.equal(await first.locator('.copy-button').getAttribute('data-copied'), await first.locator('pre code').textContent());
});

test('"Check my work" fails with the learner message before the step and passes after it is applied', async (t) => {
  if (typeof sandboxModule === 'string' || !sandbox) return t.skip(String(sandboxModule));
  const page = await openLesson();
  await page.getByTestId('check-button').click();
  await page.locator('[data-testid=check-results][data-complete=false]').waitFor();
  assert.match(await page.locator('[data-check=pod-running].fail').innerText(), /hello-world/);

  const [kubectl135] = kubectlBinaries().filter((b) => b.version === '1.35');
  assert.ok(kubectl135);
  const apply = await kubectlFor(kubectl135, sandbox.kubeconfigPath)([
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
  const progress = (await (await page.request.get(`${baseUrl}/api/progress`)).json()) as {
    attendees: Record<string, Record<string, unknown>>;
  };
  assert.ok(progress.attendees.leia?.['step-04-pods']);
});

test('the language switcher opens the same lesson in French', async (t) => {
  if (typeof sandboxModule === 'string') return t.skip(sandboxModule);
  const page = await openLesson();
  await page.getByTestId('language').selectOption('fr');
  await page.waitForURL(/\/lessons\/fr\/04-/);
  const expected = (await (await page.request.get(`${baseUrl}/api/lessons/fr/04-pods`)).json()) as { title: string };
  await page.locator('h1', { hasText: expected.title }).waitFor();
});
