import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FleetStanding, RecoveryEvent, ShotEvent } from '../../../../server/game/protocol.ts';
import {
  exportRound,
  roundDetail,
  roundSummaries,
  type RoundsReader,
} from '../../../../server/game/store/exports.ts';

const standing = (player: string, rank: number): FleetStanding => ({
  player,
  alive: rank === 1,
  flying: 1,
  total: 1,
  uptime: 0.5,
  hits: 1,
  recoveries: 0,
  recoveryP50Ms: null,
  recoveryP95Ms: null,
  shipsLost: 0,
  joinOrder: rank,
  controllers: ['Pod'],
  rank,
  eliminatedAt: null,
  longestOutageMs: 0,
});
const hit: ShotEvent = {
  id: 7,
  time: 100,
  round: 1,
  uid: 'u',
  name: 'x',
  namespace: 'default',
  fleet: 'han, "solo"',
  outcome: 'hit',
  dryRun: false,
};
const recovery: RecoveryEvent = { time: 300, round: 1, fleet: 'han, "solo"', ms: 200 };

const archive: RoundsReader = {
  rounds: () => [
    { id: 1, status: 'finished', startedAt: 0, endsAt: 60_000, durationSeconds: 60, finishedAt: 60_000 },
  ],
  round: (id) => archive.rounds().find((r) => r.id === id),
  standings: () => [standing('leia', 1), standing('han, "solo"', 2)],
  shots: (_id, query) => (query?.limit === 0 ? [] : [hit]),
  shotLogSize: () => 1,
  recoveries: () => [recovery],
  shotCounts: () => ({ hit: 1, refused: 0, missed: 0 }),
};

describe('round exports', () => {
  it('a summary names the leader and counts fleets and shots', () => {
    const [summary] = roundSummaries(archive);
    assert.deepEqual([summary?.leader, summary?.fleetCount, summary?.shots.hit], ['leia', 2, 1]);
  });

  it('the detail holds the ranked standings, the shot log and the timeline; an unknown round is undefined', () => {
    const detail = roundDetail(archive, 1);
    assert.deepEqual(
      detail?.shotLog.map((s) => s.id),
      [7],
    );
    assert.deepEqual(
      detail?.timeline.map((t) => t.kind),
      ['hit', 'recovered'],
    );
    assert.equal(roundDetail(archive, 2), undefined);
  });

  it('CSV quotes names with commas and quotes, one fleet a line in rank order; JSON is the detail', () => {
    const detail = roundDetail(archive, 1)!;
    const lines = exportRound(detail, 'csv').trimEnd().split('\r\n');
    assert.equal(lines[0]?.split(',')[0], 'rank');
    assert.match(lines[2] ?? '', /^2,"han, ""solo""",false,/);
    assert.deepEqual(JSON.parse(exportRound(detail, 'json')), detail);
  });
});
