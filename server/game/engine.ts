// Composition of the game: informer → reducer → scoring → sync → listeners, with the chaos engine and the store.
import type { KubeConfig } from '@kubernetes/client-node';
import type { Registry } from 'prom-client';
import type { Logger } from '../log.ts';
import type { Clock, RandomSource } from '../sandbox/types.ts';
import type {
  ChaosSettings,
  GamePatch,
  GameSnapshot,
  GameStateView,
  RoundDetail,
  RoundInfo,
  RoundSummary,
  ShotEvent,
} from './protocol.ts';

export interface GameEngineOptions {
  /** The only way to reach a cluster, the sandbox included. */
  kubeConfig: KubeConfig;
  /** The SQLite file is join(dataDir, 'game.db'). */
  dataDir: string;
  /** Label selector of game pods (default `game=starwars`). */
  selector?: string;
  /** Watch only these namespaces (default: all). */
  namespaces?: string[];
  /** Added to kube-system, kube-public, kube-node-lease and the game's own namespace. */
  protectedNamespaces?: string[];
  /** The namespace the game itself runs in, when in a cluster (protected). */
  ownNamespace?: string;
  clock?: Clock;
  random?: RandomSource;
  log?: Logger;
  /** Patches are flushed at most this often (default 50 ms). */
  patchIntervalMs?: number;
  /** The store is written at least this often (default 1000 ms). */
  persistIntervalMs?: number;
}

export interface GameEngine {
  snapshot(): GameSnapshot;
  /** The `GET /api/state` JSON. */
  state(): GameStateView;
  /** Numbered patches; the first one after snapshot() has seq snapshot().seq + 1. Returns the unsubscribe. */
  onPatch(listener: (patch: GamePatch) => void): () => void;
  /** lobby → countdown (3 s) → running; 409 when a round is already under way. */
  startRound(durationSeconds: number): RoundInfo;
  pauseRound(): RoundInfo;
  resumeRound(): RoundInfo;
  stopRound(): RoundInfo;
  /** Back to the lobby: the current round (if any) is finished and the game has no round. */
  resetRound(): void;
  chaos(): ChaosSettings;
  setChaos(settings: Partial<ChaosSettings>): ChaosSettings;
  /** A manual shot at a ship the game knows (404 otherwise); same safety checks as auto fire. */
  fire(uid: string): Promise<ShotEvent>;
  rounds(): RoundSummary[];
  round(id: number): RoundDetail | undefined;
  exportRound(id: number, format: 'csv' | 'json'): string | undefined;
  /** prom-client registry: shots by outcome, ships by state, fleets alive, recovery times, watch reconnects. */
  readonly metrics: Registry;
  close(): Promise<void>;
}
