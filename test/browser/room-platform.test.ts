// The room end to end (issue 12) on the real platform, as `kubewars start --room` composes it on a loopback address
// of its own: an attendee joins in Chromium and downloads a kubeconfig (its cluster's first answer already shows the
// kube-system pods Running, issue 15), real kubectl 1.35 applies a fleet with it,
// the instructor's Attendees panel and the battle screen show that fleet, a second attendee cannot see it, and
// removing the attendee revokes the kubeconfig and takes the ships off the screen.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PAGE_TABLES } from '../../game/i18n/page-strings.ts';
import type { MirroredShip } from '../../game/view/state-mirror.ts';
import { startPlatform, type RunningPlatform } from '../../server/platform.ts';
import { artifactsDir, launchChromium } from '../support/browser.ts';
import { kubectlBinaries, kubectlFor } from '../support/kubectl.ts';
import { projectRoot } from '../support/kubewars.ts';
import { until } from '../support/until.ts';

/** The room's one address: loopback, never another interface. */
const ROOM_ADDRESS = '127.0.0.2';
const INSTRUCTOR_TOKEN = 'room-platform-instructor-token';
const FLEET = join(projectRoot, 'steps/step-17-kube-wars/deployment-fleet.yaml');
const REPLICAS = 5;

describe('the room on the real platform', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubewars-room-platform-'));
  const kubectl135 = kubectlBinaries().find((binary) => binary.version === '1.35');
  let platform: RunningPlatform;
  let browser: Browser;
  let battle: Page;
  let instructor: Page;

  before(async () => {
    [platform, browser] = await Promise.all([
      startPlatform({
        host: ROOM_ADDRESS,
        port: 0,
        cluster: 'sandbox',
        sandboxKubeconfigOut: join(dir, 'sandbox.kubeconfig'),
        sandboxPort: 0,
        // The CLI's default: pods take the seconds a small real cluster takes.
        sandboxSpeed: 'realistic',
        dataDir: join(dir, 'data'),
        instructorToken: INSTRUCTOR_TOKEN,
        room: {
          publicAddress: ROOM_ADDRESS,
          attendeePodLimit: 50,
          maxAttendees: 10,
          joinsPerMinute: 60,
          tls: false,
        },
      }),
      launchChromium(),
    ]);
    // The big screen and the instructor's screen are open before anyone joins, as in a room.
    battle = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    instructor = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await Promise.all([
      battle.goto(`${platform.url}/game`),
      instructor.goto(`${platform.url}/instructor?token=${INSTRUCTOR_TOKEN}`),
    ]);
  });
  after(async () => {
    await browser?.close();
    await platform?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const newContext = (): Promise<BrowserContext> =>
    browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });

  /** Joins on the player page as `name` and downloads the kubeconfig there: the file's path. */
  async function joinAndDownload(name: string): Promise<string> {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(`${platform.url}/`);
    await page.locator('#attendee-name').fill(name);
    await page.getByTestId('join-button').click();
    await page.getByTestId('you-are').getByText(`You are ${name}`).waitFor({ timeout: 15_000 });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-kubeconfig').click(),
    ]);
    assert.equal(download.suggestedFilename(), `kubewars-${name}.kubeconfig`);
    const path = join(dir, download.suggestedFilename());
    await download.saveAs(path);
    assert.match(
      readFileSync(path, 'utf8'),
      /server: https:\/\/127\.0\.0\.2:\d+/,
      'the kubeconfig names the room’s address',
    );
    await context.close();
    return path;
  }

  /** The first answer of a new attendee cluster shows it as kubeadm hands one over: its own pods Running (issue 15). */
  async function assertSystemRunning(kubeconfigPath: string): Promise<void> {
    assert.ok(kubectl135);
    const system = await kubectlFor(
      kubectl135,
      kubeconfigPath,
    )(['get', 'pods', '-n', 'kube-system', '--no-headers']);
    assert.equal(system.exitCode, 0, system.stderr);
    const rows = system.stdout.trim().split('\n');
    assert.ok(
      rows.some((line) => line.startsWith('kube-apiserver-')),
      system.stdout,
    );
    assert.deepEqual(
      rows.filter((line) => !/^\S+\s+1\/1\s+Running\s/.test(line)),
      [],
      system.stdout,
    );
  }

  const shipsOf = async (fleet: string): Promise<MirroredShip[]> => {
    const shown = JSON.parse((await battle.getByTestId('state-mirror').textContent()) ?? '{}') as Record<
      string,
      MirroredShip
    >;
    return Object.values(shown).filter((ship) => ship.fleet === fleet);
  };

  test('join, download, fleet on the instructor’s panel and the battle screen, isolation, removal', async () => {
    assert.ok(kubectl135, 'kubectl 1.35');
    const reyConfig = await joinAndDownload('rey');
    await assertSystemRunning(reyConfig);
    const asRey = kubectlFor(kubectl135, reyConfig);
    // The course's fleet names the pilot luke: in rey's cluster it is rey's fleet all the same.
    const applied = await asRey(['apply', '-f', FLEET]);
    assert.equal(applied.exitCode, 0, applied.stderr);
    assert.match(applied.stdout, /deployment\.apps\/luke-fleet created/);
    const rollout = await asRey(['rollout', 'status', 'deployment/luke-fleet', '--timeout=30s'], {
      timeoutMs: 40_000,
    });
    assert.equal(rollout.exitCode, 0, rollout.stderr);

    // The screens follow the fleet while a second attendee joins: a cluster of their own, rey's fleet nowhere in it.
    const row = instructor.getByTestId('attendees-panel').locator('tr[data-attendee="rey"]');
    const [finnConfig] = await Promise.all([
      joinAndDownload('finn').then(async (path) => {
        await assertSystemRunning(path);
        return path;
      }),
      until(
        'rey’s five ships flying on the battle screen',
        () => shipsOf('rey'),
        (ships) => ships.length === REPLICAS && ships.every((ship) => ship.state === 'flying'),
      ),
      until(
        'rey’s ships on the instructor’s Attendees panel (polled every 5 s)',
        async () => (await row.locator('th, td').allInnerTexts())[2],
        (ships) => ships === `${REPLICAS}/${REPLICAS}`,
      ),
    ]);
    const asFinn = kubectlFor(kubectl135, finnConfig);
    const finnPods = await asFinn(['get', 'pods', '--all-namespaces', '-l', 'game=starwars']);
    assert.equal(finnPods.exitCode, 0, finnPods.stderr);
    assert.match(finnPods.stderr, /No resources found/);
    const finnFleet = await asFinn(['get', 'deployment', 'luke-fleet']);
    assert.notEqual(finnFleet.exitCode, 0);
    assert.match(finnFleet.stderr, /NotFound|not found/);
    const reyPods = await asRey(['get', 'pods', '-l', 'game=starwars', '-o', 'name']);
    assert.equal(reyPods.stdout.split('\n').filter(Boolean).length, REPLICAS, reyPods.stderr);
    await instructor.screenshot({ path: join(artifactsDir, 'room-platform-attendees.png') });

    const questions: string[] = [];
    instructor.once('dialog', (dialog) => {
      questions.push(dialog.message());
      void dialog.accept();
    });
    await row.locator('button[data-action=remove]').click();
    await row.waitFor({ state: 'detached' });
    assert.deepEqual(questions, [PAGE_TABLES.en.instructor.attendees.removeConfirm('rey')]);

    const revoked = await asRey(['get', 'pods']);
    assert.notEqual(revoked.exitCode, 0);
    assert.match(revoked.stderr, /Unauthorized/);
    await until(
      'rey’s ships off the battle screen',
      () => shipsOf('rey'),
      (ships) => ships.length === 0,
    );
    // finn is untouched by rey's removal.
    const finnAfter = await asFinn(['get', 'nodes']);
    assert.equal(finnAfter.exitCode, 0, finnAfter.stderr);

    // End room: after its confirmation every attendee is gone, finn included.
    const endQuestions: string[] = [];
    instructor.once('dialog', (dialog) => {
      endQuestions.push(dialog.message());
      void dialog.accept();
    });
    await instructor.getByTestId('end-room').click();
    await instructor.getByTestId('attendees').getByText(PAGE_TABLES.en.instructor.attendees.none).waitFor();
    assert.deepEqual(endQuestions, [PAGE_TABLES.en.instructor.attendees.endRoomConfirm]);
    const finnEnded = await asFinn(['get', 'nodes']);
    assert.notEqual(finnEnded.exitCode, 0);
    assert.match(finnEnded.stderr, /Unauthorized/);
  });
});
