import type { FleetScore, RoundInfo } from '../store/protocol-types.ts';

export interface HudSource {
  round: RoundInfo | null;
  fleets: ReadonlyMap<string, FleetScore>;
  connected: boolean;
  reconnectingSince: number | null;
  /**
   * When this client saw the round pause. The protocol carries no pause time and endsAt only moves on resume, so
   * the time left is frozen at this moment; null when the page arrived during the pause (then no clock is shown).
   */
  roundPausedAt?: number | null;
}

/** The HUD's text: round state with its countdown, fleets alive/total, and the cluster connection warning. */
export function hudLines(source: HudSource, now: number): { status: string; warning: string } {
  const fleets = [...source.fleets.values()];
  const alive = fleets.filter((f) => f.alive).length;
  const round = source.round;
  let roundText = 'lobby';
  if (round) {
    roundText = `round ${round.id}: ${round.status}`;
    const left = timeLeft(round, now, source.roundPausedAt ?? null);
    if (left !== null) roundText += ` ${formatClock(left)}`;
  }
  let warning = '';
  if (!source.connected) {
    const since = source.reconnectingSince;
    warning = `Cluster connection lost — reconnecting${since === null ? '' : ` for ${Math.round((now - since) / 1000)} s`}`;
  }
  return { status: `${roundText} · fleets alive ${alive}/${fleets.length}`, warning };
}

/** Ms the clock shows: to the start during the countdown, to the end while running or paused; null for no clock. */
function timeLeft(round: RoundInfo, now: number, pausedAt: number | null): number | null {
  let until: number | null | undefined = null;
  let from = now;
  if (round.status === 'countdown') until = round.countdownEndsAt;
  if (round.status === 'running') until = round.endsAt;
  if (round.status === 'paused' && pausedAt !== null) {
    until = round.endsAt;
    from = pausedAt;
  }
  return until === null || until === undefined ? null : Math.max(0, until - from);
}

export function formatClock(ms: number): string {
  const total = Math.ceil(ms / 1000);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
