import type { PilotStatus } from '../pilot/session.ts';
import { hudLines, type HudSource } from './hud.ts';

export const PILOT_HELP = '←/→ or A/D turn · ↑ or W thrust · Space fire';

/** Pilot mode's HUD: lives, score and the round line, plus a centred banner when the game is over. */
export function pilotHud(
  pilot: PilotStatus,
  source: HudSource,
  now: number,
): { lines: string[]; banner: string } {
  const hud = hudLines(source, now);
  const lives = pilot.lives > 0 ? '♥'.repeat(pilot.lives) : '—';
  const lines = [`Lives ${lives}   Score ${pilot.score}   TIEs destroyed ${pilot.kills}`, hud.status];
  if (pilot.capitalHits > 0) lines.push(`Star Destroyer hits ${pilot.capitalHits}`);
  if (hud.warning) lines.push(hud.warning);
  lines.push(PILOT_HELP);
  const banner = pilot.gameOver ? `GAME OVER\nScore ${pilot.score}\nPress Enter to fly again` : '';
  return { lines, banner };
}
