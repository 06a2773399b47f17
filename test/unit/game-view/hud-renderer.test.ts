import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatClock, hudLines } from '../../../game/view/hud.ts';
import { chooseRenderer } from '../../../game/view/renderer-choice.ts';
import { mirrorShips } from '../../../game/view/state-mirror.ts';
import { addSample, chartPoints, type ChartSample } from '../../../game/view/chart-series.ts';
import { fleet, ship } from './fixtures.ts';

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

  test('warns while the cluster watch reconnects', () => {
    const hud = hudLines({ round: null, fleets: new Map(), connected: false, reconnectingSince: 1000 }, 6000);
    assert.equal(hud.warning, 'Cluster connection lost — reconnecting for 5 s');
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
  test('keeps the newest samples and scales points to the canvas', () => {
    let series: ChartSample[] = [];
    for (let t = 0; t < 5; t++)
      series = addSample(series, { t: t * 1000, fleetsAlive: 4 - t, shipsFlying: 10 }, 3);
    assert.deepEqual(
      series.map((s) => s.t),
      [2000, 3000, 4000],
    );
    const points = chartPoints(series, (s) => s.fleetsAlive, 100, 50);
    assert.deepEqual(points, [
      { x: 0, y: 0 },
      { x: 50, y: 25 },
      { x: 100, y: 50 },
    ]);
  });
});
