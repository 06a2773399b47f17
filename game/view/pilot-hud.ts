import type { PilotStatus } from '../pilot/session.ts';
import { hudLines, type HudSource } from './hud.ts';
import { words } from '../i18n/language.ts';
import { formatNumber } from '../i18n/format.ts';

/** Pilot mode's HUD: lives, score and the round line, plus a centred banner when the game is over. */
export function pilotHud(
  pilot: PilotStatus,
  source: HudSource,
  now: number,
): { lines: string[]; banner: string } {
  const hud = hudLines(source, now);
  const lives = pilot.lives > 0 ? '♥'.repeat(pilot.lives) : '—';
  const t = words().pilot;
  const lines = [t.stats(lives, formatNumber(pilot.score), formatNumber(pilot.kills)), hud.status];
  if (pilot.capitalHits > 0) lines.push(t.capitalHits(formatNumber(pilot.capitalHits)));
  if (hud.warning) lines.push(hud.warning);
  lines.push(t.help);
  const banner = pilot.gameOver ? t.gameOver(formatNumber(pilot.score)) : '';
  return { lines, banner };
}
