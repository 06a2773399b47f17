import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GameError } from '../../../../server/game/errors.ts';
import type { FleetStanding } from '../../../../server/game/protocol.ts';
import {
  compareStandings,
  Scoreboard,
  sortedPercentile,
} from '../../../../server/game/scoring/scoreboard.ts';

const T0 = 1_000_000;
const count = (flying: number, total = flying) => ({ flying, total, controllers: [] });

/** A running round of `seconds` that started at T0 (after the 3 s countdown), with the given fleets. */
function running(seconds: number, fleets: Record<string, number>): Scoreboard {
  const board = new Scoreboard();
  for (const [player, flying] of Object.entries(fleets)) board.updateFleet(player, count(flying), T0 - 3000);
  board.startRound(seconds, T0 - 3000);
  board.tick(T0);
  return board;
}

const byPlayer = (board: Scoreboard, now: number) =>
  Object.fromEntries(board.standings(now).map((f) => [f.player, f]));

describe('rounds', () => {
  it('go lobby → countdown → running → finished on time', () => {
    const board = new Scoreboard();
    assert.equal(board.nextDeadline(), null);
    const info = board.startRound(300, T0);
    assert.equal(info.status, 'countdown');
    assert.equal(board.nextDeadline(), T0 + 3000);
    board.tick(T0 + 3000);
    assert.equal(board.round?.status, 'running');
    assert.equal(board.round?.endsAt, T0 + 3000 + 300_000);
    board.tick(T0 + 303_000);
    assert.equal(board.round?.status, 'finished');
    assert.equal(board.round?.finishedAt, T0 + 303_000);
  });

  it('a pause moves the end by the time paused, and paused time is not scored', () => {
    const board = running(10, { a: 1, b: 0 });
    board.updateFleet('b', count(1), T0 + 1000);
    board.pauseRound(T0 + 2000);
    assert.equal(board.round?.pausedAt, T0 + 2000, 'clients freeze their clock at the pause');
    board.resumeRound(T0 + 7000);
    assert.equal(board.round?.pausedAt, null);
    assert.equal(board.round?.endsAt, T0 + 15_000);
    // b flew 1 of the 2 running seconds before the pause and all of the 2 after it.
    assert.equal(byPlayer(board, T0 + 9000).b?.uptime, 0.75);
  });

  it('refuses actions that do not fit the round status with a 409', () => {
    const board = new Scoreboard();
    assert.throws(
      () => board.pauseRound(T0),
      (e: unknown) => e instanceof GameError && e.status === 409,
    );
    board.startRound(60, T0);
    assert.throws(
      () => board.startRound(60, T0),
      (e: unknown) => e instanceof GameError && e.status === 409,
    );
    assert.throws(
      () => board.resumeRound(T0),
      (e: unknown) => e instanceof GameError && e.status === 409,
    );
    assert.throws(
      () => new Scoreboard().startRound(0, T0),
      (e: unknown) => e instanceof GameError && e.status === 400,
    );
  });

  it('stop finishes at once and reset returns to the lobby with fresh scores', () => {
    const board = running(60, { a: 1 });
    board.hit('a', 'x', { wasFlying: true, stillFlying: true }, T0 + 10);
    assert.equal(board.stopRound(T0 + 1000).status, 'finished');
    board.resetRound(T0 + 2000);
    assert.equal(board.round, null);
    assert.equal(byPlayer(board, T0 + 2000).a?.hits, 0);
  });

  it('standings freeze when the round finishes: a fleet flying again or joining after the end changes nothing', () => {
    const board = running(10, { solo: 1, rc: 2 });
    board.hit('solo', 's1', { wasFlying: true, stillFlying: true }, T0 + 1000);
    board.updateFleet('solo', count(0, 0), T0 + 1010, ['s1']);
    board.tick(T0 + 10_000);
    const final = board.standings(T0 + 10_000);
    assert.deepEqual(
      final.map((f) => [f.player, f.alive, f.rank]),
      [
        ['rc', true, 1],
        ['solo', false, 2],
      ],
    );
    // After the end: the bare pod is re-applied, the rc scales up, a new fleet arrives.
    board.updateFleet('solo', count(1), T0 + 12_000);
    board.updateFleet('rc', count(5), T0 + 12_000);
    board.updateFleet('late', count(3), T0 + 12_000);
    assert.deepEqual(board.standings(T0 + 60_000), final);
    const restarted = new Scoreboard(board.toData());
    restarted.resume(T0 + 90_000);
    assert.deepEqual(restarted.standings(T0 + 90_000), final, 'frozen across a restart too');
    // The next round starts from the live fleets again.
    restarted.startRound(10, T0 + 90_000);
    assert.deepEqual(
      restarted.standings(T0 + 90_000).map((f) => [f.player, f.alive]),
      [
        ['solo', true],
        ['rc', true],
        ['late', true],
      ],
    );
  });
});

describe('fleet scores', () => {
  it('a bare pod fleet hit once is eliminated, never recovers and ranks last', () => {
    const board = running(20, { solo: 1, rc: 3 });
    board.hit('solo', 's1', { wasFlying: true, stillFlying: true }, T0 + 5000);
    board.updateFleet('solo', count(0, 0), T0 + 5010, ['s1']);
    board.shipLost('solo');
    const s = byPlayer(board, T0 + 10_000);
    assert.equal(s.solo?.alive, false);
    assert.equal(s.solo?.eliminatedAt, T0 + 5010);
    assert.equal(s.solo?.uptime, 0.501);
    assert.equal(s.solo?.recoveries, 0);
    assert.equal(s.solo?.longestOutageMs, 4990);
    assert.equal(s.solo?.shipsLost, 1);
    assert.equal(s.solo?.rank, 2);
    assert.equal(s.rc?.rank, 1);
  });

  it('recovery time runs from the hit until the flying count is back to its level before the hit', () => {
    const board = running(60, { rc: 3 });
    board.hit('rc', 'p1', { wasFlying: true, stillFlying: true }, T0 + 1000);
    // The replacement flies before the watch reports the hit pod gone: not a recovery yet.
    board.updateFleet('rc', count(3, 4), T0 + 1005);
    board.updateFleet('rc', count(2), T0 + 1010, ['p1']);
    board.updateFleet('rc', count(3), T0 + 1400);
    const rc = byPlayer(board, T0 + 2000).rc;
    assert.equal(rc?.recoveries, 1);
    assert.equal(rc?.recoveryP50Ms, 400);
  });

  it('a hit reported by the watch before the delete returned still counts from its level before the hit', () => {
    const board = running(60, { rc: 3 });
    board.updateFleet('rc', count(2), T0 + 1000, ['p1']);
    board.hit('rc', 'p1', { wasFlying: true, stillFlying: false }, T0 + 1002);
    board.updateFleet('rc', count(3), T0 + 1302);
    assert.equal(byPlayer(board, T0 + 2000).rc?.recoveryP50Ms, 300);
  });

  it('recovery percentiles hold whatever order recoveries come in, and from data saved in the order they came', () => {
    const board = running(600, { rc: 3 });
    const recover = (target: Scoreboard, uid: string, at: number, ms: number) => {
      target.updateFleet('rc', count(2), at, [uid]);
      target.hit('rc', uid, { wasFlying: true, stillFlying: false }, at);
      target.updateFleet('rc', count(3), at + ms);
    };
    for (const [i, ms] of [500, 100, 300].entries()) recover(board, `p${i}`, T0 + 10_000 * (i + 1), ms);
    const percentiles = (target: Scoreboard) => {
      const rc = byPlayer(target, T0 + 60_000).rc;
      return [rc?.recoveries, rc?.recoveryP50Ms, rc?.recoveryP95Ms];
    };
    assert.deepEqual(percentiles(board), [3, 300, 500]);
    const saved = board.toData();
    (saved.fleets[0] as { recoveryMs: number[] }).recoveryMs = [500, 100, 300];
    const restarted = new Scoreboard(saved);
    assert.deepEqual(percentiles(restarted), [3, 300, 500]);
    recover(restarted, 'p3', T0 + 40_000, 50);
    assert.deepEqual(percentiles(restarted), [4, 100, 500]);
  });

  it('hits outside a running round are not scored', () => {
    const board = new Scoreboard();
    board.updateFleet('a', count(1), T0);
    board.hit('a', 'p', { wasFlying: true, stillFlying: true }, T0);
    assert.equal(byPlayer(board, T0).a?.hits, 0);
  });

  it("a removed fleet leaves the running round's standings at once; a finished round keeps what it froze", () => {
    const board = running(10, { finn: 2, rey: 1 });
    board.updateFleet('finn', count(1, 2), T0 + 1000);
    assert.deepEqual(board.counts('finn'), { flying: 1, total: 2 });
    board.removeFleet('rey', T0 + 2000);
    assert.equal(board.counts('rey'), undefined);
    assert.deepEqual(
      board.standings(T0 + 2000).map((f) => [f.player, f.rank]),
      [['finn', 1]],
    );
    board.stopRound(T0 + 3000);
    board.removeFleet('finn', T0 + 4000);
    assert.deepEqual(
      board.standings(T0 + 4000).map((f) => f.player),
      ['finn'],
    );
  });

  it('p50 and p95 use the nearest rank', () => {
    const samples = Array.from({ length: 20 }, (_, i) => (i + 1) * 10);
    assert.equal(sortedPercentile(samples, 50), 100);
    assert.equal(sortedPercentile(samples, 95), 190);
    assert.equal(sortedPercentile([], 95), null);
  });

  it('the scoreboard resumes from its saved data without scoring the time it was down', () => {
    const board = running(60, { a: 1 });
    board.updateFleet('a', count(0), T0 + 5000);
    const copy = new Scoreboard(board.toData());
    copy.resume(T0 + 20_000);
    assert.equal(byPlayer(copy, T0 + 20_000).a?.uptime, 1);
    assert.equal(copy.round?.status, 'running');
  });
});

describe('restart during the countdown', () => {
  it('the round starts running without scoring the time the server was down', () => {
    const board = new Scoreboard();
    board.updateFleet('a', count(0), T0);
    board.startRound(60, T0);
    const copy = new Scoreboard(board.toData());
    copy.resume(T0 + 10_000);
    copy.tick(T0 + 10_000);
    copy.updateFleet('a', count(1), T0 + 10_000);
    assert.equal(byPlayer(copy, T0 + 12_000).a?.uptime, 1);
  });
});

describe('ranking', () => {
  const standing = (player: string, fields: Partial<FleetStanding>): FleetStanding => ({
    player,
    alive: true,
    flying: 1,
    total: 1,
    uptime: 1,
    hits: 1,
    recoveries: 1,
    recoveryP50Ms: 100,
    recoveryP95Ms: 100,
    shipsLost: 1,
    joinOrder: 0,
    controllers: [],
    rank: 0,
    eliminatedAt: null,
    longestOutageMs: 0,
    ...fields,
  });
  const rank = (...fleets: FleetStanding[]) =>
    [...fleets].sort((a, b) => compareStandings(a, b)).map((f) => f.player);

  it('puts survivors first, then uptime, then faster p95 recovery (none measured last), then fewer ships lost, then join order', () => {
    assert.deepEqual(
      rank(standing('dead', { alive: false, uptime: 1 }), standing('alive', { uptime: 0.1 })),
      ['alive', 'dead'],
    );
    assert.deepEqual(rank(standing('low', { uptime: 0.5 }), standing('high', { uptime: 0.9 })), [
      'high',
      'low',
    ]);
    assert.deepEqual(
      rank(standing('slow', { recoveryP95Ms: 900 }), standing('fast', { recoveryP95Ms: 90 })),
      ['fast', 'slow'],
    );
    assert.deepEqual(
      rank(standing('none', { recoveryP95Ms: null }), standing('slow', { recoveryP95Ms: 900 })),
      ['slow', 'none'],
    );
    assert.deepEqual(rank(standing('many', { shipsLost: 5 }), standing('few', { shipsLost: 2 })), [
      'few',
      'many',
    ]);
    assert.deepEqual(rank(standing('second', { joinOrder: 2 }), standing('first', { joinOrder: 1 })), [
      'first',
      'second',
    ]);
  });
});
