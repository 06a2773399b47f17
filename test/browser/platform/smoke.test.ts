import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { artifactsDir, launchChromium } from '../../support/browser.ts';
import { startKubewarsPlatform } from '../../support/kubewars.ts';

let platform: Awaited<ReturnType<typeof startKubewarsPlatform>>;
let browser: Browser;

before(async () => {
  platform = await startKubewarsPlatform();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await platform?.stop();
});

test('the home page opens in Chromium with its title while /healthz answers 200', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const health = await page.request.get(`${platform.url}/healthz`);
  assert.equal(health.status(), 200);
  await page.goto(`${platform.url}/`);
  assert.equal(await page.title(), 'Kube Wars — join the battle');
  await page.screenshot({ path: join(artifactsDir, 'player-page.png'), fullPage: true });
});

test('the player page shows the sandbox KUBECONFIG and a fleet manifest for the chosen name', async () => {
  const page = await browser.newPage();
  await page.goto(`${platform.url}/`);
  await page.getByTestId('kubeconfig-command').waitFor();
  assert.match(
    await page.getByTestId('kubeconfig-command').innerText(),
    /export KUBECONFIG=\/.+sandbox\.kubeconfig/,
  );
  await page.fill('#player-name', 'leia');
  await page.click('#name-form button[type=submit]');
  assert.match(await page.getByTestId('fleet-manifest').innerText(), /player: "leia"/);
  assert.match(await page.getByTestId('fleet-commands').innerText(), /player=leia/);
});

test('a pilot name written as HTML is refused and never rendered as markup', async () => {
  const page = await browser.newPage();
  await page.goto(`${platform.url}/`);
  await page.fill('#player-name', '<img src=x onerror=alert(1)>');
  await page.click('#name-form button[type=submit]');
  assert.match(await page.locator('#name-error').innerText(), /letters, digits/);
  assert.equal(await page.locator('main img').count(), 0);
});
