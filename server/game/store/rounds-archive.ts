// The rounds archive: SQLite rounds, fleets, shots, recoveries and scores, and the scoreboard to resume from. The
// save loop writes it at least every second; on restart the unfinished round comes back with its scoreboard.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import sqlite from 'node-sqlite3-wasm';
import type { FleetStanding, RecoveryEvent, RoundInfo, ShotEvent } from '../protocol.ts';
import { BUDGET_REASON } from '../chaos/choice.ts';
import type {
  FleetRecord,
  SavedFleetRecord,
  SavedScoreboard,
  ScoreboardData,
} from '../scoring/scoreboard.ts';
import { claimDataDir } from './data-dir-lock.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rounds (
  id INTEGER PRIMARY KEY,
  status TEXT NOT NULL,
  duration_ms INTEGER NOT NULL,
  started_at INTEGER,
  ends_at INTEGER,
  finished_at INTEGER
);
CREATE TABLE IF NOT EXISTS fleets (
  round_id INTEGER NOT NULL,
  player TEXT NOT NULL,
  join_order INTEGER NOT NULL,
  PRIMARY KEY (round_id, player)
);
CREATE TABLE IF NOT EXISTS scores (
  round_id INTEGER NOT NULL,
  player TEXT NOT NULL,
  rank INTEGER NOT NULL,
  standing TEXT NOT NULL,
  PRIMARY KEY (round_id, player)
);
CREATE TABLE IF NOT EXISTS shots (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  round_id INTEGER,
  time INTEGER NOT NULL,
  uid TEXT NOT NULL,
  name TEXT NOT NULL,
  namespace TEXT NOT NULL,
  fleet TEXT NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT,
  dry_run INTEGER NOT NULL,
  source TEXT
);
CREATE INDEX IF NOT EXISTS shots_round ON shots (round_id);
CREATE TABLE IF NOT EXISTS recoveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  round_id INTEGER,
  time INTEGER NOT NULL,
  fleet TEXT NOT NULL,
  ms INTEGER NOT NULL,
  uid TEXT,
  name TEXT
);
CREATE INDEX IF NOT EXISTS recoveries_round ON recoveries (round_id);
CREATE TABLE IF NOT EXISTS budget_refusals (
  round_id INTEGER PRIMARY KEY,
  count INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS game (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

export interface ShotQuery {
  /** Real hits only (not dry run): what the timeline needs. */
  hitsOnly?: boolean;
  /** The latest this many. */
  limit?: number;
}

export interface StoredRound extends RoundInfo {
  durationSeconds: number;
  finishedAt: number | null;
}

export class RoundsArchive {
  private readonly db: sqlite.Database;
  /** Gives the data directory up. */
  private readonly release: () => void;
  private readonly statements = new Map<string, sqlite.Statement>();
  /**
   * The standing this process last wrote for each round and fleet: a save, every second, rewrites only the fleets
   * whose standing changed (a hundred rows rewritten each second held the event loop for tens of milliseconds).
   */
  private readonly written = new Map<string, string>();

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.release = claimDataDir(dataDir);
    // node-sqlite3-wasm locks the database with a `game.db.lock` directory, which a server killed in the middle of
    // a save leaves behind: with the data directory ours, any such lock is a dead server's.
    rmSync(join(dataDir, 'game.db.lock'), { recursive: true, force: true });
    this.db = new sqlite.Database(join(dataDir, 'game.db'));
    // The promise is surviving a killed server, not a power cut: writes handed to the OS survive kill -9, so no
    // fsync (which would block the event loop every second). Write-ahead log: a save appends its pages to game.db-wal
    // and one commit frame; a kill in the middle of a save leaves frames with no commit, which the next open ignores.
    // The data directory is this process's alone (claimDataDir), so the database is locked once, exclusively, for
    // as long as it is open: no lock directory made and removed and no page cache thrown away on every save (4 ms of
    // each save went there), and WAL needs no shared-memory index (which this VFS lacks). Exclusive must come first:
    // a WAL database is only opened without shared memory in exclusive mode.
    this.db.exec('PRAGMA locking_mode = EXCLUSIVE; PRAGMA synchronous = OFF; PRAGMA journal_mode = WAL;');
    this.db.exec(SCHEMA);
  }

  /** Prepared once: a save runs the same few statements for every fleet, every second. */
  private statement(sql: string): sqlite.Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  /** One transaction: the round row, its fleets and scores, new shots and recoveries, and the scoreboard to resume from. */
  save(
    data: SavedScoreboard,
    standings: readonly FleetStanding[],
    shots: readonly ShotEvent[],
    recoveries: readonly RecoveryEvent[] = [],
  ): void {
    const writing = new Map<string, string>();
    this.db.exec('BEGIN');
    try {
      const r = data.round;
      if (r) {
        this.statement(
          `INSERT INTO rounds (id, status, duration_ms, started_at, ends_at, finished_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET status = excluded.status, started_at = excluded.started_at,
             ends_at = excluded.ends_at, finished_at = excluded.finished_at`,
        ).run([r.id, r.status, r.durationMs, r.startedAt, r.endsAt, r.finishedAt]);
        for (const f of standings) {
          const key = `${r.id}/${f.player}`;
          const standing = JSON.stringify(f);
          const before = this.written.get(key);
          if (standing === before) continue;
          if (before === undefined) {
            this.statement(
              'INSERT OR IGNORE INTO fleets (round_id, player, join_order) VALUES (?, ?, ?)',
            ).run([r.id, f.player, f.joinOrder]);
          }
          this.statement(
            'INSERT OR REPLACE INTO scores (round_id, player, rank, standing) VALUES (?, ?, ?, ?)',
          ).run([r.id, f.player, f.rank, standing]);
          writing.set(key, standing);
        }
      }
      // Shots refused by the kill budget are only counted: at a 0.05 s interval they would be ~72,000 rows an hour.
      const budgetRefusals = new Map<number, number>();
      for (const s of shots) {
        if (s.outcome === 'refused' && s.reason === BUDGET_REASON) {
          if (s.round !== null) budgetRefusals.set(s.round, (budgetRefusals.get(s.round) ?? 0) + 1);
          continue;
        }
        this.statement(
          `INSERT INTO shots (id, round_id, time, uid, name, namespace, fleet, outcome, reason, dry_run, source)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run([
          s.id,
          s.round,
          s.time,
          s.uid,
          s.name,
          s.namespace,
          s.fleet,
          s.outcome,
          s.reason ?? null,
          s.dryRun,
          s.source ?? null,
        ]);
      }
      for (const [roundId, count] of budgetRefusals) {
        this.statement(
          `INSERT INTO budget_refusals (round_id, count) VALUES (?, ?)
           ON CONFLICT (round_id) DO UPDATE SET count = count + excluded.count`,
        ).run([roundId, count]);
      }
      for (const r of recoveries) {
        this.statement(
          'INSERT INTO recoveries (round_id, time, fleet, ms, uid, name) VALUES (?, ?, ?, ?, ?, ?)',
        ).run([r.round, r.time, r.fleet, r.ms, r.uid ?? null, r.name ?? null]);
      }
      this.statement('INSERT OR REPLACE INTO game (key, value) VALUES (?, ?)').run([
        'scoreboard',
        JSON.stringify(data),
      ]);
      this.db.exec('COMMIT');
      for (const [key, standing] of writing) this.written.set(key, standing);
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }

  /**
   * The scoreboard saved last, to resume the current round after a restart, each fleet's recovery times read back
   * from the round's recoveries: its latest ones, as many as it had (a fleet removed and back in the same round
   * started again from none).
   */
  loadScoreboard(): ScoreboardData | undefined {
    const row = this.db.get('SELECT value FROM game WHERE key = ?', ['scoreboard']);
    if (!row) return undefined;
    // Saved by a version that kept the times in the scoreboard: those fleets have them already.
    const saved = JSON.parse(String(row.value)) as Omit<ScoreboardData, 'fleets'> & {
      fleets: (SavedFleetRecord | FleetRecord)[];
    };
    const wanted = new Map<string, number>();
    for (const f of saved.fleets)
      if ('recoveries' in f && f.recoveries > 0) wanted.set(f.player, f.recoveries);
    const times = new Map<string, number[]>();
    // A fleet's times are all this round's: a round's start, and a fleet's leaving, clear them.
    if (wanted.size > 0 && saved.round) {
      for (const { fleet, ms } of this.db.all(
        'SELECT fleet, ms FROM recoveries WHERE round_id = ? ORDER BY id DESC',
        [saved.round.id],
      ) as { fleet: string; ms: number }[]) {
        let kept = times.get(fleet);
        if (!kept) times.set(fleet, (kept = []));
        if (kept.length < (wanted.get(fleet) ?? 0)) kept.push(ms);
      }
    }
    return {
      ...saved,
      fleets: saved.fleets.map((f) => {
        if (!('recoveries' in f)) return f;
        const { recoveries: _count, ...fleet } = f;
        return { ...fleet, recoveryMs: times.get(f.player) ?? [] };
      }),
    };
  }

  saveSetting(key: string, value: unknown): void {
    this.db.run('INSERT OR REPLACE INTO game (key, value) VALUES (?, ?)', [key, JSON.stringify(value)]);
  }

  loadSetting<T>(key: string): T | undefined {
    const row = this.db.get('SELECT value FROM game WHERE key = ?', [key]);
    return row ? (JSON.parse(String(row.value)) as T) : undefined;
  }

  rounds(): StoredRound[] {
    return this.db.all('SELECT * FROM rounds ORDER BY id DESC').map(roundOf);
  }

  round(id: number): StoredRound | undefined {
    const row = this.db.get('SELECT * FROM rounds WHERE id = ?', [id]);
    return row ? roundOf(row) : undefined;
  }

  standings(roundId: number): FleetStanding[] {
    return this.db
      .all('SELECT standing FROM scores WHERE round_id = ? ORDER BY rank', [roundId])
      .map((row) => JSON.parse(String(row.standing)) as FleetStanding);
  }

  /**
   * A round's stored shots in order: all of them, its real hits only, or its latest `limit`. Shots refused by the
   * kill budget are not stored, only counted in shotCounts.
   */
  shots(roundId: number, query: ShotQuery = {}): ShotEvent[] {
    const where = query.hitsOnly ? "round_id = ? AND outcome = 'hit' AND dry_run = 0" : 'round_id = ?';
    const rows =
      query.limit === undefined
        ? this.db.all(`SELECT * FROM shots WHERE ${where} ORDER BY id`, [roundId])
        : this.db
            .all(`SELECT * FROM shots WHERE ${where} ORDER BY id DESC LIMIT ?`, [roundId, query.limit])
            .reverse();
    return rows.map((row) => {
      const shot: ShotEvent = {
        id: Number(row.id),
        time: Number(row.time),
        round: row.round_id === null ? null : Number(row.round_id),
        uid: String(row.uid),
        name: String(row.name),
        namespace: String(row.namespace),
        fleet: String(row.fleet),
        outcome: String(row.outcome) as ShotEvent['outcome'],
        dryRun: Number(row.dry_run) === 1,
      };
      if (row.reason !== null) shot.reason = String(row.reason);
      if (row.source !== null) shot.source = String(row.source) as 'auto' | 'manual';
      return shot;
    });
  }

  /** How many shots of the round are stored. */
  shotLogSize(roundId: number): number {
    return Number(this.db.get('SELECT COUNT(*) AS n FROM shots WHERE round_id = ?', [roundId])?.n ?? 0);
  }

  recoveries(roundId: number): RecoveryEvent[] {
    return this.db.all('SELECT * FROM recoveries WHERE round_id = ? ORDER BY id', [roundId]).map((row) => {
      const recovery: RecoveryEvent = {
        time: Number(row.time),
        round: row.round_id === null ? null : Number(row.round_id),
        fleet: String(row.fleet),
        ms: Number(row.ms),
      };
      if (row.uid !== null) recovery.uid = String(row.uid);
      if (row.name !== null) recovery.name = String(row.name);
      return recovery;
    });
  }

  /** The highest shot id saved (0 for none): new shots are numbered after it. */
  lastShotId(): number {
    return Number(this.db.get('SELECT MAX(id) AS id FROM shots')?.id ?? 0);
  }

  shotCounts(roundId: number): { hit: number; refused: number; missed: number } {
    const counts = { hit: 0, refused: 0, missed: 0 };
    for (const row of this.db.all(
      'SELECT outcome, COUNT(*) AS n FROM shots WHERE round_id = ? GROUP BY outcome',
      [roundId],
    )) {
      const outcome = String(row.outcome) as keyof typeof counts;
      if (outcome in counts) counts[outcome] = Number(row.n);
    }
    const budget = this.db.get('SELECT count FROM budget_refusals WHERE round_id = ?', [roundId]);
    counts.refused += Number(budget?.count ?? 0);
    return counts;
  }

  /** Closes the database and gives up the data directory (another process may open it now). */
  close(): void {
    for (const statement of this.statements.values()) statement.finalize();
    this.statements.clear();
    if (this.db.isOpen) this.db.close();
    this.release();
  }
}

function roundOf(row: Record<string, unknown>): StoredRound {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: Number(row.id),
    status: String(row.status) as RoundInfo['status'],
    startedAt: num(row.started_at),
    endsAt: num(row.ends_at),
    durationSeconds: Number(row.duration_ms) / 1000,
    finishedAt: num(row.finished_at),
  };
}
