import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatClock, hudLines } from '../../../../game/view/hud.ts';
import { chooseRenderer } from '../../../../game/view/renderer-choice.ts';
import { mirrorShips } from '../../../../game/view/state-mirror.ts';
import { chartPoints, EMPTY_SERIES, tickSeries } from '../../../../game/view/chart-series.ts';
import type { RoundInfo } from '../../../../game/store/protocol-types.ts';
import { fleet, ship } from '../../../support/game-fixtures.ts';

describe('HUD', () => {
  test('shows the round countdown and fleets alive out of total', () => {
    const fleets = new Map([
      ['a', fleet('a')],
      ['b', fleet('b', { alive: false })],
    ]);
    const round = { id: 2, status: 'running' as const, startedAt: 0, endsAt: 95_000 };
    const hud = hudLines({ round, fleets, connected: true, reconnectingSince: null }, 20_000);
    assert.equal(hud.status, 'round 2: running 1:15 · fleets alive 1/2');
    assert.equal(hud.warning, '');
  });

  test('counts down to the start during the countdown', () => {
    const round = {
      id: 3,
      status: 'countdown' as const,
      startedAt: null,
      endsAt: null,
      countdownEndsAt: 5_000,
    };
    const hud = hudLines({ round, fleets: new Map(), connected: true, reconnectingSince: null }, 1_500);
    assert.equal(hud.status, 'round 3: countdown 0:04 · fleets alive 0/0');
  });

  test('a paused round shows the time left when the server paused it, frozen, whenever the page arrived', () => {
    const round = { id: 4, status: 'paused' as const, startedAt: 0, endsAt: 60_000, pausedAt: 30_000 };
    const source = { round, fleets: new Map(), connected: true, reconnectingSince: null };
    assert.equal(hudLines(source, 50_000).status, 'round 4: paused 0:30 · fleets alive 0/0');
    assert.equal(hudLines(source, 90_000).status, 'round 4: paused 0:30 · fleets alive 0/0');
    assert.equal(
      hudLines({ ...source, round: { ...round, pausedAt: null } }, 50_000).status,
      'round 4: paused · fleets alive 0/0',
    );
  });

  test('a finished round shows no clock', () => {
    const round = { id: 5, status: 'finished' as const, startedAt: 0, endsAt: 60_000 };
    const hud = hudLines({ round, fleets: new Map(), connected: true, reconnectingSince: null }, 10_000);
    assert.equal(hud.status, 'round 5: finished · fleets alive 0/0');
  });

  test('warns while the cluster watch reconnects', () => {
    const hud = hudLines({ round: null, fleets: new Map(), connected: false, reconnectingSince: 1000 }, 6000);
    assert.equal(hud.warning, 'Cluster connection lost — reconnecting for 5 sec');
    assert.equal(formatClock(0), '0:00');
  });
});

describe('renderer choice', () => {
  test('software WebGL gets Canvas, a real GPU gets WebGL, and the URL can force either', () => {
    assert.equal(chooseRenderer(null, 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device))'), 'canvas');
    assert.equal(chooseRenderer(null, 'llvmpipe (LLVM 15.0.6, 256 bits)'), 'canvas');
    assert.equal(chooseRenderer(null, null), 'canvas');
    assert.equal(chooseRenderer(null, 'ANGLE (NVIDIA GeForce RTX 3060)'), 'webgl');
    assert.equal(chooseRenderer('webgl', 'SwiftShader'), 'webgl');
    assert.equal(chooseRenderer('canvas', 'NVIDIA'), 'canvas');
  });
});

describe('state mirror', () => {
  test('lists ships by uid with the state the scene shows', () => {
    assert.deepEqual(mirrorShips([ship('u1', { state: 'damaged', fleet: 'han' })]), {
      u1: { fleet: 'han', name: 'pod-u1', state: 'damaged', controller: 'Pod' },
    });
  });
});

describe('live chart series', () => {
  const counts = { fleetsAlive: 3, shipsFlying: 9 };
  const round = (id: number, status: RoundInfo['status']): RoundInfo => ({
    id,
    status,
    startedAt: status === 'countdown' ? null : 100_000,
    endsAt: status === 'countdown' ? null : 160_000,
    durationSeconds: 60,
  });

  test('samples only while the round runs or is paused, at the time since the round started', () => {
    let series = EMPTY_SERIES;
    series = tickSeries(series, null, counts, 50_000);
    series = tickSeries(series, round(1, 'countdown'), counts, 97_000);
    assert.deepEqual(series.samples, []);
    series = tickSeries(series, round(1, 'running'), counts, 101_000);
    series = tickSeries(series, round(1, 'paused'), { ...counts, shipsFlying: 8 }, 102_000);
    series = tickSeries(series, round(1, 'finished'), counts, 103_000);
    assert.deepEqual(series, {
      round: 1,
      spanMs: 60_000,
      samples: [
        { t: 1000, ...counts },
        { t: 2000, fleetsAlive: 3, shipsFlying: 8 },
      ],
    });
  });

  test('a new round or a reset to the lobby starts an empty chart', () => {
    let series = tickSeries(EMPTY_SERIES, round(1, 'running'), counts, 101_000);
    series = tickSeries(series, round(2, 'countdown'), counts, 200_000);
    assert.deepEqual(series, { round: 2, spanMs: 0, samples: [] });
    series = tickSeries(series, round(2, 'running'), counts, 101_000);
    assert.equal(series.samples.length, 1);
    assert.deepEqual(tickSeries(series, null, counts, 300_000), EMPTY_SERIES);
  });

  test("x spans the round's planned length until the round outlasts it; the newest samples are kept", () => {
    let series = EMPTY_SERIES;
    for (let s = 0; s <= 30; s += 10)
      series = tickSeries(series, round(1, 'running'), counts, 100_000 + s * 1000);
    assert.deepEqual(
      chartPoints(series, (s) => s.fleetsAlive, 600, 50).map((p) => p.x),
      [0, 100, 200, 300],
    );
    for (let s = 40; s <= 120; s += 40)
      series = tickSeries(series, round(1, 'running'), counts, 100_000 + s * 1000, 3);
    assert.deepEqual(
      series.samples.map((s) => s.t),
      [40_000, 80_000, 120_000],
    );
    assert.deepEqual(
      chartPoints(series, (s) => s.shipsFlying, 600, 50).map((p) => p.x),
      [200, 400, 600],
    );
  });

  test('y is scaled to the highest value of the round', () => {
    let series = EMPTY_SERIES;
    series = tickSeries(series, round(1, 'running'), { fleetsAlive: 4, shipsFlying: 0 }, 100_000);
    series = tickSeries(series, round(1, 'running'), { fleetsAlive: 2, shipsFlying: 0 }, 130_000);
    assert.deepEqual(
      chartPoints(series, (s) => s.fleetsAlive, 100, 50).map((p) => p.y),
      [0, 25],
    );
  });
});
