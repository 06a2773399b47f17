// Flies the X-Wing in a pilot-mode page with the keyboard, reading positions from the pilot-state mirror.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { PilotMirror } from '../../../game/pilot/session.ts';
import { TUNING } from '../../../game/pilot/world.ts';

export async function pilotState(page: Page): Promise<PilotMirror> {
  return JSON.parse((await page.getByTestId('pilot-state').textContent()) ?? '{}') as PilotMirror;
}

/** Smallest signed difference between two headings. */
function turnBetween(from: number, to: number): number {
  return Math.atan2(Math.sin(to - from), Math.cos(to - from));
}

/**
 * Flies like a person would: turn toward where the TIE will be when the laser arrives, close in to a comfortable
 * range, fire a burst, look again. Returns once `fired` says the server was asked to fire at `uid`.
 */
export async function huntDown(
  page: Page,
  uid: string,
  fired: () => Promise<boolean>,
  ms = 45_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  let previous: { x: number; y: number; at: number } | null = null;
  while (!(await fired())) {
    if (Date.now() > deadline) assert.fail(`never hit ${uid}: ${JSON.stringify(await pilotState(page))}`);
    const s = await pilotState(page);
    if (s.gameOver) {
      await page.keyboard.press('Enter');
      continue;
    }
    const target = s.enemies[uid];
    if (!target) assert.fail(`${uid} left the field before it was hit`);
    const now = Date.now();
    let lead = { x: target.x, y: target.y };
    if (previous && now - previous.at < 1000) {
      const dt = (now - previous.at) / 1000;
      const [vx, vy] = [(target.x - previous.x) / dt, (target.y - previous.y) / dt];
      // A wrap-around jump is not a velocity.
      if (Math.hypot(vx, vy) < 200) {
        const flight = Math.hypot(target.x - s.xwing.x, target.y - s.xwing.y) / TUNING.laserSpeed;
        lead = { x: target.x + vx * flight, y: target.y + vy * flight };
      }
    }
    previous = { x: target.x, y: target.y, at: now };
    const distance = Math.hypot(lead.x - s.xwing.x, lead.y - s.xwing.y);
    const turn = turnBetween(s.xwing.angle, Math.atan2(lead.y - s.xwing.y, lead.x - s.xwing.x));
    const tolerance = Math.max(0.04, Math.atan2(TUNING.tieRadius, distance));
    if (Math.abs(turn) > tolerance) {
      const key = turn < 0 ? 'ArrowLeft' : 'ArrowRight';
      await page.keyboard.down(key);
      await page.waitForTimeout(Math.max(10, (Math.abs(turn) / TUNING.turnRate) * 1000 - 10));
      await page.keyboard.up(key);
      continue;
    }
    if (distance > 260) {
      await page.keyboard.down('ArrowUp');
      await page.waitForTimeout(150);
      await page.keyboard.up('ArrowUp');
    }
    await page.keyboard.down('Space');
    await page.waitForTimeout(120);
    await page.keyboard.up('Space');
  }
}
