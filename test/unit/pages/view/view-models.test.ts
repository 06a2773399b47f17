import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { controllerBadge, hasMothership, shipVisual } from '../../../../game/view/ship-visual.ts';
import { centredCell, fleetLabel, layoutFleets, shipSlots } from '../../../../game/view/formation.ts';
import { leaderboardRows } from '../../../../game/view/leaderboard.ts';
import { diagnose } from '../../../../game/view/diagnosis.ts';
import { feedLine, isShieldFlash, recoveryLine, shotLine } from '../../../../game/view/kill-feed.ts';
import { fleetTimelines } from '../../../../game/view/round-timeline.ts';
import type { ShotEvent } from '../../../../game/store/protocol-types.ts';
import { fleet } from '../../../support/game-fixtures.ts';

describe('ship visuals', () => {
  test('each state looks different: warp is translucent, damage smokes, destruction explodes', () => {
    assert.ok(shipVisual('warping').alpha < 1 && shipVisual('warping').warp);
    assert.ok(shipVisual('damaged').smoke && shipVisual('damaged').flicker);
    assert.ok(shipVisual('destroyed').explosion);
    assert.equal(shipVisual('flying').alpha, 1);
  });

  test('only controlled pods have a mothership, and each kind has its badge', () => {
    assert.equal(hasMothership('Pod'), false);
    assert.equal(hasMothership('Deployment'), true);
    assert.equal(controllerBadge('ReplicationController'), 'RC');
    assert.equal(controllerBadge('Pod'), 'bare');
  });
});

describe('formation layout', () => {
  test('one fleet gets the whole field with large ships', () => {
    const l = layoutFleets(1, 3, 1920, 1080);
    assert.equal(l.cells.length, 1);
    assert.deepEqual(l.cells[0], { x: 0, y: 0, width: 1920, height: 1080 });
    assert.equal(l.shipSize, 64);
  });

  test('100 fleets of 10 ships all fit inside a 1920×1080 field without overlapping cells', () => {
    const l = layoutFleets(100, 10, 1920, 1080);
    assert.equal(l.cells.length, 100);
    assert.ok(l.maxShipsPerFleet >= 10, `only ${l.maxShipsPerFleet} ships fit`);
    assert.ok(l.labelHeight >= 11);
    for (const c of l.cells) {
      assert.ok(c.x >= 0 && c.y >= 0 && c.x + c.width <= 1920.001 && c.y + c.height <= 1080.001);
      for (const s of shipSlots(c, l, 10)) {
        assert.ok(
          s.x >= c.x && s.x <= c.x + c.width && s.y >= c.y && s.y <= c.y + c.height,
          'ship outside its cell',
        );
      }
    }
  });

  test('a huge fleet on a small field overflows into a count instead of shrinking below legibility', () => {
    const l = layoutFleets(50, 1000, 800, 600);
    assert.equal(l.shipSize, 6);
    assert.ok(l.maxShipsPerFleet < 1000);
  });
});

describe('leaderboard', () => {
  test("rows follow the server's ranks, whatever order the fleets arrive in", () => {
    const rows = leaderboardRows([
      fleet('dead', { alive: false, rank: 3 }),
      fleet('best', { rank: 1 }),
      fleet('second', { uptime: 0.5, rank: 2 }),
    ]);
    assert.deepEqual(
      rows.map((r) => [r.rank, r.player]),
      [
        [1, 'best'],
        [2, 'second'],
        [3, 'dead'],
      ],
    );
  });

  test('rows are formatted for the table', () => {
    const [row] = leaderboardRows([
      fleet('rc', {
        flying: 2,
        total: 3,
        uptime: 0.975,
        recoveryP95Ms: 2100,
        controllers: ['ReplicationController'],
      }),
    ]);
    assert.deepEqual(
      { rank: row?.rank, ships: row?.ships, uptime: row?.uptime, p95: row?.p95, p50: row?.p50 },
      { rank: 1, ships: '2/3', uptime: '97.5 %', p95: '2.1 s', p50: '–' },
    );
  });
});

describe('diagnosis', () => {
  test('explains a bare pod, a single replica and a healthy deployment', () => {
    assert.equal(diagnose(fleet('b', { alive: false, hits: 1 })), 'bare pod: nothing recreated it');
    assert.equal(
      diagnose(fleet('gone', { alive: false, hits: 1, total: 0, flying: 0, controllers: [] })),
      'bare pod: nothing recreated it',
      'the server no longer lists a controller kind once the pod is gone',
    );
    assert.equal(
      diagnose(fleet('deleted', { alive: false, total: 0, flying: 0, controllers: [] })),
      'no ship left, and nothing recreated them',
    );
    assert.equal(
      diagnose(fleet('one', { hits: 2, controllers: ['Deployment'] })),
      '1 replica: 100 % downtime per hit',
    );
    assert.equal(
      diagnose(fleet('d', { hits: 4, total: 5, recoveryP95Ms: 2100, controllers: ['Deployment'] })),
      'recovered in 2.1 s p95 with 5 replicas',
    );
  });
});

describe('kill feed', () => {
  const shot: ShotEvent = {
    id: 1,
    time: 0,
    round: 1,
    uid: 'u',
    name: 'x-1',
    namespace: 'default',
    fleet: '<b>han</b>',
    outcome: 'hit',
    dryRun: false,
  };

  test('hits explode, refused and dry-run shots flash a shield', () => {
    assert.equal(shotLine(shot), 'hit: <b>han</b> / x-1');
    assert.equal(isShieldFlash(shot), false);
    assert.equal(isShieldFlash({ ...shot, dryRun: true }), true);
    assert.equal(
      shotLine({ ...shot, outcome: 'refused', reason: 'protected namespace' }),
      'shield: <b>han</b> / x-1 refused (protected namespace)',
    );
  });
});

describe('recoveries in the kill feed', () => {
  test('a recovery says which fleet and how long, to a tenth of a second', () => {
    const recovery = { time: 5, round: 1, fleet: 'leia', ms: 1240 };
    assert.equal(recoveryLine(recovery), 'recovered: leia in 1.2 s');
    assert.equal(feedLine({ kind: 'recovery', recovery }), 'recovered: leia in 1.2 s');
  });
});

describe('round timeline', () => {
  const round = { startedAt: 100_000, finishedAt: 160_000, endsAt: 160_000 };

  test("places each fleet's hits and recoveries along the round, with their times and a summary", () => {
    const timelines = fleetTimelines({
      ...round,
      timeline: [
        { time: 115_000, fleet: 'leia', kind: 'hit' },
        { time: 116_500, fleet: 'leia', kind: 'recovered', ms: 1500 },
        { time: 130_000, fleet: 'han', kind: 'hit' },
        { time: 145_000, fleet: 'leia', kind: 'hit' },
        { time: 147_100, fleet: 'leia', kind: 'recovered', ms: 2100 },
      ],
    });
    assert.deepEqual([...timelines.keys()], ['leia', 'han']);
    assert.deepEqual(timelines.get('leia')?.marks.slice(0, 2), [
      { kind: 'hit', at: 0.25, label: 'hit at 0:15' },
      { kind: 'recovered', at: 0.275, label: 'recovered at 0:16 in 1.5 s' },
    ]);
    assert.equal(timelines.get('leia')?.summary, '2 hits · 2 recoveries · slowest 2.1 s');
    assert.deepEqual(timelines.get('han'), {
      marks: [{ kind: 'hit', at: 0.5, label: 'hit at 0:30' }],
      summary: '1 hit · 0 recoveries',
    });
  });

  test('entries outside the round stay on its edges; a round without entries has no timelines', () => {
    const timelines = fleetTimelines({
      ...round,
      timeline: [{ time: 170_000, fleet: 'luke', kind: 'recovered', ms: 900 }],
    });
    assert.equal(timelines.get('luke')?.marks[0]?.at, 1);
    assert.equal(fleetTimelines({ ...round, timeline: [] }).size, 0);
  });
});

describe('fleet labels', () => {
  test('fit their cell: badges are dropped first, then the name is shortened, the overflow count stays', () => {
    assert.equal(fleetLabel('han', 'RC', 0, 400, 20), 'han [RC]');
    assert.equal(fleetLabel('pilot-042', 'bare Deploy', 0, 110, 11), 'pilot-042');
    const short = fleetLabel('a-very-long-pilot-name', 'RC', 7, 90, 11);
    assert.ok(short.length <= Math.floor(90 / (11 * 0.56)), short);
    assert.ok(short.endsWith('… +7'), short);
  });
});

describe('formation centring', () => {
  test('a few fleets sit in the middle of their tall cells; a full cell is not moved', () => {
    const l = layoutFleets(2, 3, 1600, 800);
    const cell = l.cells[0]!;
    const centred = centredCell(cell, l, 3);
    const block = l.labelHeight + 4 + l.shipSize;
    assert.ok(Math.abs(centred.y - cell.y - (cell.height - block) / 2) <= 1);
    assert.equal(centred.y + centred.height, cell.y + cell.height, 'the cell keeps its bottom edge');
    const full = layoutFleets(1, 1000, 800, 600);
    const packed = centredCell(full.cells[0]!, full, full.maxShipsPerFleet);
    assert.ok(packed.y - full.cells[0]!.y < full.shipSize, 'no room to spare, no shift');
  });
});
