// Battle screen frame rate with 1,000 ships in 100 fleets under 5 shots/s, in headless Chromium (software
// rendering). The page is fed over socket.io by the synthetic /game feed from the browser tests (same protocol
// as the game server is expected to speak), so it measures the page, not the cluster. The floor, measured next in
// the same page under the same fire: the same ships as bare sprites in the same formation (`/game?bench=floor`: no
// effects, labels, HUD or tweens); fpsRatio is fpsAvg over floorFps. `--trace FILE` writes Chromium's performance
// trace of the battle's measured window (open it in chrome://tracing or DevTools' Performance panel).
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/support/browser.ts';
import { startSyntheticFeed } from '../test/browser/game/synthetic-feed.ts';
import type { Ship } from '../game/store/protocol-types.ts';
import { DEFAULT_CHAOS } from '../server/game/chaos/choice.ts';
import { percentile } from './support.ts';

const FLEETS = 100;
const SHIPS = 1000;
const SHOTS_PER_SECOND = 5;
const MEASURE_MS = 20_000;
const WARM_UP_MS = 3000;
const { values: args } = parseArgs({ options: { trace: { type: 'string' } } });

let next = 0;
let shotIds = 0;
const newShip = (fleet: number, state: Ship['state']): Ship => ({
  uid: `uid-${next++}`,
  name: `pilot-${fleet}-${next}`,
  namespace: 'default',
  fleet: `pilot-${String(fleet).padStart(3, '0')}`,
  state,
  controller: fleet % 3 === 0 ? 'Pod' : 'Deployment',
});
const ships = Array.from({ length: SHIPS }, (_, i) => newShip(i % FLEETS, 'flying'));
const feed = await startSyntheticFeed({
  seq: 1,
  connected: true,
  reconnectingSince: null,
  round: { id: 1, status: 'running', startedAt: Date.now(), endsAt: Date.now() + 300_000 },
  ships,
  fleets: [],
  chaos: DEFAULT_CHAOS,
});

const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });

// Each shot: the laser, the ship destroyed, removed, and for controlled fleets a replacement warping in.
const fire = setInterval(() => {
  const live = feed.state.ships.filter((s) => s.state === 'flying');
  const target = live[Math.floor(Math.random() * live.length)];
  if (!target) return;
  const fleetNo = Number(target.fleet.slice('pilot-'.length));
  feed.push([
    {
      op: 'shot',
      shot: {
        id: ++shotIds,
        time: Date.now(),
        round: 1,
        uid: target.uid,
        name: target.name,
        namespace: 'default',
        fleet: target.fleet,
        outcome: 'hit',
        dryRun: false,
      },
    },
    { op: 'ship', ship: { ...target, state: 'destroyed' } },
  ]);
  setTimeout(() => {
    const replacement =
      target.controller === 'Pod' ? [] : [{ op: 'ship' as const, ship: newShip(fleetNo, 'warping') }];
    feed.push([{ op: 'shipRemoved', uid: target.uid }, ...replacement]);
    for (const r of replacement)
      setTimeout(() => feed.push([{ op: 'ship', ship: { ...r.ship, state: 'flying' } }]), 800);
  }, 300);
}, 1000 / SHOTS_PER_SECOND);

/** Frame times (ms) of `path` over MEASURE_MS after a warm-up, and the renderer it chose. */
async function measure(page: Page, path: string, trace?: string) {
  await page.goto(`${feed.url}${path}`);
  const renderer = await page.evaluate(() => document.body.dataset['renderer']);
  await new Promise((r) => setTimeout(r, WARM_UP_MS));
  if (trace) await browser.startTracing(page, { path: trace, screenshots: false });
  // A string, not a function: tsx's name helpers do not exist inside the page.
  const frames: number[] = await page.evaluate(`new Promise((resolve) => {
    const deltas = [];
    let last = performance.now();
    const end = last + ${MEASURE_MS};
    requestAnimationFrame(function tick(now) {
      deltas.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(tick);
      else resolve(deltas);
    });
  })`);
  if (trace) await browser.stopTracing();
  const heap = await page.evaluate(
    () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
  );
  return { frames, renderer, heap };
}

const fpsOf = (frames: number[]) => (frames.length / frames.reduce((a, b) => a + b, 0)) * 1000;
const { frames, renderer, heap } = await measure(page, '/game', args.trace);
const floor = await measure(page, '/game?bench=floor');
clearInterval(fire);
await browser.close();
await feed.close();

const fpsAvg = Math.round(fpsOf(frames) * 10) / 10;
const floorFps = Math.round(fpsOf(floor.frames) * 10) / 10;
const fpsRatio = Math.round((fpsAvg / floorFps) * 100) / 100;
/** The 5th percentile of the frames' rates: the slow frames (one missed vsync at 60 Hz is a 30 fps frame). */
const p5Of = (deltas: number[]) =>
  percentile(
    deltas.map((d) => 1000 / d),
    5,
  );
const fpsP5 = p5Of(frames);
const floorFpsP5 = p5Of(floor.frames);
const pageMB = Math.round((heap / 1024 / 1024) * 10) / 10;
console.log(
  `renderer ${renderer}, ${SHIPS} ships in ${FLEETS} fleets, ${SHOTS_PER_SECOND} shots/s, ${MEASURE_MS / 1000} s`,
);
console.log(`frames ${frames.length}, fps avg ${fpsAvg}, p5 ${fpsP5}, JS heap ${pageMB} MB`);
console.log(
  `floor (the same ships as bare sprites, renderer ${floor.renderer}): fps avg ${floorFps}, p5 ${floorFpsP5}; battle / floor ${fpsRatio}`,
);
if (args.trace) console.log(`performance trace of the battle's measured window: ${args.trace}`);
console.log(JSON.stringify({ ships: SHIPS, fpsAvg, fpsP5, pageMB, floorFps, fpsRatio, floorFpsP5 }));
