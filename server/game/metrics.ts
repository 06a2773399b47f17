// The game's Prometheus metrics: shots by outcome, ships by state, fleets alive, clusters watched, recovery times,
// watch reconnects.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Ship, ShipState, ShotOutcome } from './protocol.ts';
import { countFleets } from './state/ships.ts';

export interface GameMetrics {
  readonly registry: Registry;
  shot(outcome: ShotOutcome): void;
  recovered(ms: number): void;
  watchReconnected(): void;
}

export function shipCounts(ships: Iterable<Ship>): Record<ShipState, number> {
  const counts = { warping: 0, flying: 0, damaged: 0, destroyed: 0 };
  for (const ship of ships) counts[ship.state]++;
  return counts;
}

/**
 * Gauges read `ships()` and `clusters()` when scraped; counters and the histogram are fed by the engine. No label
 * names a cluster or a fleet: a room of 200 attendees keeps the same few series.
 */
export function gameMetrics(ships: () => Iterable<Ship>, clusters: () => number): GameMetrics {
  const registry = new Registry();
  const shots = new Counter({
    name: 'kubewars_game_shots_total',
    help: 'Shots fired, by outcome.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  new Gauge({
    name: 'kubewars_game_ships',
    help: 'Ships in the game, by state.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      for (const [state, n] of Object.entries(shipCounts(ships()))) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'kubewars_game_fleets_alive',
    help: 'Fleets with at least one flying ship.',
    registers: [registry],
    collect() {
      // Live counts, not standings: a finished round's standings are frozen.
      this.set([...countFleets(ships()).values()].filter((f) => f.flying > 0).length);
    },
  });
  new Gauge({
    name: 'kubewars_game_clusters',
    help: 'Clusters the game watches: the main one and, in a room, one per attendee.',
    registers: [registry],
    collect() {
      this.set(clusters());
    },
  });
  const recoveries = new Histogram({
    name: 'kubewars_game_recovery_seconds',
    help: 'Time from a hit until the fleet flies as many ships as before it.',
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  const reconnects = new Counter({
    name: 'kubewars_game_watch_reconnects_total',
    help: 'Restarts of the pod watch after an error.',
    registers: [registry],
  });
  return {
    registry,
    shot: (outcome) => shots.inc({ outcome }),
    recovered: (ms) => recoveries.observe(ms / 1000),
    watchReconnected: () => reconnects.inc(),
  };
}
