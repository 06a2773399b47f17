import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { artifactsDir } from '../../support/browser.ts';
import type { Ship } from '../../../game/store/protocol-types.ts';
import { feedAndBrowser } from './feed-fixture.ts';
import { until } from '../../support/until.ts';

// Drives the built battle page through a synthetic /game feed.
const ship = (uid: string, fleet: string, over: Partial<Ship> = {}): Ship => ({
  uid,
  name: `${fleet}-${uid}`,
  namespace: 'default',
  fleet,
  state: 'flying',
  controller: 'ReplicationController',
  ...over,
});

async function mirror(page: Page): Promise<Record<string, { state: string; fleet: string }>> {
  return JSON.parse((await page.getByTestId('state-mirror').textContent()) ?? '{}');
}

describe('battle screen', () => {
  const fixture = feedAndBrowser({
    ships: [ship('a1', 'luke'), ship('a2', 'luke')],
  });

  test('ships from the snapshot and later patches show in the state mirror; a removed ship disappears', async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${fixture.feed.url}/game?renderer=canvas`);
    await until(
      'snapshot ships',
      () => mirror(page),
      (m) => Object.keys(m).length === 2,
    );
    fixture.feed.push([
      { op: 'ship', ship: ship('b1', 'leia', { state: 'warping', controller: 'Deployment' }) },
    ]);
    const m = await until(
      'warping ship',
      () => mirror(page),
      (m) => m['b1']?.state === 'warping',
    );
    assert.equal(m['b1']?.fleet, 'leia');
    fixture.feed.push([{ op: 'ship', ship: ship('a1', 'luke', { state: 'destroyed' }) }]);
    await until(
      'destroyed state',
      () => mirror(page),
      (m) => m['a1']?.state === 'destroyed',
    );
    fixture.feed.push([{ op: 'shipRemoved', uid: 'a1' }]);
    await until(
      'removal',
      () => mirror(page),
      (m) => !('a1' in m),
    );
    await page.screenshot({ path: join(artifactsDir, 'battle.png') });
    await page.close();
  });

  test('a client that misses a patch asks for a snapshot and catches up', async () => {
    const page = await fixture.browser.newPage();
    await page.goto(`${fixture.feed.url}/game?renderer=canvas`);
    await until(
      'snapshot',
      () => mirror(page),
      (m) => Object.keys(m).length > 0,
    );
    const before = fixture.feed.resyncRequests;
    fixture.feed.pushWithGap([{ op: 'ship', ship: ship('g1', 'gap') }]);
    await until(
      'resynced ship',
      () => mirror(page),
      (m) => m['g1']?.fleet === 'gap',
    );
    assert.ok(fixture.feed.resyncRequests > before);
    await page.close();
  });

  test('a player name crafted as HTML is shown as text in the text view', async () => {
    const page = await fixture.browser.newPage();
    const evil = '<img src=x onerror="window.pwned=1">';
    fixture.feed.push([{ op: 'ship', ship: ship('x1', evil) }]);
    await page.goto(`${fixture.feed.url}/game?view=text`);
    const list = page.getByTestId('text-fleets');
    await until(
      'evil name',
      async () => (await list.textContent()) ?? '',
      (t) => t.includes(evil),
    );
    assert.equal(await page.locator('#text-view img').count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
    await page.close();
  });
});
