import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { PAGE_TABLES } from '../../../game/i18n/page-strings.ts';
import { LANGUAGE_KEY } from '../../../game/i18n/language.ts';
import { ATTENDEE_KEY, type Attendee } from '../../../game/player/attendee.ts';
import { artifactsDir, launchChromium } from '../../support/browser.ts';
import { fleet } from '../../support/game-fixtures.ts';
import { until } from '../../support/until.ts';
import { wordsOutsideTables } from '../game/page-words.ts';
import { startRoomSite, type RoomSite } from './room-site.ts';

// The room pages (issue 12) in Chromium against the room contract: joining, the kubeconfig download, the same
// attendee after a reload and in a second tab, a taken name, the cockpit, the instructor's Attendees panel.
const en = PAGE_TABLES.en;
const MAX_ATTENDEES = 4;

describe('the room pages', () => {
  let site: RoomSite;
  let browser: Browser;
  /** rey's browser, kept across tests: the reload, the second tab and leaving happen in it. */
  let rey: BrowserContext;
  /** The browser that was offered rey-2. */
  let rey2: BrowserContext;

  before(async () => {
    site = await startRoomSite(MAX_ATTENDEES);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  const newContext = (): Promise<BrowserContext> =>
    browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
  const openPlayerPage = async (context: BrowserContext): Promise<Page> => {
    const page = await context.newPage();
    await page.goto(`${site.url}/`);
    return page;
  };
  const joinAs = async (page: Page, name: string): Promise<void> => {
    await page.locator('#attendee-name').fill(name);
    await page.getByTestId('join-button').click();
  };
  const saved = (page: Page): Promise<Attendee | null> =>
    page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null') as Attendee | null, ATTENDEE_KEY);
  const downloadFrom = async (
    page: Page,
    click: () => Promise<void>,
  ): Promise<{ file: Download; text: string }> => {
    const [file] = await Promise.all([page.waitForEvent('download'), click()]);
    return { file, text: await readFile((await file.path()) as string, 'utf8') };
  };
  /** The kubeconfig as the contract serves it to `credential` (the attendee's key or the instructor token). */
  const servedKubeconfig = async (name: string, credential: string): Promise<string> => {
    const response = await fetch(`${site.url}/api/attendees/${name}/kubeconfig`, {
      headers: { authorization: `Bearer ${credential}` },
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-disposition') ?? '', /attachment/);
    return response.text();
  };
  const attendeeNames = async (): Promise<string[]> => {
    const response = await fetch(`${site.url}/api/attendees`, {
      headers: { authorization: `Bearer ${site.instructorToken}` },
    });
    return ((await response.json()) as { name: string }[]).map((a) => a.name).sort();
  };

  test('without a room the player page stays the single-user page', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.route('**/api/room', (route) => route.fulfill({ status: 404, json: { error: 'Not found' } }));
    await page.goto(`${site.url}/`);
    await page.locator('#name-card').getByText(en.player.nameTitle).waitFor({ timeout: 10_000 });
    assert.equal(await page.getByTestId('join-card').isHidden(), true);
    assert.equal(await page.getByTestId('cockpit').isHidden(), true);
    await page.locator('#player-name').fill('leia');
    await page.locator('#name-form button[type=submit]').click();
    assert.match(await page.getByTestId('fleet-manifest').innerText(), /player: "leia"/);
    await context.close();
  });

  test('an attendee joins, downloads kubewars-rey.kubeconfig and gets the commands for both shells', async () => {
    rey = await newContext();
    const page = await openPlayerPage(rey);
    await page.getByTestId('join-card').getByText(en.room.joinTitle).waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('#name-card').isHidden(), true);
    await joinAs(page, 'rey');
    await page.getByTestId('you-are').getByText('You are rey').waitFor();

    const attendee = await saved(page);
    assert.equal(attendee?.name, 'rey');
    assert.ok(attendee.key.length >= 16, 'the key is kept in localStorage');
    assert.equal(
      await page.getByTestId('posix-commands').innerText(),
      'export KUBECONFIG="$HOME/Downloads/kubewars-rey.kubeconfig"\nkubectl get nodes',
    );
    assert.match(
      await page.getByTestId('powershell-commands').innerText(),
      /^\$env:KUBECONFIG = ".+kubewars-rey\.kubeconfig"/,
    );
    assert.match(await page.getByTestId('fleet-manifest').innerText(), /player: "rey"/);

    const { file, text } = await downloadFrom(page, () => page.getByTestId('download-kubeconfig').click());
    assert.equal(file.suggestedFilename(), 'kubewars-rey.kubeconfig');
    assert.equal(text, await servedKubeconfig('rey', attendee.key));
    assert.match(text, /kind: Config/);
    await page.screenshot({ path: join(artifactsDir, 'room-joined.png'), fullPage: true });
  });

  test('after a reload and in a second tab the browser is still rey, and downloads again with its key', async () => {
    const page = rey.pages()[0]!;
    await page.reload();
    await page.getByTestId('you-are').getByText('You are rey').waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('#join-form').isHidden(), true);

    const second = await openPlayerPage(rey);
    await second.getByTestId('you-are').getByText('You are rey').waitFor({ timeout: 10_000 });
    const { file, text } = await downloadFrom(second, () =>
      second.getByTestId('download-kubeconfig').click(),
    );
    assert.equal(file.suggestedFilename(), 'kubewars-rey.kubeconfig');
    assert.equal(text, await servedKubeconfig('rey', (await saved(second))!.key));
    await second.close();
  });

  test('a taken name says so, puts a suggestion in the box, and the suggestion joins', async () => {
    rey2 = await newContext();
    const page = await openPlayerPage(rey2);
    await joinAs(page, 'rey');
    await page
      .getByTestId('join-error')
      .getByText(en.room.taken('rey', 'rey-2'))
      .waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('#attendee-name').inputValue(), 'rey-2');
    assert.equal(await saved(page), null);
    await page.getByTestId('join-button').click();
    await page.getByTestId('you-are').getByText('You are rey-2').waitFor();
    assert.deepEqual(await attendeeNames(), ['rey', 'rey-2']);
  });

  test('a name that cannot be a pilot name is refused on the page, without asking the server', async () => {
    const context = await newContext();
    const page = await openPlayerPage(context);
    await page.getByTestId('join-card').waitFor({ timeout: 10_000 });
    const joins: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') joins.push(request.url());
    });
    await joinAs(page, '<img src=x onerror=alert(1)>');
    assert.equal(await page.getByTestId('join-error').innerText(), en.player.nameCharacters);
    assert.deepEqual(joins, []);
    assert.equal(await page.locator('main img').count(), 0);
    await context.close();
  });

  test('the cockpit follows the attendee’s fleet: ships, rank, hits, recoveries, what hit it and why it died', async () => {
    const page = rey.pages()[0]!;
    const now = Date.now();
    site.feed.push([
      { op: 'round', round: { id: 1, status: 'running', startedAt: now, endsAt: now + 300_000 } },
      {
        op: 'fleet',
        fleet: fleet('rey', {
          flying: 2,
          total: 3,
          rank: 1,
          hits: 1,
          recoveries: 1,
          recoveryP50Ms: 2100,
          recoveryP95Ms: 2100,
          controllers: ['Pod'],
        }),
      },
      { op: 'fleet', fleet: fleet('finn', { rank: 2, joinOrder: 1 }) },
      {
        op: 'shot',
        shot: {
          id: 9001,
          time: now,
          round: 1,
          uid: 'r1',
          name: 'rey-pod',
          namespace: 'default',
          fleet: 'rey',
          outcome: 'hit',
          dryRun: false,
          source: 'auto',
        },
      },
      {
        op: 'shot',
        shot: {
          id: 9002,
          time: now,
          round: 1,
          uid: 'f1',
          name: 'finn-pod',
          namespace: 'default',
          fleet: 'finn',
          outcome: 'hit',
          dryRun: false,
          source: 'manual',
        },
      },
      { op: 'recovery', recovery: { time: now + 2100, round: 1, fleet: 'rey', ms: 2100 } },
    ]);
    const stats = page.getByTestId('cockpit-stats');
    await stats.getByText('2/3 ships flying').waitFor({ timeout: 10_000 });
    assert.deepEqual(await stats.locator('li').allInnerTexts(), [
      '2/3 ships flying',
      'rank 1 of 2',
      '1 hit',
      '1 recovery',
      'recovery time p50 2.1 s, p95 2.1 s',
    ]);
    assert.equal(await page.getByTestId('cockpit-headline').innerText(), en.room.flying);
    const events = await page.getByTestId('cockpit-events').locator('li').allInnerTexts();
    assert.equal(events.length, 2, events.join('\n'));
    assert.match(events[0]!, /back to full strength in 2\.1 s$/);
    assert.match(events[1]!, /rey-pod hit by auto-fire$/);

    site.feed.push([
      {
        op: 'fleet',
        fleet: fleet('rey', { alive: false, flying: 0, total: 0, rank: 2, hits: 2, controllers: [] }),
      },
    ]);
    await page.getByTestId('cockpit-why').getByText('Why: bare pod: nothing recreated it').waitFor();
    assert.equal(await page.getByTestId('cockpit-headline').innerText(), en.room.eliminated);
    await page.screenshot({ path: join(artifactsDir, 'room-cockpit.png'), fullPage: true });
  });

  test('the instructor sees every attendee, downloads one’s kubeconfig and removes one after confirming', async () => {
    site.feed.push([{ op: 'fleet', fleet: fleet('rey-2', { flying: 3, total: 3, rank: 1 }) }]);
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(`${site.url}/instructor?token=${site.instructorToken}`);
    const panel = page.getByTestId('attendees-panel');
    await panel.locator('tr[data-attendee="rey-2"]').waitFor({ timeout: 10_000 });
    assert.equal(await page.getByTestId('attendee-seats').innerText(), `2 of ${MAX_ATTENDEES} seats taken`);
    assert.deepEqual(await panel.locator('thead th').allInnerTexts(), [
      'Name',
      'Joined',
      'Ships flying',
      'Steps done',
      'Last activity',
      'Actions',
    ]);
    const row = panel.locator('tr[data-attendee="rey-2"]');
    assert.deepEqual((await row.locator('th, td').allInnerTexts()).slice(2, 4), ['3/3', '0']);
    assert.deepEqual(
      await panel
        .locator('tbody tr')
        .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset['attendee'])),
      ['rey', 'rey-2'],
    );

    const reyRow = panel.locator('tr[data-attendee="rey"]');
    const { file, text } = await downloadFrom(page, () =>
      reyRow.locator('button[data-action=download]').click(),
    );
    assert.equal(file.suggestedFilename(), 'kubewars-rey.kubeconfig');
    assert.equal(text, await servedKubeconfig('rey', site.instructorToken));

    const questions: string[] = [];
    page.once('dialog', (dialog) => {
      questions.push(dialog.message());
      void dialog.dismiss();
    });
    await row.locator('button[data-action=remove]').click();
    await until('the dismissed confirmation', async () => questions.length === 1);
    assert.equal(questions[0], en.instructor.attendees.removeConfirm('rey-2'));
    assert.deepEqual(await attendeeNames(), ['rey', 'rey-2'], 'a dismissed confirmation removes nobody');

    page.once('dialog', (dialog) => void dialog.accept());
    await row.locator('button[data-action=remove]').click();
    await row.waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('message').innerText(), 'rey-2 removed.');
    assert.deepEqual(await attendeeNames(), ['rey']);
    await page.screenshot({ path: join(artifactsDir, 'room-attendees.png'), fullPage: true });
    await context.close();

    // The removed attendee's browser learns its key is gone at the next load, and may join again.
    const removed = rey2.pages()[0]!;
    await removed.reload();
    await removed
      .getByTestId('join-error')
      .getByText(en.room.keyRevoked('rey-2'))
      .waitFor({ timeout: 10_000 });
    assert.equal(await saved(removed), null);
    assert.equal(await removed.getByTestId('cockpit').isHidden(), true);
    await rey2.close();
  });

  test('leaving forgets the key on this browser, in every tab', async () => {
    const page = rey.pages()[0]!;
    const other = await openPlayerPage(rey);
    await other.getByTestId('you-are').getByText('You are rey').waitFor({ timeout: 10_000 });
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('leave-room').click();
    await page.locator('#join-form').waitFor();
    assert.equal(await saved(page), null);
    assert.equal(await page.getByTestId('cockpit').isHidden(), true);
    await other.locator('#join-form').waitFor();
    assert.equal(await other.locator('#joined').isHidden(), true);
    await rey.close();
  });

  test('in the pseudo-locale every word of the join card, the cockpit and the Attendees panel comes from a table', async () => {
    const context = await newContext();
    await context.addInitScript(([key]) => localStorage.setItem(key!, 'zz'), [LANGUAGE_KEY]);
    const page = await openPlayerPage(context);
    await joinAs(page, 'rey');
    await page.getByTestId('join-error').locator('text=⟦').waitFor({ timeout: 10_000 });
    const stray: Record<string, string[]> = {};
    stray['join card, name taken'] = await wordsOutsideTables(page, ['rey']);
    await page.getByTestId('join-button').click();
    await page.getByTestId('you-are').getByText('rey-2').waitFor();
    site.feed.push([
      { op: 'fleet', fleet: fleet('rey-2', { alive: false, flying: 0, total: 0, hits: 1, controllers: [] }) },
    ]);
    await page.getByTestId('cockpit-why').locator('text=⟦').waitFor();
    stray['joined, cockpit'] = await wordsOutsideTables(page, ['rey-2', 'rey']);

    await page.goto(`${site.url}/instructor?token=${site.instructorToken}`);
    await page
      .getByTestId('attendees-panel')
      .locator('tr[data-attendee="rey-2"]')
      .waitFor({ timeout: 10_000 });
    stray['instructor, Attendees panel'] = (
      await wordsOutsideTables(page, ['rey-2', 'rey', 'finn', 'Pod', 'AM', 'PM'])
    ).filter(
      // The rest of the instructor screen has its own pseudo-locale test (test/browser/game/languages.test.ts).
      (line) => !line.startsWith('CANVAS'),
    );
    await context.close();
    assert.deepEqual(stray, {
      'join card, name taken': [],
      'joined, cockpit': [],
      'instructor, Attendees panel': [],
    });
  });

  test('a full room says so in words the attendee understands', async () => {
    for (let i = (await attendeeNames()).length; i < MAX_ATTENDEES; i++) {
      const response = await fetch(`${site.url}/api/attendees`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `seat-${i}` }),
      });
      assert.equal(response.status, 201);
    }
    const context = await newContext();
    const page = await openPlayerPage(context);
    await joinAs(page, 'poe');
    await page.getByTestId('join-error').getByText(en.room.full).waitFor({ timeout: 10_000 });
    assert.equal(await saved(page), null);
    await context.close();
  });
});
