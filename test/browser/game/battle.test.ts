import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { artifactsDir } from '../../support/browser.ts';
import type { Ship, ShotEvent } from '../../../game/store/protocol-types.ts';
import type { SceneMirror } from '../../../game/view/state-mirror.ts';
import { feedAndBrowser, fleetShip as ship } from './feed-fixture.ts';
import { until } from '../../support/until.ts';

// Drives the built battle page through a synthetic /game feed.

let shotIds = 0;
const shot = (target: Ship, over: Partial<ShotEvent> = {}): ShotEvent => ({
  id: ++shotIds,
  time: Date.now(),
  round: 1,
  uid: target.uid,
  name: target.name,
  namespace: target.namespace,
  fleet: target.fleet,
  outcome: 'hit',
  dryRun: false,
  ...over,
});

async function sceneMirror(page: Page): Promise<SceneMirror> {
  return JSON.parse((await page.getByTestId('scene-mirror').textContent()) ?? '{}') as SceneMirror;
}

/** Each uid's effect sets in the order the scene mirror showed them, recorded inside the page. */
async function effectHistory(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(
    () => (window as unknown as { effectHistory: Record<string, string[]> }).effectHistory,
  );
}

function recordEffects(): void {
  const seen: Record<string, string[]> = {};
  Object.assign(window, { effectHistory: seen });
  document.addEventListener('DOMContentLoaded', () => {
    const node = document.querySelector('[data-testid="scene-mirror"]');
    if (!node) return;
    new MutationObserver(() => {
      const shown = JSON.parse(node.textContent ?? '{}') as { effects?: Record<string, string[]> };
      for (const [uid, effects] of Object.entries(shown.effects ?? {})) {
        const list = (seen[uid] ??= []);
        const now = effects.join('+');
        if (list.at(-1) !== now) list.push(now);
      }
    }).observe(node, { childList: true, characterData: true, subtree: true });
  });
}

async function mirror(page: Page): Promise<Record<string, { state: string; fleet: string }>> {
  return JSON.parse((await page.getByTestId('state-mirror').textContent()) ?? '{}');
}

describe('battle screen', () => {
  const earlier = ship('old1', 'obiwan', { state: 'destroyed' });
  const fixture = feedAndBrowser({
    ships: [ship('a1', 'luke'), ship('a2', 'luke')],
    shots: [shot(earlier), shot(earlier, { outcome: 'refused', reason: 'hard stop' })],
  });

  test('shots from before the page loaded fill the kill feed without firing lasers again; recoveries join it', async () => {
    const page = await fixture.browser.newPage();
    await page.goto(`${fixture.feed.url}/game?renderer=canvas`);
    const loaded = await until(
      'the snapshot shots in the scene kill feed',
      () => sceneMirror(page),
      (m) => m.feed?.includes('hit: obiwan / obiwan-old1') === true,
    );
    assert.ok(loaded.feed.includes('shield: obiwan / obiwan-old1 refused (hard stop)'));
    assert.equal(loaded.lasers, 0);
    assert.equal(loaded.shields, 0);
    const target = fixture.feed.state.ships.find((s) => s.uid === 'a2')!;
    fixture.feed.push([{ op: 'shot', shot: shot(target) }]);
    const live = await until(
      'a live shot',
      () => sceneMirror(page),
      (m) => m.lasers === 1,
    );
    assert.equal(live.feed[0], 'hit: luke / luke-a2');
    fixture.feed.push([
      { op: 'recovery', recovery: { time: Date.now(), round: 1, fleet: 'luke', ms: 2140 } },
    ]);
    await until(
      'the recovery in the scene kill feed',
      () => sceneMirror(page),
      (m) => m.feed[0] === 'recovered: luke in 2.1 s',
    );
    const text = await fixture.browser.newPage();
    await text.goto(`${fixture.feed.url}/game?view=text`);
    await until(
      'the snapshot shots in the text feed',
      async () => (await text.getByTestId('text-feed').textContent()) ?? '',
      (t) =>
        t.includes('shield: obiwan / obiwan-old1 refused (hard stop)') &&
        t.includes('hit: luke / luke-a2') &&
        t.includes('recovered: luke in 2.1 s'),
    );
    fixture.feed.push([{ op: 'recovery', recovery: { time: Date.now(), round: 1, fleet: 'luke', ms: 900 } }]);
    await until(
      'a live recovery first in the text feed',
      async () => (await text.getByTestId('text-feed').locator('li').first().textContent()) ?? '',
      (line) => line === 'recovered: luke in 0.9 s',
    );
    await text.close();
    await page.close();
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

  test('a warping ship trails a warp streak, a damaged one smokes, a destroyed one explodes into debris', async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.addInitScript(recordEffects);
    await page.goto(`${fixture.feed.url}/game?renderer=canvas`);
    await until(
      'the scene mirror',
      () => sceneMirror(page),
      (m) => m.effects !== undefined,
    );
    const han = (state: Ship['state']) => ship('e1', 'han', { state, controller: 'Deployment' });
    fixture.feed.push([{ op: 'ship', ship: han('warping') }]);
    await until(
      'the warp streak',
      () => sceneMirror(page),
      (m) => m.effects['e1']?.join() === 'warp',
    );
    fixture.feed.push([{ op: 'ship', ship: han('flying') }]);
    await until(
      'the streak gone once flying',
      () => sceneMirror(page),
      (m) => !('e1' in m.effects),
    );
    fixture.feed.push([{ op: 'ship', ship: han('damaged') }]);
    await until(
      'smoke',
      () => sceneMirror(page),
      (m) => m.effects['e1']?.join() === 'smoke',
    );
    fixture.feed.push([{ op: 'ship', ship: han('destroyed') }]);
    // The explosion lasts under a second: the page records every effect it showed, so a slow poll cannot miss it.
    const seen = await until(
      'the explosion',
      () => effectHistory(page),
      (h) => h['e1']?.includes('explosion+debris') === true,
    );
    assert.deepEqual(seen['e1'], ['warp', 'smoke', 'explosion+debris']);
    fixture.feed.push([{ op: 'shipRemoved', uid: 'e1' }]);
    await until(
      'no effect left once the wreck is gone',
      () => sceneMirror(page),
      (m) => !('e1' in m.effects),
    );
    await page.close();
  });

  test('the first Tab on the battle screen shows a link to the text view; the player page links to it too', async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${fixture.feed.url}/game?renderer=canvas`);
    const link = page.getByRole('link', { name: /text view/i });
    const hidden = await link.boundingBox();
    assert.ok(hidden && hidden.y + hidden.height <= 0, 'the link is off screen until focused');
    await page.keyboard.press('Tab');
    await until(
      'the focused link on screen',
      () => link.boundingBox(),
      (box) => box !== null && box.y >= 0,
    );
    assert.equal(await link.evaluate((a) => a === document.activeElement), true);
    await page.keyboard.press('Enter');
    await page.getByTestId('text-fleets').locator('li').first().waitFor({ timeout: 10_000 });
    assert.equal(new URL(page.url()).searchParams.get('view'), 'text');
    assert.equal(
      await page.getByRole('link', { name: 'Animated battle screen' }).getAttribute('href'),
      '/game',
    );
    await page.goto(`${fixture.feed.url}/index.html`);
    assert.equal(await page.getByTestId('text-view-link').getAttribute('href'), '/game?view=text');
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
