import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ShotEvent } from '../../../../server/game/protocol.ts';
import { Scoreboard } from '../../../../server/game/scoring/scoreboard.ts';
import { SHOT_LOG_LIMIT } from '../../../../server/game/store/exports.ts';
import { RoundPages } from '../../../../server/game/store/round-pages.ts';
import { RoundsArchive } from '../../../../server/game/store/rounds-archive.ts';

const shot = (id: number): ShotEvent => ({
  id,
  time: id,
  round: 1,
  uid: `p${id}`,
  name: 'x',
  namespace: 'default',
  fleet: 'rc',
  outcome: 'hit',
  dryRun: false,
});

/** An archive holding round 1 with `shots` hits, and pages over it that count their flushes and reads. */
function pagesOver(shots: number) {
  const archive = new RoundsArchive(mkdtempSync(join(tmpdir(), 'kubewars-pages-')));
  const board = new Scoreboard();
  board.updateFleet('rc', { flying: 1, total: 1, controllers: ['Pod'] }, 0);
  board.startRound(60, 0);
  archive.save(
    board.toSaved(),
    board.standings(0),
    Array.from({ length: shots }, (_, i) => shot(i + 1)),
  );
  let reads = 0;
  let flushes = 0;
  const counted = new Proxy(archive, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      if (key === 'shots') reads++;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const pages = new RoundPages({ archive: counted, flush: () => flushes++ });
  const finish = () => {
    board.stopRound(1000);
    archive.save(board.toSaved(), board.standings(1000), []);
  };
  return { archive, pages, finish, reads: () => reads, flushes: () => flushes };
}

describe('round pages', () => {
  it('carry the latest shots only, and say how many the round has', () => {
    const { archive, pages } = pagesOver(SHOT_LOG_LIMIT + 25);
    const detail = pages.round(1)!;
    assert.equal(detail.shotLog.length, SHOT_LOG_LIMIT);
    assert.equal(detail.shotLog[0]?.id, 26);
    assert.equal(detail.shotLogTotal, SHOT_LOG_LIMIT + 25);
    assert.equal(detail.timeline.length, SHOT_LOG_LIMIT + 25, 'the timeline still has every hit');
    const json = JSON.parse(pages.export(1, 'json')!) as { shotLog: unknown[] };
    assert.equal(json.shotLog.length, SHOT_LOG_LIMIT + 25, 'the download has every shot');
    archive.close();
  });

  it('a round in play is read afresh after a save; a finished one is built once', () => {
    const { archive, pages, finish, reads, flushes } = pagesOver(3);
    pages.round(1);
    pages.round(1);
    assert.deepEqual([flushes(), reads()], [2, 4]);
    finish();
    const first = pages.round(1);
    assert.equal(first?.status, 'finished');
    const [flushed, read] = [flushes(), reads()];
    for (let i = 0; i < 5; i++) assert.deepEqual(pages.round(1), first);
    pages.export(1, 'csv');
    pages.export(1, 'csv');
    assert.deepEqual([flushes() - flushed, reads() - read], [1, 2], 'only the first CSV was built');
    archive.close();
  });
});
