// Composition of the game: informers → reducer → scoring → sync → listeners, with firing and the save loop. Each
// part has its own module and tests; this file only wires them together, for the main cluster and, in a room, one
// cluster per attendee (addCluster), whose ships and shots stay in their own cluster.
import type { KubeConfig } from '@kubernetes/client-node';
import type { Registry } from 'prom-client';
import { clusterOwnNamespaces } from '../cluster-namespaces.ts';
import type { Logger } from '../log.ts';
import { DEFAULT_CHAOS, mergeChaos } from './chaos/choice.ts';
import { AutoFire, type FiredShot, Firing, type ShotSource } from './chaos/firing.ts';
import { kubeShotClient, type ShotClient } from './chaos/shot.ts';
import { ShotRouter } from './chaos/shot-router.ts';
import { GameError } from './errors.ts';
import { gameMetrics, shipCounts } from './metrics.ts';
import type {
  ChaosSettings,
  ChaosUpdate,
  GamePatch,
  GameSnapshot,
  GameStateView,
  RecoveryEvent,
  RoundDetail,
  RoundInfo,
  RoundSummary,
  Ship,
  ShotCounts,
  ShotEvent,
} from './protocol.ts';
import { fleetChanges, recountFleets, trackFleets } from './scoring/recoveries.ts';
import { RoundTimer } from './scoring/round.ts';
import { roundInfo, Scoreboard } from './scoring/scoreboard.ts';
import { parseSelector } from './state/selector.ts';
import { MAIN_CLUSTER, MAIN_ORIGIN, type PodOrigin, podOfShip, shipId } from './state/ship.ts';
import {
  countFleets,
  emptyShips,
  reduceShips,
  type ShipEvent,
  type ShipsState,
  shipsOfFleets,
  shipsTouchedBy,
} from './state/ships.ts';
import { Wrecks } from './state/wrecks.ts';
import { RoundPages } from './store/round-pages.ts';
import { RoundsArchive } from './store/rounds-archive.ts';
import { SaveLoop } from './store/save-loop.ts';
import { PatchStream } from './sync/patches.ts';
import { RecentEvents } from './sync/recent.ts';
import { ClusterWatches } from './watch/cluster-watches.ts';
import { type PodInformer, podInformers } from './watch/pod-watch.ts';
import { type Clock, systemClock } from '../clock.ts';
import type { RandomSource } from '../random.ts';

export interface GameEngineOptions {
  /** The only way to reach a cluster, the sandbox included. */
  kubeConfig: KubeConfig;
  /** The SQLite file is join(dataDir, 'game.db'). */
  dataDir: string;
  /** Label selector of game pods (default `game=starwars`). */
  selector?: string;
  /** Watch only these namespaces of the main cluster (default: all; none for []: a namespace room's). */
  namespaces?: string[];
  /** Added to kube-system, kube-public, kube-node-lease and the game's own namespace. */
  protectedNamespaces?: string[];
  /** The namespace the game itself runs in (protected); in a pod, the service account's namespace by default. */
  ownNamespace?: string;
  clock?: Clock;
  random?: RandomSource;
  log?: Logger;
  /** Patches are flushed at most this often on average (default 8 ms: 125 a second, half a display frame)… */
  patchIntervalMs?: number;
  /** …after up to this many back to back (default 4). */
  patchBurst?: number;
  /** The store is written at least this often (default 1000 ms). */
  persistIntervalMs?: number;
  /**
   * Makes the cluster calls of shots, one client per cluster (default: client-node with the cluster's kubeconfig);
   * tests wrap it to inject refusals.
   */
  shotClient?: (kubeConfig: KubeConfig) => ShotClient;
  /**
   * Makes a cluster's pod informers (default: client-node's, for the selector and the cluster's namespaces); tests
   * fake them.
   */
  podInformers?: (kubeConfig: KubeConfig, namespaces?: string[]) => PodInformer[];
}

/** An attendee's cluster in a room: every game pod in it flies in `fleet`, whatever its labels. */
export interface GameCluster {
  /** Not 'main' (the engine's own cluster), no '/'. */
  id: string;
  fleet: string;
  kubeConfig: KubeConfig;
  /** Watch only these namespaces of it (a namespace room: the attendee's own); default: the main cluster's. */
  namespaces?: string[];
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
  setChaos(settings: ChaosUpdate): ChaosSettings;
  /** A manual shot at a ship the game knows (404 otherwise); same safety checks as auto fire. */
  fire(uid: string): Promise<ShotEvent>;
  rounds(): RoundSummary[];
  round(id: number): RoundDetail | undefined;
  exportRound(id: number, format: 'csv' | 'json'): string | undefined;
  /**
   * Watches one more cluster (an attendee's) with the same selector, namespaces and protected namespaces as the
   * main one; resolves once its pods are listed (or its watch is retrying). 409 for an id or fleet already in the
   * game, 400 for a bad id.
   */
  addCluster(cluster: GameCluster): Promise<void>;
  /** Stops watching the cluster; its ships and (unless other ships fly in it) its fleet leave the battle at once. */
  removeCluster(id: string): Promise<void>;
  /** A fleet's ships flying and in all (for the room's Attendees panel); a watched cluster's empty fleet is 0/0. */
  fleet(name: string): { flying: number; total: number } | undefined;
  /**
   * prom-client registry: shots by outcome, ships by state, fleets alive, clusters watched, recovery times, watch
   * reconnects.
   */
  readonly metrics: Registry;
  close(): Promise<void>;
}

/** How long a destroyed ship stays on screens (its explosion) before it is removed. */
const WRECK_MS = 2000;
/** A wreck's removal waits at most this long for another change to ride along with (the scores' refresh period). */
const WRECK_SENT_WITHIN_MS = 1000;
const SHOT_FEED = 50;
const RECOVERY_FEED = 50;

export async function startGameEngine(options: GameEngineOptions): Promise<GameEngine> {
  const clock = options.clock ?? systemClock;
  const log = options.log;
  const selectorText = options.selector ?? 'game=starwars';
  const ownNamespace = options.ownNamespace ?? inClusterNamespace(options.kubeConfig);
  const protectedNamespaces = new Set([
    ...clusterOwnNamespaces,
    ...(ownNamespace ? [ownNamespace] : []),
    ...(options.protectedNamespaces ?? []),
  ]);
  const isProtected = (namespace: string) => protectedNamespaces.has(namespace);
  const archive = new RoundsArchive(options.dataDir);
  const scoreboard = new Scoreboard(archive.loadScoreboard());
  scoreboard.resume(clock.now());
  let chaos = mergeChaos(DEFAULT_CHAOS, archive.loadSetting<ChaosUpdate>('chaos') ?? {});

  let ships: ShipsState = emptyShips;
  const recentShots = new RecentEvents<ShotEvent>(SHOT_FEED);
  const recentRecoveries = new RecentEvents<RecoveryEvent>(RECOVERY_FEED);
  let shotCounts: ShotCounts = scoreboard.round ? archive.shotCounts(scoreboard.round.id) : zeroCounts();
  let lastShotId = archive.lastShotId();
  /** Pod events of every cluster go through apply(); patches and metrics hear of health changes once they exist. */
  const watches = new ClusterWatches({
    clock,
    ...(log ? { log } : {}),
    informers:
      options.podInformers ??
      ((kubeConfig, namespaces) => podInformers(kubeConfig, selectorText, namespaces ?? options.namespaces)),
    // Pods in protected namespaces never join the game: they cannot be shot, so they would always win.
    upsert: (pod, origin) => {
      if (!isProtected(pod.metadata?.namespace ?? '')) apply({ type: 'upsert', pod, origin });
    },
    delete: (pod, origin) => {
      if (!isProtected(pod.metadata?.namespace ?? '')) apply({ type: 'delete', pod, origin });
    },
    connection: () => patches.changed(),
    reconnect: () => metrics.watchReconnected(),
  });

  /** Attendee clusters by id, and by fleet (one cluster per fleet). */
  const attendees = new Map<string, PodOrigin>();
  const fleetOwners = new Map<string, string>();
  const metrics = gameMetrics(
    () => ships.ships.values(),
    () => watches.size,
  );
  const roundView = () => (scoreboard.round ? roundInfo(scoreboard.round) : null);

  const view = () => ({
    ships: ships.ships,
    fleets: scoreboard.standings(clock.now()),
    round: roundView(),
    connected: watches.connected,
    reconnectingSince: watches.reconnectingSince,
    chaos,
  });
  const patches = new PatchStream({
    clock,
    intervalMs: options.patchIntervalMs ?? 8,
    burst: options.patchBurst ?? 4,
    view,
  });
  const saves = new SaveLoop({
    clock,
    intervalMs: options.persistIntervalMs ?? 1000,
    log,
    scores: () => ({ data: scoreboard.toSaved(), standings: scoreboard.standings(clock.now()) }),
    write: (batch) => archive.save(batch.data, batch.standings, batch.shots, batch.recoveries),
    // Uptime moves with time alone: scores go out once per tick even when no pod changed.
    onTick: () => {
      if (scoreboard.running) patches.refresh();
    },
  });
  // A wreck leaving changes no score: it rides along with the next patch (at the latest the next second's).
  const wrecks = new Wrecks(clock, WRECK_MS, (uid) => apply({ type: 'remove', uid }, WRECK_SENT_WITHIN_MS));

  /**
   * Runs a ships event through the reducer, then tells the scoreboard what it means for the fleets; screens have it
   * within `sentWithinMs` (at once by default).
   */
  function apply(event: ShipEvent, sentWithinMs = 0): void {
    const before = ships;
    ships = reduceShips(before, event);
    // No ship changed (a name freed, a repeat): nothing for the scoreboard or the screens.
    if (ships.ships === before.ships) return;
    const changes = fleetChanges(before, ships, shipsTouchedBy(before, event));
    for (const change of changes) for (const uid of change.destroyed) wrecks.add(uid);
    for (const recovery of trackFleets(scoreboard, ships, changes, clock.now())) {
      metrics.recovered(recovery.ms);
      recentRecoveries.push(recovery);
      saves.recovery(recovery);
      patches.recovery(recovery);
    }
    patches.changedWithin(sentWithinMs);
  }

  /**
   * A fired or refused shot: numbered, counted, scored, kept for the feed and the archive, announced. Firing knows
   * pods by their uid in their cluster: the shot is recorded under the ship id and the fleet of the cluster aimed at.
   */
  function record({ target: aimed, result, source, flyingAtAim }: FiredShot): ShotEvent {
    const now = clock.now();
    const origin = router.origin ?? MAIN_ORIGIN;
    const target = {
      ...aimed,
      uid: shipId(origin.cluster, aimed.uid),
      fleet: origin.fleet ?? aimed.fleet,
    };
    const shot: ShotEvent = {
      id: ++lastShotId,
      time: now,
      round: scoreboard.round && scoreboard.round.status !== 'finished' ? scoreboard.round.id : null,
      uid: target.uid,
      name: target.name,
      namespace: target.namespace,
      fleet: target.fleet,
      outcome: result.outcome,
      dryRun: chaos.dryRun,
      source,
    };
    if (result.reason) shot.reason = result.reason;
    metrics.shot(shot.outcome);
    if (shot.round !== null) shotCounts[shot.outcome]++;
    if (shot.outcome === 'hit' && !shot.dryRun) {
      const stillFlying = ships.ships.get(target.uid)?.state === 'flying';
      scoreboard.hit(target.fleet, target.uid, { wasFlying: flyingAtAim, stillFlying }, now);
    }
    recentShots.push(shot);
    saves.shot(shot);
    patches.shot(shot);
    const logLine = {
      cluster: origin.cluster,
      uid: target.uid,
      pod: `${target.namespace}/${target.name}`,
      fleet: target.fleet,
      reason: shot.reason,
    };
    if (shot.outcome === 'refused') log?.warn(logLine, 'game shot refused');
    else log?.info(logLine, `game shot ${shot.outcome}`);
    return shot;
  }

  const makeShotClient = options.shotClient ?? kubeShotClient;
  const router = new ShotRouter();
  router.add(MAIN_CLUSTER, makeShotClient(options.kubeConfig));
  const firing = new Firing({
    client: router.client,
    safety: { selector: parseSelector(selectorText), selectorText, isProtected },
    clock,
    settings: () => chaos,
    record,
    log,
  });
  const autoFire = new AutoFire({
    clock,
    random: options.random ?? Math.random,
    settings: () => chaos,
    running: () => scoreboard.running,
    ships: () => ships.ships.values(),
    isProtected,
    fire: (ship) => void shoot(ship, 'auto'),
  });

  /** Fires at a ship in its own cluster: Firing sees the pod's own uid, the router picks the cluster's client. */
  function shoot(ship: Ship, source: ShotSource): Promise<ShotEvent> {
    const { cluster, podUid } = podOfShip(ship.uid);
    const origin = attendees.get(cluster) ?? MAIN_ORIGIN;
    const seen = watches.pod(cluster, podUid);
    return router.aimedAt(origin, () => firing.fire({ ...ship, uid: podUid }, source, seen));
  }
  const roundTimer = new RoundTimer({
    clock,
    deadline: () => scoreboard.nextDeadline(),
    tick: (now) => scoreboard.tick(now),
    changed: roundChanged,
  });

  function roundChanged(): void {
    roundTimer.arm();
    autoFire.update();
    saves.saveNow();
    patches.refresh();
  }

  await watches.add(MAIN_ORIGIN, options.kubeConfig);
  recountFleets(scoreboard, ships, clock.now());
  patches.refresh();
  saves.start();
  roundTimer.arm();
  autoFire.update();

  /** Reads of the archive see every shot so far: what the loop has not written yet is written first. */
  const pages = new RoundPages({ archive, flush: () => saves.saveNow() });
  const roundAction = (action: (now: number) => RoundInfo): RoundInfo => {
    const info = action(clock.now());
    if (info.status === 'countdown') shotCounts = zeroCounts();
    roundChanged();
    return info;
  };
  let closed = false;

  return {
    snapshot: () => ({
      seq: patches.currentSeq,
      ...view(),
      ships: [...ships.ships.values()],
      chaos: structuredClone(chaos),
      shots: recentShots.list(),
      recoveries: recentRecoveries.list(),
    }),
    state: () => ({
      connected: watches.connected,
      reconnectingSince: watches.reconnectingSince,
      round: roundView(),
      chaos: structuredClone(chaos),
      fleets: scoreboard.standings(clock.now()),
      shots: { ...shotCounts },
      ships: shipCounts(ships.ships.values()),
    }),
    onPatch: (listener) => patches.onPatch(listener),
    startRound: (durationSeconds) => roundAction((now) => scoreboard.startRound(durationSeconds, now)),
    pauseRound: () => roundAction((now) => scoreboard.pauseRound(now)),
    resumeRound: () => roundAction((now) => scoreboard.resumeRound(now)),
    stopRound: () => roundAction((now) => scoreboard.stopRound(now)),
    resetRound() {
      scoreboard.resetRound(clock.now());
      shotCounts = zeroCounts();
      roundChanged();
    },
    chaos: () => structuredClone(chaos),
    setChaos(settings) {
      chaos = mergeChaos(chaos, settings);
      archive.saveSetting('chaos', chaos);
      autoFire.restart();
      patches.changed();
      return structuredClone(chaos);
    },
    async fire(uid) {
      const ship = ships.ships.get(uid);
      if (!ship)
        throw new GameError(404, `No ship with uid ${uid} is in the game: pick one from the battle view.`);
      return shoot(ship, 'manual');
    },
    async addCluster({ id, fleet, kubeConfig, namespaces }) {
      if (closed) throw new Error('The game has stopped: no cluster can join it.');
      if (!id || id === MAIN_CLUSTER || id.includes('/')) {
        throw new GameError(
          400,
          `A cluster id is a name other than "${MAIN_CLUSTER}", without "/": got "${id}".`,
        );
      }
      if (attendees.has(id)) throw new GameError(409, `Cluster ${id} is already in the game.`);
      const owner = fleetOwners.get(fleet);
      if (owner !== undefined)
        throw new GameError(409, `Fleet ${fleet} already belongs to cluster ${owner}.`);
      const origin: PodOrigin = { cluster: id, fleet };
      // Made first: a kubeconfig without a cluster fails here, before anything is watched.
      router.add(id, makeShotClient(kubeConfig));
      attendees.set(id, origin);
      fleetOwners.set(fleet, id);
      try {
        await watches.add(origin, kubeConfig, namespaces);
      } catch (err) {
        attendees.delete(id);
        fleetOwners.delete(fleet);
        router.remove(id);
        throw err;
      }
      if (attendees.get(id) !== origin) return;
      // A fleet the scoreboard kept from before a restart gets the counts of the pods there are now.
      recountFleets(scoreboard, ships, clock.now());
      patches.changed();
    },
    async removeCluster(id) {
      const origin = attendees.get(id);
      if (!origin?.fleet) return;
      attendees.delete(id);
      fleetOwners.delete(origin.fleet);
      const stopped = watches.remove(id);
      router.remove(id);
      apply({ type: 'removeCluster', cluster: id });
      // A main-cluster pod labelled with the attendee's name keeps the fleet on the board.
      if (!countFleets(shipsOfFleets(ships, [origin.fleet])).get(origin.fleet)?.total)
        scoreboard.removeFleet(origin.fleet, clock.now());
      patches.changed();
      log?.info({ cluster: id, fleet: origin.fleet }, 'cluster left the game');
      await stopped;
    },
    fleet(name) {
      return scoreboard.counts(name) ?? (fleetOwners.has(name) ? { flying: 0, total: 0 } : undefined);
    },
    rounds: () => pages.rounds(),
    round: (id) => pages.round(id),
    exportRound: (id, format) => pages.export(id, format),
    metrics: metrics.registry,
    async close() {
      if (closed) return;
      closed = true;
      autoFire.close();
      roundTimer.close();
      wrecks.close();
      await watches.stop();
      router.client.close();
      patches.close();
      saves.close();
      archive.close();
    },
  };
}

/** When running in a pod, client-node's in-cluster context carries the service account's namespace. */
function inClusterNamespace(kubeConfig: KubeConfig): string | undefined {
  const context = kubeConfig.getCurrentContext();
  return context === 'inClusterContext' ? kubeConfig.getContextObject(context)?.namespace : undefined;
}

function zeroCounts(): ShotCounts {
  return { hit: 0, refused: 0, missed: 0 };
}
