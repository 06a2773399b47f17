// The browser game against the real thing: `kubewars start` on the sandbox, fleets made with kubectl, the pages
// served by the platform and fed by the game server. Assertions read the text view and the data-testid mirrors.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { artifactsDir, launchChromium } from '../../support/browser.ts';
import { kubectlBinaries, kubectlFor } from '../../support/kubectl.ts';
import { startKubewarsPlatform } from '../../support/kubewars.ts';
import { huntDown, pilotState } from './pilot-driver.ts';
import { until } from '../../support/until.ts';
import type { ChaosSettings } from '../../../game/store/protocol-types.ts';

const TOKEN = 'live-browser-token';

const FLEETS = `
apiVersion: v1
kind: Pod
metadata:
  name: falcon
  labels: { game: starwars, player: han }
spec:
  containers: [{ name: ship, image: nginx:1.27 }]
---
apiVersion: v1
kind: ReplicationController
metadata:
  name: rebels
spec:
  replicas: 3
  selector: { app: rebels }
  template:
    metadata:
      labels: { game: starwars, player: leia, app: rebels }
    spec:
      containers: [{ name: ship, image: nginx:1.27 }]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: red-squadron
spec:
  replicas: 5
  selector:
    matchLabels: { app: red-squadron }
  template:
    metadata:
      labels: { game: starwars, player: luke, app: red-squadron }
    spec:
      containers: [{ name: ship, image: nginx:1.27 }]
`;

interface Mirrored {
  fleet: string;
  name: string;
  state: string;
  controller: string;
}

async function mirror(page: Page): Promise<Record<string, Mirrored>> {
  return JSON.parse((await page.getByTestId('state-mirror').textContent()) ?? '{}') as Record<
    string,
    Mirrored
  >;
}

/** Every state each uid has shown in the mirror, in order, recorded inside the page so no change is missed. */
async function history(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(() => (window as unknown as { shipHistory: Record<string, string[]> }).shipHistory);
}

/** The pod name of every uid the mirror has shown, kept after the ship is gone. */
async function podNames(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => (window as unknown as { shipNames: Record<string, string> }).shipNames);
}

function recordHistory(): void {
  const seen: Record<string, string[]> = {};
  const names: Record<string, string> = {};
  Object.assign(window, { shipHistory: seen, shipNames: names });
  document.addEventListener('DOMContentLoaded', () => {
    const node = document.querySelector('[data-testid="state-mirror"]');
    if (!node) return;
    new MutationObserver(() => {
      const ships = JSON.parse(node.textContent ?? '{}') as Record<string, { state: string; name: string }>;
      for (const [uid, ship] of Object.entries(ships)) {
        names[uid] = ship.name;
        const states = (seen[uid] ??= []);
        if (states.at(-1) !== ship.state) states.push(ship.state);
      }
      for (const [uid, states] of Object.entries(seen)) {
        if (!(uid in ships) && states.at(-1) !== 'gone') states.push('gone');
      }
    }).observe(node, { childList: true, characterData: true, subtree: true });
  });
}

/** Every line the text view's kill feed has shown, oldest first, recorded inside the page (the list keeps 20). */
async function feedLines(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { feedLines: string[] }).feedLines);
}

function recordFeed(): void {
  const lines: string[] = [];
  Object.assign(window, { feedLines: lines });
  document.addEventListener('DOMContentLoaded', () => {
    new MutationObserver((mutations) => {
      for (const m of mutations) {
        for (const node of m.addedNodes) {
          const feed = (node as Element).closest?.('[data-testid="text-feed"]');
          if (feed && node.nodeName === 'LI') lines.push(node.textContent ?? '');
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
}

const inFleet = (m: Record<string, Mirrored>, fleet: string) =>
  Object.entries(m).filter(([, s]) => s.fleet === fleet && s.state !== 'destroyed');

describe('the browser game on `kubewars start`', { timeout: 300_000 }, () => {
  let platform: Awaited<ReturnType<typeof startKubewarsPlatform>>;
  let kubectl: ReturnType<typeof kubectlFor>;
  let browser: Browser;
  let battle: Page;
  let text: Page;

  before(async () => {
    platform = await startKubewarsPlatform(['--instructor-token', TOKEN]);
    kubectl = kubectlFor(kubectlBinaries()[1]!, join(platform.cwd, '.kubewars/sandbox.kubeconfig'));
    browser = await launchChromium();
    battle = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await battle.addInitScript(recordHistory);
    await battle.goto(`${platform.url}/game?renderer=canvas`);
    text = await browser.newPage();
    await text.addInitScript(recordFeed);
    await text.goto(`${platform.url}/game?view=text`);
  });
  after(async () => {
    await browser?.close();
    await platform?.stop();
  });

  test('fleets created with kubectl appear on the battle screen and in the text view within 2 s', async () => {
    const applied = await kubectl(['apply', '-f', '-'], { input: FLEETS });
    assert.equal(applied.exitCode, 0, applied.stderr);
    const createdAt = Date.now();
    // The Deployment's pods come through its ReplicaSet; the deadline counts from kubectl's return.
    const m = await until(
      'nine ships in the mirror',
      () => mirror(battle),
      (m) =>
        inFleet(m, 'han').length === 1 && inFleet(m, 'leia').length === 3 && inFleet(m, 'luke').length === 5,
      2000,
    );
    const elapsed = Date.now() - createdAt;
    assert.ok(elapsed <= 2000, `took ${elapsed} ms`);
    assert.deepEqual(Object.fromEntries(Object.values(m).map((s) => [s.fleet, s.controller])), {
      han: 'Pod',
      leia: 'ReplicationController',
      luke: 'Deployment',
    });
    const list = text.getByTestId('text-fleets');
    await until(
      'the three fleets in the text view',
      async () => (await list.textContent()) ?? '',
      (t) => ['han', 'leia', 'luke', 'falcon (bare)'].every((w) => t.includes(w)),
      2000 - elapsed + 500,
    );
    await until(
      'every ship flying',
      () => mirror(battle),
      (m) => Object.values(m).filter((s) => s.state === 'flying').length === 9,
    );
    console.log(`# fleets visible ${elapsed} ms after kubectl apply returned`);
  });

  test('a deleted pod shows the explosion state, then leaves the screen', async () => {
    const [uid] = inFleet(await mirror(battle), 'han')[0]!;
    const deleted = await kubectl(['delete', 'pod', 'falcon', '--wait=false']);
    assert.equal(deleted.exitCode, 0, deleted.stderr);
    await until(
      'falcon gone',
      () => history(battle),
      (h) => h[uid]?.at(-1) === 'gone',
    );
    const states = (await history(battle))[uid]!;
    assert.deepEqual(states.slice(-2), ['destroyed', 'gone'], `states seen: ${states.join(' → ')}`);
    await until(
      'falcon gone from the text view',
      async () => (await text.getByTestId('text-fleets').textContent()) ?? '',
      (t) => !t.includes('falcon'),
    );
  });

  test('a controller’s replacement warps in and then flies', async () => {
    const before = inFleet(await mirror(battle), 'leia');
    const [victimUid, victim] = before[0]!;
    const deleted = await kubectl(['delete', 'pod', victim.name, '--wait=false']);
    assert.equal(deleted.exitCode, 0, deleted.stderr);
    const m = await until(
      'three leia ships flying again',
      () => mirror(battle),
      (m) => inFleet(m, 'leia').filter(([uid, s]) => uid !== victimUid && s.state === 'flying').length === 3,
    );
    const [replacement] = inFleet(m, 'leia').find(([uid]) => !before.some(([old]) => old === uid))!;
    const states = (await history(battle))[replacement]!;
    assert.equal(states[0], 'warping', `the replacement's states: ${states.join(' → ')}`);
    assert.equal(states.at(-1), 'flying');
    await battle.screenshot({ path: join(artifactsDir, 'live-battle.png') });
  });

  test('the pilot’s laser makes the server delete a real pod', async () => {
    const pilot = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await pilot.goto(`${platform.url}/instructor?token=${TOKEN}`);
    await pilot.getByTestId('pilot-button').click();
    await pilot.waitForURL(/\/game\?pilot=1$/);
    const state = await until(
      'the fleets in pilot mode',
      () => pilotState(pilot),
      (s) => Object.values(s.enemies ?? {}).filter((e) => e.kind === 'tie').length >= 8,
    );
    const [uid] = Object.entries(await mirror(battle)).find(
      ([u, s]) => s.fleet === 'luke' && u in state.enemies,
    )!;
    await huntDown(pilot, uid, async () => {
      const s = await pilotState(pilot);
      return s.awaiting.includes(uid) || s.killed.length > 0;
    });
    // A laser on its way may hit another TIE first: whichever the server confirmed is the one to check.
    const scored = await until(
      'the server’s verdict',
      async () => ({
        ...(await pilotState(pilot)),
        message: await pilot.getByTestId('pilot-message').textContent(),
      }),
      (s) => s.killed.length >= 1,
    );
    assert.ok(scored.score >= 100);
    const killed = scored.killed[0]!;
    const name = (await podNames(battle))[killed];
    assert.ok(name, `the killed TIE ${killed} was on the battle screen`);
    await until(
      'the pod deleted in the cluster',
      () => kubectl(['get', 'pod', name, '-o', 'name']),
      (r) => r.exitCode !== 0 && /NotFound|not found/.test(r.stderr),
    );
    await until(
      'the TIE exploded in pilot mode',
      () => pilotState(pilot),
      (s) => !(killed in s.enemies),
    );
    await pilot.screenshot({ path: join(artifactsDir, 'live-pilot.png') });
    await pilot.close();
  });

  test('a 15 s round under fast auto fire from the instructor screen: survivors rank above the bare pod; CSV downloads', async () => {
    const relaunched = await kubectl(['apply', '-f', '-'], { input: FLEETS });
    assert.equal(relaunched.exitCode, 0, relaunched.stderr);
    await until(
      'han flying again',
      () => mirror(battle),
      (m) => inFleet(m, 'han').some(([, s]) => s.state === 'flying'),
    );
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
    await page.goto(`${platform.url}/instructor?token=wrong`);
    await page.getByText('Wrong instructor token').waitFor({ timeout: 10_000 });
    await page.goto(`${platform.url}/instructor?token=${TOKEN}`);
    const rows = page.getByTestId('leaderboard').locator('tbody tr');
    await rows.nth(2).waitFor({ timeout: 10_000 });
    await page.check('input[name=auto]');
    await page.fill('input[name=interval]', '0.2');
    await page.fill('input[name=budget]', '600');
    await page.click('#controls button[type=submit]');
    await page.getByText('Done.').waitFor();
    await page.fill('input[name=duration]', '15');
    const linesBefore = (await feedLines(text)).length;
    await page.click('#start');
    await until(
      'the round running',
      async () => (await page.locator('#status').textContent()) ?? '',
      (t) => t.includes('running'),
    );
    // Mid-round pictures: ships exploding and warping back, the kill feed, the chart filling up. Taken once the
    // feed shows hits and a recovery, i.e. once there is a battle to see.
    await until(
      'hits and a recovery mid-round',
      () => feedLines(text),
      (lines) => {
        const round = lines.slice(linesBefore);
        return (
          round.filter((l) => l.startsWith('hit: ')).length >= 3 &&
          round.some((l) => l.startsWith('recovered: '))
        );
      },
      20_000,
    );
    await battle.screenshot({ path: join(artifactsDir, 'live-battle.png') });
    await until(
      'the round finished',
      async () => (await page.locator('#status').textContent()) ?? '',
      (t) => t.includes('finished'),
      40_000,
    );
    // Auto fire deleted controller pods; their replacements brought the fleet back, and the feed says in how long.
    const recovered = await until(
      'a controller fleet recovered in the text feed',
      () => feedLines(text),
      (lines) => lines.some((l) => /^recovered: (leia|luke) in \d+\.\d s$/.test(l)),
    );
    const first = recovered.findIndex((l) => l.startsWith('recovered: '));
    const fleet = /^recovered: (\w+)/.exec(recovered[first]!)![1]!;
    assert.ok(
      recovered.slice(0, first).some((l) => l.startsWith(`hit: ${fleet} / `)),
      `a hit on ${fleet} before its recovery: ${recovered.slice(0, first + 1).join(' | ')}`,
    );
    const standings = await until(
      'the final standings',
      () =>
        rows.evaluateAll((trs) =>
          trs.map((tr) => [tr.children[1]?.textContent, tr.children[2]?.textContent]),
        ),
      (r) => r.length === 3 && r[2]?.[0] === 'han',
    );
    assert.deepEqual(
      standings.map(([, status]) => status),
      ['alive', 'alive', 'eliminated'],
    );
    assert.deepEqual(
      standings
        .slice(0, 2)
        .map(([player]) => player)
        .sort(),
      ['leia', 'luke'],
    );
    assert.match(
      (await page.getByTestId('report').textContent()) ?? '',
      /han: bare pod: nothing recreated it/,
    );
    const timeline = await until(
      "the round's timeline of a controller fleet in the report",
      async () =>
        (await page
          .locator(`[data-testid=timeline][data-fleet=${fleet}] span`)
          .textContent({ timeout: 10_000 })) ?? '',
      (t) => t !== '',
    );
    assert.match(timeline, /^\d+ hits? · [1-9]\d* recover(y|ies) · slowest \d+\.\d s$/);
    const exportButton = page.locator('[data-testid^="export-csv-"]').first();
    await exportButton.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), exportButton.click()]);
    const csv = readFileSync(await download.path(), 'utf8');
    assert.match(csv, /han/);
    assert.match(csv, /leia/);
    const finished = page.locator('#history li', { hasText: 'finished' }).first();
    assert.match((await finished.textContent()) ?? '', /first: (leia|luke) of 3/);
    await finished.locator('summary').click();
    const saved = finished.locator('[data-testid^="standings-"] tbody tr');
    await saved.nth(2).waitFor();
    assert.deepEqual(await saved.evaluateAll((trs) => trs.map((tr) => tr.children[2]?.textContent)), [
      'alive',
      'alive',
      'eliminated',
    ]);
    await page.screenshot({ path: join(artifactsDir, 'live-instructor.png'), fullPage: true });
    const player = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await player.goto(`${platform.url}/`);
    await player.getByTestId('kubeconfig-command').waitFor();
    await player.screenshot({ path: join(artifactsDir, 'live-player.png'), fullPage: true });
  });
});

describe('the instructor’s controls on `kubewars start`', { timeout: 120_000 }, () => {
  let platform: Awaited<ReturnType<typeof startKubewarsPlatform>>;
  let browser: Browser;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${platform.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    assert.ok(res.ok, `${method} ${path}: ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const chaos = async () => (await api('GET', '/api/state'))['chaos'] as ChaosSettings;

  before(async () => {
    platform = await startKubewarsPlatform(['--instructor-token', TOKEN]);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await platform?.stop();
  });

  test('the chaos form shows the settings in force; budget, capital ships, hard stop and reset reach the server', async () => {
    // Set from outside the page (a script, another tab): the form must show them, not its HTML defaults.
    await api('PUT', '/api/chaos', { intervalSeconds: 0.5, jitter: 0.1, budgetPerMinute: 120 });
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`${platform.url}/instructor?token=${TOKEN}`);
    await until(
      'the form filled from the server',
      () =>
        page.evaluate(() =>
          ['interval', 'jitter', 'budget'].map(
            (n) => document.querySelector<HTMLInputElement>(`input[name=${n}]`)?.value,
          ),
        ),
      (values) => values.join() === '0.5,10,120',
    );
    await page.fill('input[name=budget]', '300');
    await page.check('input[name=capital]');
    await page.fill('input[name=capitalHits]', '5');
    await page.selectOption('select[name=capitalPolicy]', 'Background');
    await page.click('#controls button[type=submit]');
    await page.getByText('Done.').waitFor();
    const applied = await chaos();
    assert.equal(applied.intervalSeconds, 0.5, 'untouched fields keep the values in force');
    assert.equal(applied.jitter, 0.1);
    assert.equal(applied.budgetPerMinute, 300);
    assert.deepEqual(applied.capitalShips, {
      enabled: true,
      hitsToDestroy: 5,
      propagationPolicy: 'Background',
    });

    await page.click('#halt');
    await page.getByText('Hard stop: every shot is refused').waitFor();
    assert.equal((await chaos()).halted, true);
    assert.equal(await page.locator('#halt').textContent(), 'Resume fire');
    await page.click('#halt');
    await page.getByText('Fire resumed.').waitFor();
    assert.equal((await chaos()).halted, false);

    await api('POST', '/api/rounds', { durationSeconds: 60 });
    await until(
      'a round under way',
      async () => (await api('GET', '/api/state'))['round'],
      (r) => r !== null,
    );
    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('#reset');
    await until(
      'the game back in the lobby',
      async () => (await api('GET', '/api/state'))['round'],
      (r) => r === null,
    );
    await page.close();
  });
});
