// A GameEngine stand-in for the web layer's tests: canned answers, recorded calls, patches pushed by the test.
import { Counter, Registry } from 'prom-client';
import type { GameEngine } from '../../../../server/game/engine.ts';
import { GameError } from '../../../../server/game/errors.ts';
import type {
  ChaosSettings,
  FleetStanding,
  GamePatch,
  GameSnapshot,
  GameStateView,
  RoundDetail,
  RoundInfo,
  ShotEvent,
} from '../../../../server/game/protocol.ts';
import { DEFAULT_CHAOS } from '../../../../server/game/chaos/choice.ts';

export const fleet = (player: string, rank: number): FleetStanding => ({
  player,
  alive: true,
  flying: 3,
  total: 3,
  uptime: 1,
  hits: 2,
  recoveries: 2,
  recoveryP50Ms: 1200,
  recoveryP95Ms: 1900,
  shipsLost: 2,
  joinOrder: rank - 1,
  controllers: ['ReplicationController'],
  rank,
  eliminatedAt: null,
  longestOutageMs: 0,
});

export interface FakeEngine extends GameEngine {
  calls: string[];
  patch(patch: GamePatch): void;
  listeners(): number;
}

export function fakeEngine(): FakeEngine {
  const calls: string[] = [];
  const listeners = new Set<(patch: GamePatch) => void>();
  let seq = 7;
  let round: RoundInfo | null = null;
  let chaos: ChaosSettings = structuredClone(DEFAULT_CHAOS);
  const metrics = new Registry();
  new Counter({ name: 'kubewars_test_shots_total', help: 'shots', registers: [metrics] }).inc(3);
  const roundOne: RoundDetail = {
    id: 1,
    status: 'finished',
    startedAt: 1_000,
    endsAt: 21_000,
    durationSeconds: 20,
    finishedAt: 21_000,
    fleetCount: 1,
    leader: 'leia',
    shots: { hit: 2, refused: 0, missed: 0 },
    fleets: [fleet('leia', 1)],
    shotLog: [],
    shotLogTotal: 0,
    timeline: [],
  };
  const transition = (name: string, status: RoundInfo['status']): RoundInfo => {
    calls.push(name);
    if (!round) throw new GameError(409, 'No round to act on: start one first.');
    round = { ...round, status };
    return round;
  };

  return {
    calls,
    metrics,
    patch(patch) {
      seq = patch.seq;
      for (const listener of listeners) listener(patch);
    },
    listeners: () => listeners.size,
    snapshot(): GameSnapshot {
      return {
        seq,
        connected: true,
        reconnectingSince: null,
        round,
        ships: [],
        fleets: [fleet('leia', 1)],
        chaos: structuredClone(chaos),
      };
    },
    state(): GameStateView {
      return {
        connected: true,
        reconnectingSince: null,
        round,
        chaos,
        fleets: [fleet('leia', 1)],
        shots: { hit: 2, refused: 0, missed: 0 },
        ships: { warping: 0, flying: 3, damaged: 0, destroyed: 0 },
      };
    },
    onPatch(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    startRound(durationSeconds) {
      calls.push(`startRound ${durationSeconds}`);
      if (round && round.status !== 'finished') throw new GameError(409, 'A round is already under way.');
      round = { id: 2, status: 'countdown', startedAt: null, endsAt: null, durationSeconds };
      return round;
    },
    pauseRound: () => transition('pauseRound', 'paused'),
    resumeRound: () => transition('resumeRound', 'running'),
    stopRound: () => transition('stopRound', 'finished'),
    resetRound() {
      calls.push('resetRound');
      round = null;
    },
    chaos: () => chaos,
    setChaos(settings) {
      calls.push(`setChaos ${JSON.stringify(settings)}`);
      chaos = { ...chaos, ...settings, capitalShips: { ...chaos.capitalShips, ...settings.capitalShips } };
      return chaos;
    },
    async fire(uid): Promise<ShotEvent> {
      calls.push(`fire ${uid}`);
      if (uid !== 'uid-1') throw new GameError(404, `No ship with uid ${uid}.`);
      return {
        id: 1,
        time: 5,
        round: 2,
        uid,
        name: 'x-1',
        namespace: 'default',
        fleet: 'leia',
        outcome: 'hit',
        dryRun: false,
        source: 'manual',
      };
    },
    rounds: () => [roundOne],
    round: (id) => (id === 1 ? roundOne : undefined),
    exportRound(id, format) {
      if (id !== 1) return undefined;
      return format === 'csv' ? 'rank,player\n1,leia\n' : JSON.stringify(roundOne);
    },
    async addCluster({ id, fleet }) {
      calls.push(`addCluster ${id} ${fleet}`);
    },
    async removeCluster(id) {
      calls.push(`removeCluster ${id}`);
    },
    fleet: (name) => (name === 'leia' ? { flying: 3, total: 3 } : undefined),
    async close() {
      calls.push('close');
    },
  };
}
