// What the rounds API and its exports answer, read from the archive: summaries, a round's detail, CSV and JSON.
import type {
  FleetStanding,
  RecoveryEvent,
  RoundDetail,
  RoundSummary,
  ShotCounts,
  ShotEvent,
} from '../protocol.ts';
import { roundTimeline } from '../scoring/timeline.ts';
import type { ShotQuery, StoredRound } from './rounds-archive.ts';

/** The archive's reads these views need (the SQLite archive, or a fake in tests). */
export interface RoundsReader {
  rounds(): StoredRound[];
  round(id: number): StoredRound | undefined;
  standings(roundId: number): FleetStanding[];
  shots(roundId: number, query?: ShotQuery): ShotEvent[];
  shotLogSize(roundId: number): number;
  recoveries(roundId: number): RecoveryEvent[];
  shotCounts(roundId: number): ShotCounts;
}

/** Shots a round page carries: the latest ones; the JSON export has them all. */
export const SHOT_LOG_LIMIT = 500;

export function roundSummary(archive: RoundsReader, r: StoredRound): RoundSummary {
  const standings = archive.standings(r.id);
  return {
    ...r,
    fleetCount: standings.length,
    leader: standings[0]?.player ?? null,
    shots: archive.shotCounts(r.id),
  };
}

export function roundSummaries(archive: RoundsReader): RoundSummary[] {
  return archive.rounds().map((r) => roundSummary(archive, r));
}

/** A round's page: standings, the latest `shotLogLimit` shots and the whole timeline. */
export function roundDetail(
  archive: RoundsReader,
  id: number,
  shotLogLimit = SHOT_LOG_LIMIT,
): RoundDetail | undefined {
  const r = archive.round(id);
  if (!r) return undefined;
  return {
    ...roundSummary(archive, r),
    fleets: archive.standings(id),
    shotLog: archive.shots(id, Number.isFinite(shotLogLimit) ? { limit: shotLogLimit } : {}),
    shotLogTotal: archive.shotLogSize(id),
    timeline: roundTimeline(archive.shots(id, { hitsOnly: true }), archive.recoveries(id)),
  };
}

/** A round's detail as a JSON download, or its standings as CSV. */
export function exportRound(detail: RoundDetail, format: 'csv' | 'json'): string {
  return format === 'json' ? JSON.stringify(detail, null, 2) : standingsCsv(detail.fleets);
}

const CSV_COLUMNS = [
  'rank',
  'player',
  'alive',
  'flying',
  'total',
  'uptime',
  'hits',
  'recoveries',
  'recoveryP50Ms',
  'recoveryP95Ms',
  'longestOutageMs',
  'shipsLost',
  'eliminatedAt',
  'joinOrder',
] as const;

/** RFC 4180 CSV of a round's standings, one fleet a line, in rank order. */
export function standingsCsv(fleets: readonly FleetStanding[]): string {
  const cell = (v: unknown) => {
    const text = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [CSV_COLUMNS.join(',')];
  for (const f of fleets) lines.push(CSV_COLUMNS.map((c) => cell(f[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
