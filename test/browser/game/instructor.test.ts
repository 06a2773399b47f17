import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { artifactsDir } from '../../support/browser.ts';
import type { FleetScore, Ship } from '../../../game/store/protocol-types.ts';
import { layoutFleets, shipSlots } from '../../../game/view/formation.ts';
import { FEED_TOKEN } from './synthetic-feed.ts';
import { feedAndBrowser } from './feed-fixture.ts';
import { until } from '../../support/until.ts';

// The instructor page against the synthetic feed.
const score = (player: string, over: Partial<FleetScore>): FleetScore => ({
  player,
  alive: true,
  flying: 3,
  total: 3,
  uptime: 1,
  hits: 2,
  recoveries: 2,
  recoveryP50Ms: 1000,
  recoveryP95Ms: 2000,
  shipsLost: 2,
  joinOrder: 0,
  controllers: ['ReplicationController'],
  ...over,
});
const evil = '<script>window.pwned=1</script>';

describe('instructor screen', () => {
  const fixture = feedAndBrowser({
    round: { id: 1, status: 'finished', startedAt: 0, endsAt: 15_000 },
    ships: [],
    fleets: [
      score(evil, { alive: false, flying: 0, total: 1, uptime: 0.1, controllers: ['Pod'], joinOrder: 0 }),
      score('rc-fleet', { uptime: 0.95, joinOrder: 1 }),
      score('deploy-fleet', { total: 5, flying: 5, uptime: 1, controllers: ['Deployment'], joinOrder: 2 }),
    ],
  });

  test('a wrong token is refused with a clear message', async () => {
    const page = await fixture.browser.newPage();
    await page.goto(`${fixture.feed.url}/instructor?token=wrong`);
    await page.getByText('Wrong instructor token').waitFor({ timeout: 10_000 });
    assert.equal(new URL(page.url()).searchParams.get('token'), null);
    assert.equal(await page.locator('#console').isHidden(), true);
    await page.close();
  });

  test('a network blip keeps the instructor logged in and says it is reconnecting', async () => {
    const page = await fixture.browser.newPage();
    await page.goto(`${fixture.feed.url}/instructor?token=${FEED_TOKEN}`);
    await page.locator('#console').waitFor({ state: 'visible', timeout: 10_000 });
    let blocked = 0;
    await page.route('**/socket.io/**', (route) => {
      blocked += 1;
      return route.abort();
    });
    fixture.feed.dropConnections();
    // Each failed reconnect is a connect_error: the page must take it for the network, not for a wrong token.
    await page.getByText('Cannot reach the game server').waitFor({ timeout: 10_000 });
    assert.ok(blocked > 0);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('kubewars.instructorToken')), FEED_TOKEN);
    assert.equal(await page.locator('#console').isVisible(), true);
    assert.equal(await page.locator('#login').isHidden(), true);
    assert.doesNotMatch((await page.getByTestId('message').textContent()) ?? '', /Wrong instructor token/);
    await page.unroute('**/socket.io/**');
    await until(
      'reconnected',
      async () => (await page.getByTestId('message').textContent()) ?? '',
      (text) => text === '',
      20_000,
    );
    await page.close();
  });

  test('the right token shows the ranked leaderboard, survivors above the eliminated, names as text', async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`${fixture.feed.url}/instructor?token=${FEED_TOKEN}`);
    const rows = page.getByTestId('leaderboard').locator('tbody tr');
    await rows.nth(2).waitFor({ timeout: 10_000 });
    const players = await rows.evaluateAll((trs) => trs.map((tr) => tr.children[1]?.textContent));
    assert.deepEqual(players, ['deploy-fleet', 'rc-fleet', evil]);
    assert.equal(new URL(page.url()).searchParams.get('token'), null);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('kubewars.instructorToken')), FEED_TOKEN);
    assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
    const report = (await page.getByTestId('report').textContent()) ?? '';
    assert.match(report, /bare pod: nothing recreated it/);
    await page.screenshot({ path: join(artifactsDir, 'instructor.png'), fullPage: true });
    await page.close();
  });

  test('clicking a ship on the mini battle map fires at that pod and the shot reaches the kill feed', async () => {
    const targets: Ship[] = ['m1', 'm2'].map((uid) => ({
      uid,
      name: `rc-fleet-${uid}`,
      namespace: 'default',
      fleet: 'rc-fleet',
      state: 'flying',
      controller: 'ReplicationController',
    }));
    const page = await fixture.browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`${fixture.feed.url}/instructor?token=${FEED_TOKEN}`);
    await page.locator('#console').waitFor({ state: 'visible', timeout: 10_000 });
    fixture.feed.push(targets.map((ship) => ({ op: 'ship', ship })));
    const map = page.getByTestId('mini-battle');
    // The map draws each fleet where formation.ts places it on the canvas' own 800×400 pixels.
    const layout = layoutFleets(1, 2, 800, 400);
    const slot = shipSlots(layout.cells[0]!, layout, 2)[1]!;
    const before = fixture.feed.fireRequests.length;
    await until(
      'the second ship fired at',
      async () => {
        const box = (await map.boundingBox())!;
        await map.click({ position: { x: (slot.x * box.width) / 800, y: (slot.y * box.height) / 400 } });
        return fixture.feed.fireRequests.slice(before);
      },
      (fired) => fired.length > 0,
    );
    // Clicks before the map has drawn the new ships hit nothing; any that landed hit the clicked ship only.
    assert.ok(fixture.feed.fireRequests.slice(before).every((uid) => uid === 'm2'));
    await until(
      'the shot in the kill feed',
      async () => (await page.locator('#feed').textContent()) ?? '',
      (text) => text.includes('hit: rc-fleet / rc-fleet-m2'),
    );
    await page.close();
  });
});
