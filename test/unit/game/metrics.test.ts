import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gameMetrics } from '../../../server/game/metrics.ts';
import type { Ship } from '../../../server/game/protocol.ts';

const ship = (uid: string, fleet: string, state: Ship['state']): Ship => ({
  uid,
  name: uid,
  namespace: 'default',
  fleet,
  state,
  controller: 'Pod',
});

describe('game metrics', () => {
  it('count shots by outcome, ships by state, fleets alive, clusters, recoveries and reconnects', async () => {
    const ships = [ship('a', 'luke', 'flying'), ship('b', 'han', 'destroyed'), ship('c', 'han', 'warping')];
    const metrics = gameMetrics(
      () => ships,
      () => 3,
    );
    metrics.shot('hit');
    metrics.shot('hit');
    metrics.shot('refused');
    metrics.recovered(1500);
    metrics.watchReconnected();
    const text = await metrics.registry.metrics();
    for (const line of [
      'kubewars_game_shots_total{outcome="hit"} 2',
      'kubewars_game_shots_total{outcome="refused"} 1',
      'kubewars_game_ships{state="flying"} 1',
      'kubewars_game_ships{state="destroyed"} 1',
      'kubewars_game_fleets_alive 1',
      'kubewars_game_clusters 3',
      'kubewars_game_recovery_seconds_bucket{le="2"} 1',
      'kubewars_game_recovery_seconds_bucket{le="1"} 0',
      'kubewars_game_watch_reconnects_total 1',
    ]) {
      assert.ok(text.includes(line), `${line} in\n${text}`);
    }
  });
});
