import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { artifactsDir } from '../../support/browser.ts';
import type { Ship } from '../../../game/store/protocol-types.ts';
import { TUNING } from '../../../game/pilot/world.ts';
import { FEED_TOKEN } from './synthetic-feed.ts';
import { feedAndBrowser } from './feed-fixture.ts';
import { huntDown, pilotState } from './pilot-driver.ts';
import { until } from '../../support/until.ts';

// Pilot mode flown with the keyboard against the synthetic feed, asserting through the pilot-state mirror.
const ship = (uid: string, over: Partial<Ship> = {}): Ship => ({
  uid,
  name: `tie-${uid}`,
  namespace: 'default',
  fleet: 'vader',
  state: 'flying',
  controller: 'Pod',
  ...over,
});

describe('pilot mode', () => {
  const fixture = feedAndBrowser(() => ({
    round: { id: 1, status: 'running', startedAt: Date.now(), endsAt: Date.now() + 600_000 },
    ships: [ship('t1')],
  }));

  test('without the instructor token, pilot mode says how to get in and shows the ordinary battle', async () => {
    const page = await fixture.browser.newPage();
    await page.goto(`${fixture.feed.url}/game?pilot=1&renderer=canvas`);
    await page.getByText('Pilot mode is for the instructor').waitFor({ timeout: 10_000 });
    assert.equal(await page.getByTestId('pilot-state').textContent(), '{}');
    await page.close();
  });

  test('the instructor’s Pilot button opens pilot mode: three lives, no score, the TIEs on the field', async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${fixture.feed.url}/instructor?token=${FEED_TOKEN}`);
    await page.getByTestId('pilot-button').click();
    await page.waitForURL(/\/game\?pilot=1$/);
    const s = await until(
      'pilot state',
      () => pilotState(page),
      (s) => s.lives === 3 && 't1' in (s.enemies ?? {}),
    );
    assert.equal(s.score, 0);
    assert.equal(s.gameOver, false);
    assert.equal(await page.getByText('← Instructor screen').isVisible(), true);
    await page.close();
  });

  test('a network blip in pilot mode says it is reconnecting, not that the token was refused', async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${fixture.feed.url}/instructor?token=${FEED_TOKEN}`);
    await page.goto(`${fixture.feed.url}/game?pilot=1&renderer=canvas`);
    await until(
      'pilot mode fed',
      () => pilotState(page),
      (s) => 't1' in (s.enemies ?? {}),
    );
    await page.route('**/socket.io/**', (route) => route.abort());
    fixture.feed.dropConnections();
    const message = page.getByTestId('pilot-message');
    await until(
      'a failed reconnect reported',
      async () => (await message.textContent()) ?? '',
      (text) => text.startsWith('Cannot reach the game server'),
    );
    await page.unroute('**/socket.io/**');
    await until(
      'reconnected',
      async () => (await message.textContent()) ?? '',
      (text) => text === '',
      20_000,
    );
    assert.equal(await page.evaluate(() => sessionStorage.getItem('kubewars.instructorToken')), FEED_TOKEN);
    await page.close();
  });

  test('a laser that hits a TIE asks the server to fire; the deletion explodes it and the score rises', async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${fixture.feed.url}/instructor?token=${FEED_TOKEN}`);
    await page.goto(`${fixture.feed.url}/game?pilot=1&renderer=canvas&seed=11`);
    await until(
      'the TIE',
      () => pilotState(page),
      (s) => 't1' in (s.enemies ?? {}),
    );
    await huntDown(page, 't1', async () => fixture.feed.fireRequests.includes('t1'));
    const scored = await until(
      'the server’s verdict',
      () => pilotState(page),
      (s) => s.score >= TUNING.killScore,
    );
    assert.equal(scored.kills, 1);
    assert.ok('t1' in scored.enemies, 'the TIE flies on until its deletion arrives');
    await page.screenshot({ path: join(artifactsDir, 'pilot.png') });
    fixture.feed.push([{ op: 'shipRemoved', uid: 't1' }]);
    await until(
      'the explosion',
      () => pilotState(page),
      (s) => !('t1' in s.enemies),
    );
    await page.close();
  });

  test('a refused shot shows a shield flash and scores nothing', async () => {
    fixture.feed.push([{ op: 'ship', ship: ship('t2', { namespace: 'kube-system' }) }]);
    fixture.feed.answerFire = () => 'refused';
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${fixture.feed.url}/instructor?token=${FEED_TOKEN}`);
    await page.goto(`${fixture.feed.url}/game?pilot=1&renderer=canvas&seed=12`);
    await until(
      'the TIE',
      () => pilotState(page),
      (s) => 't2' in (s.enemies ?? {}),
    );
    await huntDown(page, 't2', async () => fixture.feed.fireRequests.includes('t2'));
    const s = await until(
      'the shield',
      () => pilotState(page),
      (s) => s.shields >= 1,
    );
    assert.equal(s.score, 0);
    assert.ok('t2' in s.enemies);
    await page.close();
  });

  test('sound is off by default; the toggle turns it on and the choice survives a reload', async () => {
    const page = await fixture.browser.newPage();
    await page.goto(`${fixture.feed.url}/game?renderer=canvas`);
    const toggle = page.getByTestId('sound-toggle');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    await page.reload();
    assert.equal(await page.getByTestId('sound-toggle').getAttribute('aria-pressed'), 'true');
    assert.equal(await page.evaluate(() => localStorage.getItem('kubewars.sound')), 'on');
    await page.close();
  });
});
