// Composition of the game: informer → reducer → scoring → sync → listeners, with the chaos engine and the store.
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from '../log.ts';
import { chooseTarget, DEFAULT_CHAOS, mergeChaos, nextDelayMs, ShotBudget } from './chaos/choice.ts';
import {
  fireShot,
  kubeShotClient,
  messageOf,
  type ShotClient,
  type ShotResult,
  statusCode,
} from './chaos/shot.ts';
import { GameError } from './errors.ts';
import type {
  ChaosSettings,
  ChaosUpdate,
  ControllerKind,
  FleetScore,
  FleetStanding,
  GamePatch,
  GameSnapshot,
  GameStateView,
  RecoveryEvent,
  RoundDetail,
  RoundInfo,
  RoundSummary,
  Ship,
  ShipState,
  ShotCounts,
  ShotEvent,
} from './protocol.ts';
import { roundInfo, Scoreboard } from './scoring/scoreboard.ts';
import { roundTimeline } from './scoring/timeline.ts';
import { parseSelector } from './state/selector.ts';
import { controllerOf, fleetOf } from './state/ship.ts';
import {
  countFleets,
  emptyShips,
  reduceShips,
  type ShipEvent,
  type ShipsState,
  shipsTouchedBy,
} from './state/ships.ts';
import { GameStore, type StoredRound } from './store/game-store.ts';
import { PatchStream } from './sync/patches.ts';
import { podInformers, watchPods } from './watch/pod-watch.ts';
import { type Clock, systemClock } from '../clock.ts';
import type { RandomSource } from '../random.ts';

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
  /** The namespace the game itself runs in (protected); in a pod, the service account's namespace by default. */
  ownNamespace?: string;
  clock?: Clock;
  random?: RandomSource;
  log?: Logger;
  /** Patches are flushed at most this often (default 16 ms, a display frame). */
  patchIntervalMs?: number;
  /** The store is written at least this often (default 1000 ms). */
  persistIntervalMs?: number;
  /** Makes the cluster calls of shots (default: client-node with the kubeconfig); tests wrap it to inject refusals. */
  shotClient?: (kubeConfig: KubeConfig) => ShotClient;
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
  /** prom-client registry: shots by outcome, ships by state, fleets alive, recovery times, watch reconnects. */
  readonly metrics: Registry;
  close(): Promise<void>;
}

const ALWAYS_PROTECTED = ['kube-system', 'kube-public', 'kube-node-lease'];
/** How long a destroyed ship stays on screens (its explosion) before it is removed. */
const WRECK_MS = 2000;
const SHOT_FEED = 50;
const RECOVERY_FEED = 50;

export async function startGameEngine(options: GameEngineOptions): Promise<GameEngine> {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const log = options.log;
  const selectorText = options.selector ?? 'game=starwars';
  const selector = parseSelector(selectorText);
  const ownNamespace = options.ownNamespace ?? inClusterNamespace(options.kubeConfig);
  const protectedNamespaces = new Set([
    ...ALWAYS_PROTECTED,
    ...(ownNamespace ? [ownNamespace] : []),
    ...(options.protectedNamespaces ?? []),
  ]);
  const isProtected = (namespace: string) => protectedNamespaces.has(namespace);
  const shotClient = (options.shotClient ?? kubeShotClient)(options.kubeConfig);
  const store = new GameStore(options.dataDir);
  const scoreboard = new Scoreboard(store.loadScoreboard());
  scoreboard.resume(clock.now());
  let chaos = mergeChaos(DEFAULT_CHAOS, store.loadSetting<ChaosUpdate>('chaos') ?? {});

  let ships: ShipsState = emptyShips;
  let connected = false;
  let reconnectingSince: number | null = null;
  let closed = false;
  const wrecks = new Map<string, unknown>();
  const recentShots: ShotEvent[] = [];
  const unsavedShots: ShotEvent[] = [];
  const recentRecoveries: RecoveryEvent[] = [];
  const unsavedRecoveries: RecoveryEvent[] = [];
  let shotCounts: ShotCounts = scoreboard.round ? store.shotCounts(scoreboard.round.id) : zeroCounts();
  const budget = new ShotBudget();
  const capitalHits = new Map<string, number>();

  const metrics = new Registry();
  const shotsTotal = new Counter({
    name: 'kubewars_game_shots_total',
    help: 'Shots fired, by outcome.',
    labelNames: ['outcome'],
    registers: [metrics],
  });
  new Gauge({
    name: 'kubewars_game_ships',
    help: 'Ships in the game, by state.',
    labelNames: ['state'],
    registers: [metrics],
    collect() {
      for (const [state, n] of Object.entries(shipCounts())) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'kubewars_game_fleets_alive',
    help: 'Fleets with at least one flying ship.',
    registers: [metrics],
    collect() {
      // Live counts, not standings: a finished round's standings are frozen.
      this.set([...countFleets(ships.ships.values()).values()].filter((f) => f.flying > 0).length);
    },
  });
  const recoveryHistogram = new Histogram({
    name: 'kubewars_game_recovery_seconds',
    help: 'Time from a hit until the fleet flies as many ships as before it.',
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120],
    registers: [metrics],
  });
  const watchReconnects = new Counter({
    name: 'kubewars_game_watch_reconnects_total',
    help: 'Restarts of the pod watch after an error.',
    registers: [metrics],
  });

  const roundView = () => (scoreboard.round ? roundInfo(scoreboard.round) : null);

  // Fleet scores as clients get them in patches. Uptime and outage grow with time alone and ranks shift whenever
  // any fleet changes, so a fleet is re-sent only when something happened to it, and every fleet once per
  // second; ranks stay out of patches (browsers rank with the same rule), which keeps a shot's patch small.
  const fleetView = new Map<string, FleetScore>();
  const dirtyFleets = new Set<string>();
  let allFleetsDirty = true;
  function fleetsForClients(): FleetScore[] {
    const standings = scoreboard.standings(clock.now());
    const players = new Set(standings.map((f) => f.player));
    for (const player of fleetView.keys()) if (!players.has(player)) fleetView.delete(player);
    for (const { rank: _rank, ...fleet } of standings) {
      if (allFleetsDirty || dirtyFleets.has(fleet.player) || !fleetView.has(fleet.player)) {
        fleetView.set(fleet.player, { ...fleet, uptime: Math.round(fleet.uptime * 1000) / 1000 });
      }
    }
    dirtyFleets.clear();
    allFleetsDirty = false;
    return [...fleetView.values()];
  }

  const patches = new PatchStream({
    clock,
    intervalMs: options.patchIntervalMs ?? 16,
    view: () => ({
      ships: ships.ships,
      fleets: fleetsForClients(),
      round: roundView(),
      connected,
      reconnectingSince,
    }),
  });

  function shipCounts(): Record<ShipState, number> {
    const counts = { warping: 0, flying: 0, damaged: 0, destroyed: 0 };
    for (const ship of ships.ships.values()) counts[ship.state]++;
    return counts;
  }

  /** Runs a ships event through the reducer, then tells the scoreboard what it means for the fleets. */
  function apply(event: ShipEvent): void {
    const before = ships;
    ships = reduceShips(before, event);
    if (ships === before) return;
    const now = clock.now();
    const touched = new Map<string, string[]>();
    // The ship of each fleet that took off last in this event: the one that completes a recovery, if any.
    const arrived = new Map<string, Ship>();
    const touch = (fleet: string) => {
      let left = touched.get(fleet);
      if (!left) touched.set(fleet, (left = []));
      return left;
    };
    for (const uid of shipsTouchedBy(before, event)) {
      const old = before.ships.get(uid);
      const ship = ships.ships.get(uid);
      if (old === ship) continue;
      if (old) touch(old.fleet);
      if (!ship) continue;
      const left = touch(ship.fleet);
      if (ship.state !== 'flying' && (!old || old.state === 'flying')) left.push(uid);
      if (ship.state === 'flying' && old?.state !== 'flying') arrived.set(ship.fleet, ship);
      if (ship.state === 'destroyed' && old?.state !== 'destroyed') {
        scoreboard.shipLost(ship.fleet);
        scheduleWreckRemoval(uid);
      }
    }
    if (touched.size > 0) {
      const counts = countFleets(ships.ships.values());
      for (const [fleet, left] of touched) {
        dirtyFleets.add(fleet);
        const count = counts.get(fleet) ?? { flying: 0, total: 0, controllers: [] };
        for (const ms of scoreboard.updateFleet(fleet, count, now, left))
          recovered(fleet, ms, arrived.get(fleet));
      }
    }
    patches.changed();
  }

  function recovered(fleet: string, ms: number, ship: Ship | undefined): void {
    recoveryHistogram.observe(ms / 1000);
    const recovery: RecoveryEvent = { time: clock.now(), round: scoreboard.round?.id ?? null, fleet, ms };
    if (ship) {
      recovery.uid = ship.uid;
      recovery.name = ship.name;
    }
    recentRecoveries.push(recovery);
    if (recentRecoveries.length > RECOVERY_FEED) recentRecoveries.shift();
    unsavedRecoveries.push(recovery);
    patches.recovery(recovery);
  }

  function scheduleWreckRemoval(uid: string): void {
    if (wrecks.has(uid)) return;
    wrecks.set(
      uid,
      clock.setTimeout(() => {
        wrecks.delete(uid);
        apply({ type: 'remove', uid });
      }, WRECK_MS),
    );
  }

  /** After a (re)list, fleets whose pods all vanished while nobody watched get their real counts. */
  function recountAll(): void {
    const counts = countFleets(ships.ships.values());
    const now = clock.now();
    for (const player of scoreboard.players()) {
      scoreboard.updateFleet(player, counts.get(player) ?? { flying: 0, total: 0, controllers: [] }, now);
    }
    allFleetsDirty = true;
    patches.changed();
  }

  const watch = watchPods({
    informers: podInformers(options.kubeConfig, selectorText, options.namespaces),
    clock,
    log,
    handlers: {
      // Pods in protected namespaces never join the game: they cannot be shot, so they would always win.
      upsert: (pod) => {
        if (!isProtected(pod.metadata?.namespace ?? '')) apply({ type: 'upsert', pod });
      },
      delete: (pod) => {
        if (!isProtected(pod.metadata?.namespace ?? '')) apply({ type: 'delete', pod });
      },
      connection(isConnected, since) {
        connected = isConnected;
        reconnectingSince = since;
        patches.changed();
      },
      reconnect: () => watchReconnects.inc(),
    },
  });

  // ---- shots -------------------------------------------------------------------------------------------------

  function record(
    ship: Pick<Ship, 'uid' | 'name' | 'namespace' | 'fleet'>,
    result: ShotResult,
    source: 'auto' | 'manual',
    flyingAtAim: boolean,
  ): ShotEvent {
    const now = clock.now();
    const shot: ShotEvent = {
      time: now,
      round: scoreboard.round && scoreboard.round.status !== 'finished' ? scoreboard.round.id : null,
      uid: ship.uid,
      name: ship.name,
      namespace: ship.namespace,
      fleet: ship.fleet,
      outcome: result.outcome,
      dryRun: chaos.dryRun,
      source,
    };
    if (result.reason) shot.reason = result.reason;
    shotsTotal.inc({ outcome: shot.outcome });
    if (shot.round !== null) shotCounts[shot.outcome]++;
    if (shot.outcome === 'hit' && !shot.dryRun) {
      const stillFlying = ships.ships.get(ship.uid)?.state === 'flying';
      scoreboard.hit(ship.fleet, ship.uid, { wasFlying: flyingAtAim, stillFlying }, now);
      dirtyFleets.add(ship.fleet);
    }
    recentShots.push(shot);
    if (recentShots.length > SHOT_FEED) recentShots.shift();
    unsavedShots.push(shot);
    patches.shot(shot);
    const logLine = {
      uid: ship.uid,
      pod: `${ship.namespace}/${ship.name}`,
      fleet: ship.fleet,
      reason: shot.reason,
    };
    if (shot.outcome === 'refused') log?.warn(logLine, 'game shot refused');
    else log?.info(logLine, `game shot ${shot.outcome}`);
    return shot;
  }

  async function shoot(ship: Ship, source: 'auto' | 'manual'): Promise<ShotEvent> {
    const flyingAtAim = ship.state === 'flying';
    if (chaos.halted)
      return record(ship, { outcome: 'refused', reason: 'hard stop: firing is halted' }, source, false);
    if (!budget.take(chaos.budgetPerMinute, clock.now())) {
      return record(
        ship,
        { outcome: 'refused', reason: 'kill budget for this minute used up' },
        source,
        false,
      );
    }
    const result = await fireShot(shotClient, ship, {
      selector,
      selectorText,
      isProtected,
      dryRun: chaos.dryRun,
      weapon: chaos.weapon,
      gracePeriodSeconds: chaos.gracePeriodSeconds,
    });
    const shot = record(ship, result, source, flyingAtAim);
    if (source === 'manual' && shot.outcome === 'hit' && !shot.dryRun && result.pod)
      await capitalShip(result.pod);
    return shot;
  }

  /** Pilot mode: enough hits on a controller's pods destroy the controller itself. */
  async function capitalShip(pod: V1Pod): Promise<void> {
    if (!chaos.capitalShips.enabled) return;
    const controller = controllerOf(pod);
    if (!controller.uid || !controller.name || !CAPITAL_KINDS.includes(controller.kind)) return;
    const key =
      controller.kind === 'Deployment' ? `${pod.metadata?.namespace}/${controller.name}` : controller.uid;
    const hits = (capitalHits.get(key) ?? 0) + 1;
    capitalHits.set(key, hits);
    if (hits < chaos.capitalShips.hitsToDestroy) return;
    capitalHits.delete(key);
    const namespace = pod.metadata?.namespace ?? 'default';
    const policy = chaos.capitalShips.propagationPolicy;
    // A Deployment's pods are made by its ReplicaSet: deleting the Deployment with Orphan would leave that
    // ReplicaSet recreating them, so the ReplicaSet goes too (same policy) and nothing replaces a pod any more.
    const targets: [string, string][] = [[controller.kind, controller.name]];
    const owner =
      pod.metadata?.ownerReferences?.find((r) => r.controller) ?? pod.metadata?.ownerReferences?.[0];
    if (controller.kind === 'Deployment' && owner?.kind === 'ReplicaSet')
      targets.push(['ReplicaSet', owner.name]);
    try {
      for (const [kind, name] of targets) {
        try {
          await shotClient.deleteController(kind, namespace, name, policy);
        } catch (err) {
          // Already gone (a Background delete of the Deployment takes its ReplicaSet along): nothing to destroy.
          if (statusCode(err) !== 404) throw err;
        }
      }
      log?.info({ kind: controller.kind, namespace, name: controller.name }, 'capital ship destroyed');
    } catch (err) {
      const code = statusCode(err);
      const why =
        code === 403
          ? `the game may not delete ${controller.kind}s: grant its service account delete on deployments, replicasets, replicationcontrollers and statefulsets to play capital ships`
          : `the cluster refused: ${messageOf(err)}`;
      record(
        {
          uid: controller.uid,
          name: `${controller.kind}/${controller.name}`,
          namespace,
          fleet: fleetOf(pod),
        },
        { outcome: 'refused', reason: `capital ship ${controller.kind}/${controller.name} survived: ${why}` },
        'manual',
        false,
      );
    }
  }

  // ---- timers ------------------------------------------------------------------------------------------------

  let autoTimer: unknown;
  let roundTimer: unknown;

  function armAutoFire(): void {
    const wanted = chaos.auto && !chaos.paused && !chaos.halted && scoreboard.running && !closed;
    if (!wanted) {
      if (autoTimer !== undefined) clock.clearTimeout(autoTimer);
      autoTimer = undefined;
      return;
    }
    if (autoTimer !== undefined) return;
    autoTimer = clock.setTimeout(
      () => {
        autoTimer = undefined;
        const target = chooseTarget(ships.ships.values(), { fair: chaos.fair, isProtected }, random);
        if (target) void shoot(target, 'auto');
        armAutoFire();
      },
      nextDelayMs(chaos, random),
    );
  }

  function armRoundTimer(): void {
    if (roundTimer !== undefined) clock.clearTimeout(roundTimer);
    roundTimer = undefined;
    const deadline = scoreboard.nextDeadline();
    if (deadline === null || closed) return;
    roundTimer = clock.setTimeout(
      () => {
        roundTimer = undefined;
        if (scoreboard.tick(clock.now())) roundChanged();
        else armRoundTimer();
      },
      Math.max(0, deadline - clock.now()),
    );
  }

  function roundChanged(): void {
    allFleetsDirty = true;
    armRoundTimer();
    armAutoFire();
    persist();
    patches.changed();
  }

  let lastSaved = '';
  function persist(): void {
    const data = scoreboard.toData();
    const standings = scoreboard.standings(clock.now());
    const saved = JSON.stringify([data, standings]);
    if (saved === lastSaved && unsavedShots.length === 0 && unsavedRecoveries.length === 0) return;
    const shots = unsavedShots.splice(0);
    const recoveries = unsavedRecoveries.splice(0);
    try {
      store.save(data, standings, shots, recoveries);
      lastSaved = saved;
    } catch (err) {
      unsavedShots.unshift(...shots);
      unsavedRecoveries.unshift(...recoveries);
      log?.error({ err: (err as Error).message }, 'could not save the game; will retry in a second');
    }
  }

  let persistTimer: unknown;
  const persistInterval = options.persistIntervalMs ?? 1000;
  function persistLoop(): void {
    persist();
    // Uptime moves with time alone: scores go out once per tick even when no pod changed.
    if (scoreboard.running) {
      allFleetsDirty = true;
      patches.changed();
    }
    if (!closed) persistTimer = clock.setTimeout(persistLoop, persistInterval);
  }

  await watch.started;
  recountAll();
  persistTimer = clock.setTimeout(persistLoop, persistInterval);
  armRoundTimer();
  armAutoFire();

  function roundDetail(id: number): RoundDetail | undefined {
    persist();
    const r = store.round(id);
    if (!r) return undefined;
    const shotLog = store.shots(id);
    return {
      ...summaryOf(store, r),
      fleets: store.standings(id),
      shotLog,
      timeline: roundTimeline(shotLog, store.recoveries(id)),
    };
  }

  const roundAction = (action: (now: number) => RoundInfo): RoundInfo => {
    const info = action(clock.now());
    shotCounts = info.status === 'countdown' ? zeroCounts() : shotCounts;
    roundChanged();
    return info;
  };

  return {
    snapshot() {
      patches.flush();
      return {
        seq: patches.currentSeq,
        connected,
        reconnectingSince,
        round: roundView(),
        ships: [...ships.ships.values()],
        fleets: scoreboard.standings(clock.now()),
        shots: [...recentShots],
        recoveries: [...recentRecoveries],
      };
    },
    state() {
      return {
        connected,
        reconnectingSince,
        round: roundView(),
        chaos: structuredClone(chaos),
        fleets: scoreboard.standings(clock.now()),
        shots: { ...shotCounts },
        ships: shipCounts(),
      };
    },
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
      store.saveSetting('chaos', chaos);
      // New interval or a resumed fire takes effect at once, not after the old delay.
      if (autoTimer !== undefined) clock.clearTimeout(autoTimer);
      autoTimer = undefined;
      armAutoFire();
      return structuredClone(chaos);
    },
    async fire(uid) {
      const ship = ships.ships.get(uid);
      if (!ship)
        throw new GameError(404, `No ship with uid ${uid} is in the game: pick one from the battle view.`);
      return shoot(ship, 'manual');
    },
    rounds() {
      persist();
      return store.rounds().map((r) => summaryOf(store, r));
    },
    round: roundDetail,
    exportRound(id, format) {
      const detail = roundDetail(id);
      if (!detail) return undefined;
      return format === 'json' ? JSON.stringify(detail, null, 2) : standingsCsv(detail.fleets);
    },
    metrics,
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of [autoTimer, roundTimer, persistTimer, ...wrecks.values()]) {
        if (timer !== undefined) clock.clearTimeout(timer);
      }
      await watch.stop();
      shotClient.close();
      patches.close();
      persist();
      store.close();
    },
  };
}

/** When running in a pod, client-node's in-cluster context carries the service account's namespace. */
function inClusterNamespace(kubeConfig: KubeConfig): string | undefined {
  const context = kubeConfig.getCurrentContext();
  return context === 'inClusterContext' ? kubeConfig.getContextObject(context)?.namespace : undefined;
}

const CAPITAL_KINDS: ControllerKind[] = ['Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet'];

function zeroCounts(): ShotCounts {
  return { hit: 0, refused: 0, missed: 0 };
}

function summaryOf(store: GameStore, r: StoredRound): RoundSummary {
  const standings = store.standings(r.id);
  return {
    ...r,
    fleetCount: standings.length,
    leader: standings[0]?.player ?? null,
    shots: store.shotCounts(r.id),
  };
}

const CSV_COLUMNS = [
  'rank',
  'player',
  'alive',
  'flying',
  'total',
  'uptime',
  'hits',
  'recoveries',
  'recoveryP50Ms',
  'recoveryP95Ms',
  'longestOutageMs',
  'shipsLost',
  'eliminatedAt',
  'joinOrder',
] as const;

/** RFC 4180 CSV of a round's standings, one fleet a line, in rank order. */
export function standingsCsv(fleets: readonly FleetStanding[]): string {
  const cell = (v: unknown) => {
    const text = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [CSV_COLUMNS.join(',')];
  for (const f of fleets) lines.push(CSV_COLUMNS.map((c) => cell(f[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
