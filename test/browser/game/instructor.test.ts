import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { artifactsDir } from '../../support/browser.ts';
import type { FleetStanding, RoundDetail, Ship } from '../../../game/store/protocol-types.ts';
import { layoutFleets, shipSlots } from '../../../game/view/formation.ts';
import { FEED_TOKEN } from './synthetic-feed.ts';
import { feedAndBrowser } from './feed-fixture.ts';
import { until } from '../../support/until.ts';

// The instructor page against the synthetic feed.
const score = (player: string, over: Partial<FleetStanding>): FleetStanding => ({
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
  rank: 1,
  eliminatedAt: null,
  longestOutageMs: 0,
  ...over,
});
const evil = '<script>window.pwned=1</script>';

// Round 1 as GET /api/rounds/1 tells it: each fleet's hits and recoveries in time order.
const finishedRound: RoundDetail = {
  id: 1,
  status: 'finished',
  startedAt: 0,
  endsAt: 15_000,
  finishedAt: 15_000,
  durationSeconds: 15,
  fleetCount: 3,
  leader: 'deploy-fleet',
  shots: { hit: 4, refused: 0, missed: 0 },
  fleets: [],
  shotLog: [],
  shotLogTotal: 0,
  timeline: [
    { time: 2000, fleet: evil, kind: 'hit' },
    { time: 3000, fleet: 'rc-fleet', kind: 'hit' },
    { time: 4000, fleet: 'rc-fleet', kind: 'recovered', ms: 1000 },
    { time: 5000, fleet: 'deploy-fleet', kind: 'hit' },
    { time: 5800, fleet: 'deploy-fleet', kind: 'recovered', ms: 800 },
    { time: 9000, fleet: 'rc-fleet', kind: 'hit' },
    { time: 10_200, fleet: 'rc-fleet', kind: 'recovered', ms: 1200 },
  ],
};

describe('instructor screen', () => {
  const fixture = feedAndBrowser({
    round: { id: 1, status: 'finished', startedAt: 0, endsAt: 15_000 },
    ships: [],
    fleets: [
      score(evil, {
        alive: false,
        flying: 0,
        total: 1,
        uptime: 0.1,
        controllers: ['Pod'],
        joinOrder: 0,
        rank: 3,
      }),
      score('rc-fleet', { uptime: 0.95, joinOrder: 1, rank: 2 }),
      score('deploy-fleet', {
        total: 5,
        flying: 5,
        uptime: 1,
        controllers: ['Deployment'],
        joinOrder: 2,
        rank: 1,
      }),
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
    fixture.feed.rounds = [finishedRound];
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
    const timelines = await until(
      "the finished round's timelines in the report",
      () =>
        page
          .getByTestId('timeline')
          .evaluateAll((boxes) =>
            boxes.map((b) => [
              b.getAttribute('data-fleet'),
              b.querySelector('span')?.textContent,
              b.querySelectorAll('rect').length,
            ]),
          ),
      (t) => t.length === 3,
    );
    assert.deepEqual(
      timelines.sort(),
      [
        [evil, '1 hit · 0 recoveries', 1],
        ['deploy-fleet', '1 hit · 1 recovery · slowest 0.8 s', 2],
        ['rc-fleet', '2 hits · 2 recoveries · slowest 1.2 s', 4],
      ].sort(),
    );
    const marks = await page
      .locator('[data-testid=timeline][data-fleet=rc-fleet] title')
      .evaluateAll((titles) => titles.map((t) => t.textContent));
    assert.deepEqual(marks, [
      'hit at 0:03',
      'recovered at 0:04 in 1.0 s',
      'hit at 0:09',
      'recovered at 0:10 in 1.2 s',
    ]);
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
    fixture.feed.push([
      { op: 'recovery', recovery: { time: Date.now(), round: 1, fleet: 'rc-fleet', ms: 1234 } },
    ]);
    await until(
      'the recovery in the kill feed',
      async () => (await page.locator('#feed li').first().textContent()) ?? '',
      (line) => line.endsWith('recovered: rc-fleet in 1.2 s'),
    );
    await page.close();
  });
});
