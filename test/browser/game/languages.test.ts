import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { artifactsDir } from '../../support/browser.ts';
import { until } from '../../support/until.ts';
import type { FleetStanding } from '../../../game/store/protocol-types.ts';
import type { SceneMirror } from '../../../game/view/state-mirror.ts';
import { PAGE_TABLES, type PageLanguage } from '../../../game/i18n/page-strings.ts';
import { LANGUAGE_KEY } from '../../../game/i18n/language.ts';
import { FEED_TOKEN } from './synthetic-feed.ts';
import { feedAndBrowser, fleetShip as ship } from './feed-fixture.ts';
import { wordsOutsideTables } from './page-words.ts';

// The pages in the browser's language, and a pseudo-locale run that finds any word not taken from a table.
const score = (player: string, over: Partial<FleetStanding>): FleetStanding => ({
  player,
  rank: 1,
  eliminatedAt: null,
  longestOutageMs: 0,
  alive: true,
  flying: 2,
  total: 2,
  uptime: 0.975,
  hits: 2,
  recoveries: 2,
  recoveryP50Ms: 1000,
  recoveryP95Ms: 2100,
  shipsLost: 2,
  joinOrder: 0,
  controllers: ['ReplicationController'],
  ...over,
});
const ships = [
  ship('a1', 'luke'),
  ship('a2', 'luke'),
  ship('b1', 'leia', { controller: 'Pod', state: 'damaged' }),
];
const fleets = [
  score('luke', { joinOrder: 0 }),
  score('leia', { rank: 2, joinOrder: 1, flying: 1, total: 1, hits: 0, recoveries: 0, controllers: ['Pod'] }),
];

/** Words a page shows that are data, not its own: pilot and ship names, Kubernetes kinds, file formats. */
const DATA_WORDS = [
  ...ships.map((s) => s.name),
  'luke',
  'leia',
  'ReplicationController',
  'Pod',
  'RC',
  'CSV',
  'JSON',
  'localhost',
];

async function sceneMirror(page: Page): Promise<SceneMirror> {
  return JSON.parse((await page.getByTestId('scene-mirror').textContent()) ?? '{}') as SceneMirror;
}

describe('pages in the visitor’s language', () => {
  const fixture = feedAndBrowser(() => ({
    round: { id: 2, status: 'running', startedAt: Date.now(), endsAt: Date.now() + 600_000 },
    ships,
    fleets,
  }));

  const contextIn = (locale: string, saved?: string): Promise<BrowserContext> =>
    fixture.browser.newContext({ locale, viewport: { width: 1280, height: 800 } }).then(async (context) => {
      if (saved)
        await context.addInitScript(
          ([key, lang]) => localStorage.setItem(key!, lang!),
          [LANGUAGE_KEY, saved],
        );
      return context;
    });

  let shotId = 0;
  const shootLuke = (): void =>
    fixture.feed.push([
      {
        op: 'shot',
        shot: {
          id: ++shotId,
          time: Date.now(),
          round: 2,
          uid: 'a1',
          name: 'luke-a1',
          namespace: 'default',
          fleet: 'luke',
          outcome: 'hit',
          dryRun: false,
        },
      },
      { op: 'recovery', recovery: { time: Date.now(), round: 2, fleet: 'luke', ms: 2140 } },
    ]);

  test('in the pseudo-locale, every word on the player page, text view and instructor screen comes from a table', async () => {
    const context = await contextIn('en-US', 'zz');
    const page = await context.newPage();
    const stray: Record<string, string[]> = {};

    await page.goto(`${fixture.feed.url}/index.html`);
    await page.getByText('⟦Choose your pilot name⟧').waitFor({ timeout: 10_000 });
    await page.locator('#player-name').fill('not a label');
    await page.locator('#name-form button[type=submit]').click();
    stray['player page'] = await wordsOutsideTables(page, DATA_WORDS);

    await page.goto(`${fixture.feed.url}/game?view=text`);
    await page.getByTestId('text-fleets').locator('li li').first().waitFor({ timeout: 10_000 });
    shootLuke();
    await page.getByTestId('text-feed').locator('li').nth(1).waitFor();
    stray['text view'] = await wordsOutsideTables(page, DATA_WORDS);

    await page.goto(`${fixture.feed.url}/game?renderer=canvas`);
    shootLuke();
    const scene = await until(
      'the scene kill feed',
      () => sceneMirror(page),
      (m) => (m.feed?.length ?? 0) >= 2,
    );
    stray['battle scene kill feed'] = scene.feed.filter((line) => !line.startsWith('⟦'));
    stray['battle page'] = await wordsOutsideTables(page, DATA_WORDS);

    await page.goto(`${fixture.feed.url}/instructor?token=${FEED_TOKEN}`);
    await page.locator('#leaderboard tbody tr').nth(1).waitFor({ timeout: 10_000 });
    shootLuke();
    await page.locator('#feed li').nth(1).waitFor();
    await page.locator('#report li').nth(1).waitFor();
    await page.locator('#status:not(:empty)').waitFor();
    stray['instructor screen'] = await wordsOutsideTables(page, DATA_WORDS);

    await context.close();
    assert.deepEqual(stray, {
      'player page': [],
      'text view': [],
      'battle scene kill feed': [],
      'battle page': [],
      'instructor screen': [],
    });
  });

  for (const [locale, lang] of [
    ['ru-RU', 'ru'],
    ['zh-CN', 'zh'],
  ] as [string, PageLanguage][]) {
    const words = PAGE_TABLES[lang];

    test(`a ${locale} browser gets the player page, battle screen and instructor screen in ${words.languageName}`, async () => {
      const context = await contextIn(locale);
      const page = await context.newPage();

      await page.goto(`${fixture.feed.url}/index.html`);
      await page.locator('.tagline').getByText(words.player.tagline).waitFor({ timeout: 10_000 });
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      assert.equal(await page.title(), words.player.title);
      assert.equal(await page.getByTestId('page-language').inputValue(), lang);
      await page.locator('#player-name').fill('-leia');
      await page.locator('#name-form button[type=submit]').click();
      assert.equal(await page.locator('#name-error').textContent(), words.player.nameCharacters);
      await page.locator('#player-name').fill('leia');
      await page.locator('#name-form button[type=submit]').click();
      await page.screenshot({ path: join(artifactsDir, `player-${lang}.png`), fullPage: true });

      await page.goto(`${fixture.feed.url}/game?renderer=canvas`);
      shootLuke();
      const scene = await until(
        'the scene kill feed',
        () => sceneMirror(page),
        (m) => (m.feed?.length ?? 0) >= 2,
      );
      assert.deepEqual(scene.feed.slice(0, 2), [
        words.feed.recovered('luke', words.units.seconds(lang === 'zh' ? '2.1' : '2,1')),
        words.feed.hit('luke / luke-a1'),
      ]);
      assert.equal(await page.getByTestId('sound-toggle').textContent(), words.battle.soundOff);
      await page.screenshot({ path: join(artifactsDir, `battle-${lang}.png`) });

      await page.goto(`${fixture.feed.url}/instructor?token=${FEED_TOKEN}`);
      await page.locator('#leaderboard tbody tr').nth(1).waitFor({ timeout: 10_000 });
      const headings = await page.locator('#leaderboard th').allTextContents();
      assert.deepEqual(headings.slice(1, 4), [
        words.instructor.columns.player,
        words.instructor.columns.status,
        words.instructor.columns.ships,
      ]);
      assert.equal(
        await page.locator('#leaderboard tr[data-player=luke] td').nth(2).textContent(),
        words.instructor.alive,
      );
      await until(
        'the round line',
        () => page.locator('#status').textContent(),
        (s) => Boolean(s?.includes(words.hud.roundStatus.running)),
      );
      assert.equal(await page.locator('#start').textContent(), words.instructor.start);
      shootLuke();
      await page.locator('#feed li').nth(1).waitFor();
      await page.screenshot({ path: join(artifactsDir, `instructor-${lang}.png`), fullPage: true });
      await context.close();
    });
  }

  test('the language switch remembers the choice for every page', async () => {
    const context = await contextIn('ru-RU');
    const page = await context.newPage();
    await page.goto(`${fixture.feed.url}/index.html`);
    await page.locator('.tagline').getByText(PAGE_TABLES.ru.player.tagline).waitFor({ timeout: 10_000 });
    await Promise.all([page.waitForEvent('load'), page.getByTestId('page-language').selectOption('zh')]);
    await page.locator('.tagline').getByText(PAGE_TABLES.zh.player.tagline).waitFor();
    await page.goto(`${fixture.feed.url}/instructor?token=${FEED_TOKEN}`);
    await page
      .locator('#leaderboard th')
      .nth(1)
      .getByText(PAGE_TABLES.zh.instructor.columns.player)
      .waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh');
    await context.close();
  });
});
