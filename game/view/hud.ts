import type { FleetScore, RoundInfo } from '../store/protocol-types.ts';

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
  let roundText = 'lobby';
  if (round) {
    roundText = `round ${round.id}: ${round.status}`;
    if (round.endsAt !== null && (round.status === 'running' || round.status === 'countdown')) {
      roundText += ` ${formatClock(Math.max(0, round.endsAt - now))}`;
    }
  }
  let warning = '';
  if (!source.connected) {
    const since = source.reconnectingSince;
    warning = `Cluster connection lost — reconnecting${since === null ? '' : ` for ${Math.round((now - since) / 1000)} s`}`;
  }
  return { status: `${roundText} · fleets alive ${alive}/${fleets.length}`, warning };
}

export function formatClock(ms: number): string {
  const total = Math.ceil(ms / 1000);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
