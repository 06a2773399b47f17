import type { FleetScore } from '../store/protocol-types.ts';
import { formatPercent, formatSeconds as formatSecondsIn } from '../i18n/format.ts';

/**
 * The documented ranking: survivors first, then higher uptime, then lower p95 recovery time (none measured sorts
 * last), then fewer ships lost; ties keep join order.
 */
export function rankFleets(fleets: Iterable<FleetScore>): FleetScore[] {
  return [...fleets].sort(
    (a, b) =>
      Number(b.alive) - Number(a.alive) ||
      b.uptime - a.uptime ||
      (a.recoveryP95Ms ?? Infinity) - (b.recoveryP95Ms ?? Infinity) ||
      a.shipsLost - b.shipsLost ||
      a.joinOrder - b.joinOrder,
  );
}

export interface LeaderboardRow {
  rank: number;
  player: string;
  status: 'alive' | 'eliminated';
  ships: string;
  uptime: string;
  hits: string;
  recoveries: string;
  p50: string;
  p95: string;
  controllers: string;
}

export function leaderboardRows(fleets: Iterable<FleetScore>): LeaderboardRow[] {
  return rankFleets(fleets).map((f, i) => ({
    rank: i + 1,
    player: f.player,
    status: f.alive ? 'alive' : 'eliminated',
    ships: `${f.flying}/${f.total}`,
    uptime: formatPercent(f.uptime),
    hits: String(f.hits),
    recoveries: String(f.recoveries),
    p50: formatSeconds(f.recoveryP50Ms),
    p95: formatSeconds(f.recoveryP95Ms),
    controllers: [...new Set(f.controllers)].join(', '),
  }));
}

export function formatSeconds(ms: number | null): string {
  return ms === null ? '–' : formatSecondsIn(ms);
}
