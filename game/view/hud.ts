import type { FleetScore, RoundInfo } from '../store/protocol-types.ts';
import { words } from '../i18n/language.ts';
import { formatDuration, formatNumber } from '../i18n/format.ts';

export interface HudSource {
  round: RoundInfo | null;
  fleets: ReadonlyMap<string, FleetScore>;
  connected: boolean;
  reconnectingSince: number | null;
}

/** The HUD's text: round state with its countdown, fleets alive/total, and the cluster connection warning. */
export function hudLines(source: HudSource, now: number): { status: string; warning: string } {
  const fleets = [...source.fleets.values()];
  const alive = fleets.filter((f) => f.alive).length;
  const round = source.round;
  const t = words().hud;
  let roundText = t.lobby;
  if (round) {
    roundText = t.round(formatNumber(round.id), t.roundStatus[round.status]);
    const left = timeLeft(round, now);
    if (left !== null) roundText += ` ${formatClock(left)}`;
  }
  let warning = '';
  if (!source.connected) {
    const since = source.reconnectingSince;
    warning = since === null ? t.connectionLost : t.reconnectingFor(formatDuration(now - since));
  }
  return {
    status: `${roundText} · ${t.fleetsAlive(formatNumber(alive), formatNumber(fleets.length))}`,
    warning,
  };
}

/**
 * Ms the clock shows: to the start during the countdown, to the end while running, and frozen while paused (both
 * times are the server's, so the paused clock needs no clock sync); null for no clock.
 */
function timeLeft(round: RoundInfo, now: number): number | null {
  let until: number | null | undefined = null;
  let from: number | null | undefined = now;
  if (round.status === 'countdown') until = round.countdownEndsAt;
  if (round.status === 'running') until = round.endsAt;
  if (round.status === 'paused') {
    until = round.endsAt;
    from = round.pausedAt;
  }
  return until === null || until === undefined || from === null || from === undefined
    ? null
    : Math.max(0, until - from);
}

export function formatClock(ms: number): string {
  const total = Math.ceil(ms / 1000);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
