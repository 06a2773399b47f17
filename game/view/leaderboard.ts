import type { FleetScore } from '../store/protocol-types.ts';
import { formatPercent, formatSeconds as formatSecondsIn } from '../i18n/format.ts';

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

/** One row per fleet in the server's ranking (the rank each fleet carries). */
export function leaderboardRows(fleets: Iterable<FleetScore>): LeaderboardRow[] {
  return [...fleets]
    .sort((a, b) => a.rank - b.rank)
    .map((f) => ({
      rank: f.rank,
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
