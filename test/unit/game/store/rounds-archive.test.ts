import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BUDGET_REASON } from '../../../../server/game/chaos/choice.ts';
import type { RecoveryEvent, ShotEvent } from '../../../../server/game/protocol.ts';
import { type SavedScoreboard, Scoreboard } from '../../../../server/game/scoring/scoreboard.ts';
import { currentOwner, processStart } from '../../../../server/game/store/data-dir-lock.ts';
import { RoundsArchive } from '../../../../server/game/store/rounds-archive.ts';

const dir = mkdtempSync(join(tmpdir(), 'kubewars-rounds-archive-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('the rounds archive', () => {
  it('keeps rounds, standings, shots and the scoreboard across a reopen', () => {
    const T0 = 1_000_000;
    const board = new Scoreboard();
    board.updateFleet('rc', { flying: 3, total: 3, controllers: ['ReplicationController'] }, T0);
    board.startRound(60, T0);
    board.tick(T0 + 3000);
    board.hit('rc', 'p1', { wasFlying: true, stillFlying: true }, T0 + 4000);
    const shot = {
      id: 1,
      time: T0 + 4000,
      round: 1,
      uid: 'p1',
      name: 'rc-abc',
      namespace: 'default',
      fleet: 'rc',
      outcome: 'hit' as const,
      dryRun: false,
      source: 'auto' as const,
    };
    const first = new RoundsArchive(dir);
    const recovery = { time: T0 + 4800, round: 1, fleet: 'rc', ms: 800, uid: 'p2', name: 'rc-def' };
    first.save(
      board.toSaved(),
      board.standings(T0 + 5000),
      [shot, { ...shot, id: 2, outcome: 'refused', reason: 'no' }],
      [recovery, { time: T0 + 4900, round: 1, fleet: 'rc', ms: 300 }],
    );
    first.close();

    const store = new RoundsArchive(dir);
    const restored = new Scoreboard(store.loadScoreboard());
    assert.equal(restored.round?.id, 1);
    assert.equal(restored.round?.status, 'running');
    assert.equal(restored.standings(T0 + 5000)[0]?.hits, 1);
    assert.deepEqual(
      store.rounds().map((r) => [r.id, r.status, r.durationSeconds]),
      [[1, 'running', 60]],
    );
    assert.equal(store.standings(1)[0]?.player, 'rc');
    assert.deepEqual(store.shots(1)[1], { ...shot, id: 2, outcome: 'refused', reason: 'no' });
    assert.deepEqual(store.shotCounts(1), { hit: 1, refused: 1, missed: 0 });
    assert.equal(store.lastShotId(), 2, 'new shots are numbered after the saved ones');
    assert.deepEqual(store.recoveries(1), [recovery, { time: T0 + 4900, round: 1, fleet: 'rc', ms: 300 }]);
    assert.deepEqual(store.recoveries(2), []);
    store.close();
  });

  it('saves each second keep every fleet’s latest standing, changed or not, across a reopen', () => {
    const T0 = 2_000_000;
    const board = new Scoreboard();
    for (const fleet of ['a', 'b'])
      board.updateFleet(fleet, { flying: 2, total: 2, controllers: ['Pod'] }, T0);
    board.startRound(60, T0);
    board.tick(T0 + 3000);
    const dataDir = join(dir, 'standings');
    let archive = new RoundsArchive(dataDir);
    archive.save(board.toSaved(), board.standings(T0 + 4000), []);
    board.hit('b', 'p1', { wasFlying: true, stillFlying: true }, T0 + 4500);
    archive.save(board.toSaved(), board.standings(T0 + 5000), []);
    const hits = () => archive.standings(1).map((f) => [f.player, f.hits]);
    assert.deepEqual(hits(), [
      ['a', 0],
      ['b', 1],
    ]);
    archive.close();
    archive = new RoundsArchive(dataDir);
    board.hit('a', 'p2', { wasFlying: true, stillFlying: true }, T0 + 5500);
    archive.save(board.toSaved(), board.standings(T0 + 6000), []);
    assert.deepEqual(hits(), [
      ['a', 1],
      ['b', 1],
    ]);
    archive.close();
  });

  it('keeps recovery times as rows, not in each save, and reads each fleet’s latest back on a reopen', () => {
    const T0 = 3_000_000;
    const board = new Scoreboard();
    const dataDir = join(dir, 'recoveries');
    let archive = new RoundsArchive(dataDir);
    let pending: RecoveryEvent[] = [];
    /** A ship of `fleet` shot at `at` and replaced `ms` later: one recovery, for the next save. */
    const recover = (fleet: string, at: number, ms: number) => {
      board.updateFleet(fleet, { flying: 1, total: 1, controllers: ['ReplicaSet'] }, at, [`${fleet}-${at}`]);
      board.hit(fleet, `${fleet}-${at}`, { wasFlying: true, stillFlying: false }, at);
      const times = board.updateFleet(fleet, { flying: 2, total: 2, controllers: ['ReplicaSet'] }, at + ms);
      assert.deepEqual(times, [ms]);
      pending.push({ time: at + ms, round: 1, fleet, ms });
    };
    const save = (now: number) => {
      archive.save(board.toSaved(), board.standings(now), [], pending);
      pending = [];
    };
    /** The scoreboard a restarted server resumes from scores as this one does. */
    const reopened = (now: number) => {
      archive.close();
      archive = new RoundsArchive(dataDir);
      return new Scoreboard(archive.loadScoreboard()).standings(now);
    };
    for (const fleet of ['a', 'b'])
      board.updateFleet(fleet, { flying: 2, total: 2, controllers: ['Pod'] }, T0);
    board.startRound(600, T0);
    board.tick(T0 + 3000);
    recover('a', T0 + 10_000, 500);
    recover('a', T0 + 11_000, 100);
    save(T0 + 12_000);
    recover('a', T0 + 13_000, 300);
    recover('b', T0 + 14_000, 200);
    save(T0 + 15_000);
    assert.deepEqual(
      board.toSaved().fleets.map((f) => [f.player, f.recoveries, 'recoveryMs' in f]),
      [
        ['a', 3, false],
        ['b', 1, false],
      ],
    );
    assert.deepEqual(reopened(T0 + 15_000), board.standings(T0 + 15_000));
    assert.deepEqual(
      board.standings(T0 + 15_000).map((f) => [f.player, f.recoveries, f.recoveryP50Ms, f.recoveryP95Ms]),
      [
        ['b', 1, 200, 200],
        ['a', 3, 300, 500],
      ],
    );

    // b leaves and comes back in the same round: it starts again from no recoveries, and so does its reopened self.
    board.removeFleet('b', T0 + 16_000);
    board.updateFleet('b', { flying: 2, total: 2, controllers: ['Pod'] }, T0 + 17_000);
    recover('b', T0 + 18_000, 900);
    save(T0 + 19_000);
    assert.deepEqual(reopened(T0 + 19_000), board.standings(T0 + 19_000));
    assert.deepEqual(
      board.standings(T0 + 19_000).find((f) => f.player === 'b')?.recoveryP50Ms,
      900,
      'only the times since it came back',
    );

    // A scoreboard saved by a version that kept the times in it loads as it was saved.
    archive.save(board.toData() as unknown as SavedScoreboard, board.standings(T0 + 20_000), []);
    assert.deepEqual(reopened(T0 + 20_000), board.standings(T0 + 20_000));
    archive.close();
  });

  it('counts shots refused by the kill budget instead of storing a row for each', () => {
    const board = new Scoreboard();
    board.startRound(60, 0);
    const shot = (id: number, over: Partial<ShotEvent> = {}): ShotEvent => ({
      id,
      time: id,
      round: 1,
      uid: 'p1',
      name: 'x',
      namespace: 'default',
      fleet: 'rc',
      outcome: 'refused',
      reason: BUDGET_REASON,
      dryRun: false,
      ...over,
    });
    const store = new RoundsArchive(mkdtempSync(join(dir, 'budget-')));
    const refusals = Array.from({ length: 1000 }, (_, i) => shot(i + 2));
    store.save(board.toSaved(), [], [shot(1, { outcome: 'hit', reason: undefined }), ...refusals]);
    store.save(board.toSaved(), [], [shot(1002), shot(1003, { reason: 'hard stop: firing is halted' })]);
    assert.deepEqual(store.shotCounts(1), { hit: 1, refused: 1002, missed: 0 });
    assert.deepEqual(
      store.shots(1).map((s) => s.id),
      [1, 1003],
    );
    assert.equal(store.shotLogSize(1), 2);
    store.close();
  });

  it('reads a round’s latest shots in order, or its real hits only', () => {
    const board = new Scoreboard();
    board.startRound(60, 0);
    const store = new RoundsArchive(mkdtempSync(join(dir, 'latest-')));
    const shots = Array.from({ length: 10 }, (_, i): ShotEvent => ({
      id: i + 1,
      time: i,
      round: 1,
      uid: `p${i}`,
      name: 'x',
      namespace: 'default',
      fleet: 'rc',
      outcome: i % 3 === 0 ? 'hit' : 'missed',
      dryRun: i === 9,
    }));
    store.save(board.toSaved(), [], shots);
    assert.deepEqual(
      store.shots(1, { limit: 3 }).map((s) => s.id),
      [8, 9, 10],
    );
    assert.deepEqual(
      store.shots(1, { hitsOnly: true }).map((s) => s.id),
      [1, 4, 7],
    );
    store.close();
  });

  it('opens after a server killed mid-save left its lock behind', () => {
    const killed = mkdtempSync(join(dir, 'killed-'));
    new RoundsArchive(killed).close();
    mkdirSync(join(killed, 'game.db.lock'));
    // A pid above Linux's pid_max: no such process.
    writeFileSync(join(killed, 'game.lock'), JSON.stringify({ ...currentOwner(), pid: 99999999 }));
    const store = new RoundsArchive(killed);
    store.saveSetting('chaos', { auto: true });
    assert.deepEqual(store.loadSetting('chaos'), { auto: true });
    store.close();
  });

  it('keeps every save of a server killed without closing (its write-ahead log is read back on open)', () => {
    const killed = mkdtempSync(join(dir, 'wal-'));
    // A child process saves twice and is killed: nothing checkpoints or closes the database.
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import { RoundsArchive } from ${JSON.stringify(new URL('../../../../server/game/store/rounds-archive.ts', import.meta.url).href)};
         const archive = new RoundsArchive(${JSON.stringify(killed)});
         archive.saveSetting('chaos', { auto: true });
         archive.saveSetting('chaos', { auto: false, interval: 2 });
         process.kill(process.pid, 'SIGKILL');`,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(child.signal, 'SIGKILL', child.stderr);
    assert.ok(existsSync(join(killed, 'game.db-wal')), 'the saves are in the write-ahead log');
    const store = new RoundsArchive(killed);
    assert.deepEqual(store.loadSetting('chaos'), { auto: false, interval: 2 });
    store.close();
  });

  it('gives up the data directory on close', () => {
    const released = mkdtempSync(join(dir, 'released-'));
    const archive = new RoundsArchive(released);
    assert.ok(existsSync(join(released, 'game.lock')));
    archive.close();
    assert.ok(!existsSync(join(released, 'game.lock')));
  });

  it('refuses a data directory a live game server is using', () => {
    const taken = mkdtempSync(join(dir, 'taken-'));
    const parent = process.ppid;
    writeFileSync(
      join(taken, 'game.lock'),
      JSON.stringify({ ...currentOwner(), pid: parent, processStart: processStart(parent) }),
    );
    assert.throws(
      () => new RoundsArchive(taken),
      /Another Kube Wars game server \(host .*, pid \d+, started .*\) is using/,
    );
  });
});
