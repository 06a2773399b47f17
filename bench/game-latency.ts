// Benchmark of the game's live feed: 1,000 game pods in 100 fleets on an in-process sandbox, the game server (engine +
// web feature) in a child process, 100 socket.io clients in another. Measures the time from the sandbox committing a
// change to the moment every client has the diff, and the game server's CPU per shot (with the part its main thread
// spends, mainThreadCpuMsPerShot; and what each patch's broadcast costs, broadcastCpuMsPerPatch, timed during the
// launches, to set beside the floor's floorCpuMsPerBroadcast). A shot's change is the start of the pod's deletion (the
// write that sets its deletionTimestamp, when the game shows the ship destroyed; the pod leaves the API only after its
// grace period); a launch's is the pod turning Running. The floor, measured in the same run between those events, is a
// bare socket.io broadcast of a game patch to the same 100 connections (a namespace of their own, no engine), one after
// each launch: eventRatio is eventToClientP99Ms over eventFloorP99Ms. The shot's CPU has a floor of its own,
// shotFloorCpuMs: a bare shot through the same stack (Express, client-node's DELETE and informer, socket.io) with
// nothing of the game (see `runServer`); shotCpuRatio is serverCpuMsPerShot over it. Those shots are the instructor's,
// one after another through the fire route; a battle's are auto fire's, from a timer: autoFireCpuMsPerShot is the CPU
// per shot of auto fire at its fastest, beside autoShotFloorCpuMs, bare shots from a timer at the same pace
// (autoShotCpuRatio). Everything is measured after a warm-up of 200 shots and 200 launches (so V8 has compiled the
// game's paths, as it has the floor's by the time the floor runs), the bare shots after a batch of their own. Prints
// figures, then one JSON line.
// One file, three roles: the orchestrator (default), `--role server` and `--role clients`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import type { Namespace } from 'socket.io';
import { loadKubeConfig } from '../server/cluster.ts';
import { startGameEngine } from '../server/game/engine.ts';
import { podInformers } from '../server/game/watch/pod-watch.ts';
import { createGameFeature } from '../server/game/web/feature.ts';
import { startSandbox } from '../server/sandbox/index.ts';
import type { KubeObject } from '../server/sandbox/types.ts';
import { startWebServer } from '../server/web/server.ts';
import { GAME_EVENTS, type GamePatch, type GameStateView } from '../server/game/protocol.ts';
import {
  BATTLE_FLEETS,
  BATTLE_NAMESPACES,
  battleFleetMember,
  forkRole,
  mainThreadCpuUs,
  type Message,
  now,
  openScreens,
  percentile,
} from './support.ts';

const script = fileURLToPath(import.meta.url);

const PODS = 1_000;
const CLIENTS = 100;
const SHOTS = 200;
const LAUNCHES = 200;
/** Shots, then launches, before anything is timed. */
const WARMUP_EVENTS = 200;
/** Bare broadcasts in a row, for the floor's CPU per broadcast. */
const FLOOR_CPU_BROADCASTS = 200;
/** The bare broadcasts' namespace: the floor the game's feed is compared with. */
const FLOOR_NAMESPACE = '/floor';
/**
 * Bare shots (see `runServer`), a batch of pods at a time after one untimed batch, and the label of the pods they
 * delete (not game pods).
 */
const FLOOR_SHOTS = 200;
const FLOOR_SHOT_BATCH = 100;
const FLOOR_SHOT_LABEL = 'bench=shot-floor';
const TOKEN = 'bench-instructor-token';
/** Auto fire at its fastest (the shortest interval the chaos settings allow), until this many deletions started. */
const AUTO_INTERVAL_SECONDS = 0.05;
const AUTO_SHOTS = 200;

/** A pod a bare shot deletes: exactly that one (its uid is the delete's precondition). */
interface BarePod {
  namespace: string;
  name: string;
  uid: string;
}

/** The event a patch op times: a ship destroyed or removed (`del:`), or flying (`run:`). */
function timedKey(op: GamePatch['ops'][number]): string | undefined {
  if (op.op === 'shipRemoved') return `del:${op.uid}`;
  if (op.op !== 'ship') return undefined;
  if (op.ship.state === 'flying') return `run:${op.ship.uid}`;
  return op.ship.state === 'destroyed' ? `del:${op.ship.uid}` : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Role `server`: the game as `kubewars start` runs it, against the sandbox's kubeconfig.

async function runServer(kubeconfig: string, dataDir: string): Promise<void> {
  // Loaded as `kubewars start --kubeconfig` loads it. The engine's defaults, as `kubewars start` runs it.
  const kubeConfig = loadKubeConfig({ path: kubeconfig });
  const engine = await startGameEngine({ kubeConfig, dataDir });
  // The CPU of each patch's broadcast alone: taken between a listener registered before the web feature's (which
  // broadcasts) and the one after it, below. Only while the orchestrator asks (during the launches): a reading of
  // the process's CPU took 64 µs here, two per patch, which the shots' CPU must not carry.
  let timingBroadcasts = false;
  let broadcastStarted = process.cpuUsage();
  let broadcastCpuUs = 0;
  engine.onPatch(() => {
    if (timingBroadcasts) broadcastStarted = process.cpuUsage();
  });
  let floor: Namespace | undefined;
  const web = await startWebServer({
    host: '127.0.0.1',
    port: 0,
    staticDir: dataDir,
    features: [
      createGameFeature({ engine, instructorToken: TOKEN }),
      // The floor: the same socket.io server and connections, a broadcast with nothing of the game behind it.
      {
        name: 'floor',
        mount: (app, io) => {
          floor = io.of(FLOOR_NAMESPACE);
          // The shot's floor: what any shot costs on this stack with nothing of the game in it. A POST through the
          // same Express app (past the game's router, as the fire route is), one client-node DELETE of a pod with
          // its uid as precondition on the same kubeconfig, and, when the informer hears the deletion start, one
          // bare broadcast of the last game patch.
          app.post('/bench/shot-floor', async (req, res) => {
            await bareShot(req.body as BarePod);
            res.json({ outcome: 'hit' });
          });
        },
      },
    ],
  });
  const floorCore = kubeConfig.makeApiClient(CoreV1Api);
  const bareShot = async ({ namespace, name, uid }: BarePod) => {
    await floorCore.deleteNamespacedPod({ namespace, name, body: { preconditions: { uid } } });
  };
  const floorShotsHeard = new Set<string>();
  const hearFloorShot = (pod: V1Pod) => {
    const uid = pod.metadata?.uid ?? '';
    if (floorShotsHeard.has(uid)) return;
    floorShotsHeard.add(uid);
    floor?.emit(GAME_EVENTS.patch, { id: `shot-${uid}`, patch: lastPatch });
  };
  const [floorInformer] = podInformers(kubeConfig, FLOOR_SHOT_LABEL);
  floorInformer?.on('update', (pod) => {
    if (pod.metadata?.deletionTimestamp) hearFloorShot(pod);
  });
  floorInformer?.on('delete', hearFloorShot);
  await floorInformer?.start();
  let lastPatch: GamePatch | undefined;
  let patches = 0;
  // When each event's patch was sent (first time only), and the patches, kept here and handed over at the end: a
  // message per patch would put the benchmark's own IPC into the game server's CPU per shot.
  const sentAt = new Map<string, number>();
  const sentPatches: GamePatch[] = [];
  // Registered after the web feature's listener: the time is taken once socket.io has written the patch out.
  engine.onPatch((patch) => {
    if (timingBroadcasts) {
      const broadcast = process.cpuUsage(broadcastStarted);
      broadcastCpuUs += broadcast.user + broadcast.system;
    }
    lastPatch = patch;
    patches++;
    const t = now();
    let timed = false;
    for (const op of patch.ops) {
      const key = timedKey(op);
      if (key === undefined) continue;
      timed = true;
      if (!sentAt.has(key)) sentAt.set(key, t);
    }
    if (timed) sentPatches.push(patch);
  });
  process.on('message', (message: { type: string; id?: number; timeBroadcasts?: boolean }) => {
    if (message.type === 'cpu') {
      timingBroadcasts = message.timeBroadcasts ?? timingBroadcasts;
      process.send?.({
        type: 'cpu',
        usage: process.cpuUsage(),
        mainThreadUs: mainThreadCpuUs(),
        broadcastCpuUs,
        patches,
      });
    }
    if (message.type === 'sent') {
      const bytes = sentPatches.map((patch) => JSON.stringify(patch).length);
      process.send?.({ type: 'sent', sent: [...sentAt], bytes });
    }
    if (message.type === 'floor') {
      // A real patch of this run, so the bytes on the wire are the game's own.
      const t = now();
      floor?.emit(GAME_EVENTS.patch, { id: message.id, patch: lastPatch });
      process.send?.({ type: 'floorSent', id: message.id, t });
    }
    if (message.type === 'autoFloor') {
      // The auto-fire floor: bare shots from a timer, at auto fire's pace, with no route in between.
      const pods = (message as unknown as { pods: BarePod[] }).pods;
      const next = () => {
        const pod = pods.shift();
        if (!pod) return;
        void bareShot(pod);
        setTimeout(next, AUTO_INTERVAL_SECONDS * 1000);
      };
      next();
    }
    if (message.type === 'stop') {
      void floorInformer
        ?.stop()
        .then(() => web.close())
        .then(() => engine.close())
        .then(() => process.exit(0));
    }
  });
  process.send?.({ type: 'ready', url: web.url });
}

// ---------------------------------------------------------------------------------------------------------------
// Role `clients`: COUNT independent socket.io connections to /game. For each pod event it reports the moment the
// last client received the diff: `del:<uid>` (ship destroyed or removed) and `run:<uid>` (ship flying), and for each
// bare broadcast on the floor namespace, `floor:<id>`.

async function runClients(url: string, count: number, ships: number): Promise<void> {
  const ready = new Set<number>();
  const screens = openScreens(url, count, {
    arrived: (key) => process.send?.({ type: 'event', key, t: now() }),
    updated: (index, flying) => {
      if (flying.size < ships || ready.has(index)) return;
      ready.add(index);
      if (ready.size === count) process.send?.({ type: 'ready' });
    },
  });
  // The floor rides each screen's own connection (socket.io multiplexes namespaces on one manager).
  const floorSeen = new Map<number | string, number>();
  for (const socket of screens.sockets) {
    socket.io.socket(FLOOR_NAMESPACE).on(GAME_EVENTS.patch, ({ id }: { id: number | string }) => {
      const seen = (floorSeen.get(id) ?? 0) + 1;
      floorSeen.set(id, seen);
      if (seen < count) return;
      floorSeen.delete(id);
      process.send?.({ type: 'event', key: `floor:${id}`, t: now() });
    });
  }
  process.on('message', (message: { type: string }) => {
    if (message.type === 'gaps') process.send?.({ type: 'gaps', gaps: screens.gaps() });
    if (message.type === 'stop') process.exit(0);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Orchestrator: the sandbox in this process, so its commits are timed where they happen.

async function orchestrate(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kubewars-bench-game-'));
  const sandbox = await startSandbox({
    port: 0,
    kubeconfigOut: join(dir, 'kubeconfig'),
    speed: 'fast',
    // 110 pods per node, as a real kubelet.
    nodes: 12,
  });
  const podsRef = { group: '', resource: 'pods' };
  const isRunning = (pod: KubeObject) => {
    const status = pod['status'] as { phase?: string; containerStatuses?: { ready?: boolean }[] } | undefined;
    return status?.phase === 'Running' && (status.containerStatuses ?? []).every((c) => c.ready);
  };

  // Commit times, taken from the sandbox's own watch (delivered right after each write). A deletion starts with the
  // write that sets deletionTimestamp (a pod with no grace period goes at once: its DELETED is the start).
  const committed = new Map<string, number>();
  /** The `del:` keys, in the order the deletions started. */
  const deletions: string[] = [];
  const running = new Set<string>();
  /**
   * The uids of the game pods Running and not being deleted: the shots' targets. Kept from this watch rather than
   * listed per shot: a list copies every pod in the sandbox's process (about 4 MB a shot at 1,000 pods), and the
   * collections that forced stalled the process whose watch writes are on the timed path (58 scavenges over 2 ms in
   * 200 shots).
   */
  const flying = new Set<string>();
  const isDeleting = (pod: KubeObject) => Boolean(pod.metadata.deletionTimestamp);
  const stopWatch = sandbox.client.watch(podsRef, {}, (event) => {
    const uid = event.object.metadata.uid ?? '';
    if (event.type === 'DELETED' || isDeleting(event.object)) {
      flying.delete(uid);
      if (!committed.has(`del:${uid}`)) {
        committed.set(`del:${uid}`, now());
        deletions.push(`del:${uid}`);
      }
    } else if (isRunning(event.object)) {
      if (event.object.metadata.labels?.['game'] === 'starwars') flying.add(uid);
      if (running.has(uid)) return;
      running.add(uid);
      committed.set(`run:${uid}`, now());
    }
  });

  for (const name of BATTLE_NAMESPACES) {
    sandbox.client.create({ group: '', resource: 'namespaces' }, undefined, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    });
  }
  let created = 0;
  const launch = (): KubeObject => {
    const { namespace, labels } = battleFleetMember(created);
    const pod = sandbox.client.create(podsRef, namespace, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `ship-${created}`, labels },
      spec: { containers: [{ name: 'ship', image: 'nginx:1.27' }] },
    });
    created++;
    return pod;
  };
  /** Once every one of `pods` has been Running. */
  const untilRunning = async (pods: KubeObject[]) => {
    while (pods.some((pod) => !running.has(pod.metadata.uid as string))) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const started = performance.now();
  await untilRunning(Array.from({ length: PODS }, launch));
  console.log(
    `${PODS} pods in ${BATTLE_FLEETS} fleets Running in ${Math.round(performance.now() - started)} ms`,
  );

  const server = forkRole(script, [
    '--role',
    'server',
    '--kubeconfig',
    sandbox.kubeconfigPath,
    '--data-dir',
    dir,
  ]);
  const { url } = (await server.next('ready', 120_000)) as unknown as { url: string };
  const clients = forkRole(script, [
    '--role',
    'clients',
    '--url',
    url,
    '--count',
    String(CLIENTS),
    '--ships',
    String(PODS),
  ]);
  const eventsSeen = new Map<string, number>();
  const eventWaiters = new Map<string, (t: number) => void>();
  clients.process.on('message', (message: Message) => {
    if (message.type !== 'event') return;
    const key = message['key'] as string;
    const t = message['t'] as number;
    const waiter = eventWaiters.get(key);
    if (waiter) {
      eventWaiters.delete(key);
      waiter(t);
    } else eventsSeen.set(key, t);
  });
  const everyClientHas = (key: string) =>
    new Promise<number>((resolve, reject) => {
      const seen = eventsSeen.get(key);
      if (seen !== undefined) return resolve(seen);
      const timer = setTimeout(() => reject(new Error(`clients never all saw ${key}`)), 30_000);
      eventWaiters.set(key, (t) => {
        clearTimeout(timer);
        resolve(t);
      });
    });
  await clients.next('ready', 120_000);
  console.log(`${CLIENTS} clients connected to /game, each with a snapshot of ${PODS} flying ships`);

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  await call('PUT', '/api/chaos', { auto: false, budgetPerMinute: 100_000 });
  await call('POST', '/api/rounds', { durationSeconds: 3600 });
  // The round's 3 s countdown: shots count once it runs.
  for (;;) {
    const { round } = (await call('GET', '/api/state')) as { round?: { status: string } | null };
    if (round?.status === 'running') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  // Shots: one at a time, each at a random flying pod, through the instructor's fire route.
  /** The game server's CPU so far; `timeBroadcasts` turns the timing of each patch's broadcast on or off. */
  const cpu = async (timeBroadcasts?: boolean) => {
    return (await server.ask({ type: 'cpu', timeBroadcasts }, 'cpu', 120_000)) as unknown as {
      usage: NodeJS.CpuUsage;
      mainThreadUs: number;
      broadcastCpuUs: number;
      patches: number;
    };
  };
  /** One bare broadcast, from its emit to the last client: the floor, taken right after a game event. */
  const floor: number[] = [];
  let floorId = 0;
  const measureFloor = async (samples = floor) => {
    const emitted = server.ask({ type: 'floor', id: ++floorId }, 'floorSent');
    const [seen, { t }] = await Promise.all([everyClientHas(`floor:${floorId}`), emitted]);
    samples.push(seen - (t as number));
  };
  const deletion: number[] = [];
  /** When the last client had each event: split at the end into commit → sent and sent → last client. */
  const seenAt = new Map<string, number>();
  const timeEvent = (key: string, seen: number) => {
    seenAt.set(key, seen);
    return seen - (committed.get(key) as number);
  };
  /** One shot at a random flying pod, through the instructor's fire route: its event, once every client has it. */
  const shoot = async (): Promise<[string, number]> => {
    const targets = [...flying];
    const uid = targets[Math.floor(Math.random() * targets.length)] as string;
    const shot = await call('POST', '/api/fire', { uid });
    if (shot['outcome'] !== 'hit')
      throw new Error(`a shot was ${String(shot['outcome'])}: ${String(shot['reason'])}`);
    return [`del:${uid}`, await everyClientHas(`del:${uid}`)];
  };
  /** One new pod: its Running event, once every client has it. */
  const launchOne = async (): Promise<[string, number]> => {
    const uid = launch().metadata.uid as string;
    return [`run:${uid}`, await everyClientHas(`run:${uid}`)];
  };
  // The warm-up, neither timed nor counted: shots and launches, back to 1,000 pods, so V8 has compiled the paths a
  // battle runs before they are measured, as it has the floor's broadcast by the time the floor is measured.
  for (let i = 0; i < WARMUP_EVENTS; i++) await shoot();
  for (let i = 0; i < WARMUP_EVENTS; i++) await launchOne();
  console.log(`warm-up: ${WARMUP_EVENTS} shots and ${WARMUP_EVENTS} launches, not timed`);

  /** The game server's CPU (user + system, every thread) per event between two readings. */
  type CpuReading = Awaited<ReturnType<typeof cpu>>;
  const cpuMsPer = (before: CpuReading, after: CpuReading, events: number) =>
    (after.usage.user - before.usage.user + after.usage.system - before.usage.system) / 1000 / events;
  const cpuBefore = await cpu();
  for (let i = 0; i < SHOTS; i++) deletion.push(timeEvent(...(await shoot())));
  const cpuAfter = await cpu();
  const cpuPerShotMs = cpuMsPer(cpuBefore, cpuAfter, SHOTS);
  const patchesPerShot = (cpuAfter.patches - cpuBefore.patches) / SHOTS;
  const mainThreadMsPerShot = (cpuAfter.mainThreadUs - cpuBefore.mainThreadUs) / 1000 / SHOTS;

  // Launches: one new pod at a time (back to 1,000), timed from its Running commit, each followed by one bare
  // broadcast (after the shots, so the game's CPU per shot holds none of the floor's). Each launch's patch times
  // its broadcast.
  const startup: number[] = [];
  const launchesBefore = await cpu(true);
  for (let i = 0; i < LAUNCHES; i++) {
    startup.push(timeEvent(...(await launchOne())));
    await measureFloor();
  }
  const launchesAfter = await cpu(false);
  const broadcastMsPerPatch =
    (launchesAfter.broadcastCpuUs - launchesBefore.broadcastCpuUs) /
    1000 /
    (launchesAfter.patches - launchesBefore.patches);

  // The battle's own shots: auto fire at its fastest, each shot the scheduler's (no route in, nobody waiting for
  // it), from the first to the moment every client has the last deletion. CPU per shot fired, whatever its outcome.
  const shotsFired = async () => {
    const { shots } = (await call('GET', '/api/state')) as unknown as GameStateView;
    return shots.hit + shots.missed + shots.refused;
  };
  const firedBefore = await shotsFired();
  const deletionsBefore = deletions.length;
  const autoCpuBefore = await cpu();
  await call('PUT', '/api/chaos', { auto: true, intervalSeconds: AUTO_INTERVAL_SECONDS, jitter: 0 });
  while (deletions.length - deletionsBefore < AUTO_SHOTS)
    await new Promise((resolve) => setTimeout(resolve, 10));
  await call('PUT', '/api/chaos', { auto: false });
  for (const key of deletions.slice(deletionsBefore)) await everyClientHas(key);
  const autoCpuAfter = await cpu();
  const autoShots = (await shotsFired()) - firedBefore;
  const autoCpuPerShotMs = cpuMsPer(autoCpuBefore, autoCpuAfter, autoShots);

  // The floor's CPU: bare broadcasts one after another with nothing else going on, the game server's CPU per
  // broadcast (what the 100 socket writes of one patch cost, whatever sends it).
  const floorCpuBefore = await cpu();
  for (let i = 0; i < FLOOR_CPU_BROADCASTS; i++) await measureFloor([]);
  const floorCpuAfter = await cpu();
  const floorCpuMs = cpuMsPer(floorCpuBefore, floorCpuAfter, FLOOR_CPU_BROADCASTS);

  // The shot's floor: bare shots one after another, each at a pod of its own outside the game (the game's watch
  // never hears of them), from the POST to the last client.
  const floorShotNamespace = 'shot-floor';
  sandbox.client.create({ group: '', resource: 'namespaces' }, undefined, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: floorShotNamespace },
  });
  const [labelKey, labelValue] = FLOOR_SHOT_LABEL.split('=') as [string, string];
  let bare = 0;
  /** A batch of pods of its own for the bare shots, Running (room for a batch at a time beside the fleets). */
  const barePods = async () => {
    const pods = Array.from({ length: FLOOR_SHOT_BATCH }, () =>
      sandbox.client.create(podsRef, floorShotNamespace, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `bare-${bare++}`, labels: { [labelKey]: labelValue } },
        spec: { containers: [{ name: 'ship', image: 'nginx:1.27' }] },
      }),
    );
    await untilRunning(pods);
    return pods;
  };
  const bareTarget = (pod: KubeObject): BarePod => {
    const { namespace, name, uid } = pod.metadata as BarePod;
    return { namespace, name, uid };
  };
  /** Bare shots at each pod of a batch through the POST route, one after another. */
  const shootBareByRoute = async (pods: KubeObject[]) => {
    for (const pod of pods) {
      const target = bareTarget(pod);
      await call('POST', '/bench/shot-floor', target);
      await everyClientHas(`floor:shot-${target.uid}`);
    }
  };
  /** Bare shots at a batch from the server's own timer, at auto fire's pace, until every client has the last. */
  const shootBareByTimer = async (pods: KubeObject[]) => {
    const targets = pods.map(bareTarget);
    server.process.send({ type: 'autoFloor', pods: targets });
    for (const { uid } of targets) await everyClientHas(`floor:shot-${uid}`);
  };
  /** The game server's CPU per bare shot, FLOOR_SHOTS of them a batch at a time. */
  const floorShotCpuMs = async (shootBatch: (pods: KubeObject[]) => Promise<void>) => {
    let cpuMs = 0;
    for (let timed = 0; timed < FLOOR_SHOTS; timed += FLOOR_SHOT_BATCH) {
      const pods = await barePods();
      const before = await cpu();
      await shootBatch(pods);
      cpuMs += cpuMsPer(before, await cpu(), FLOOR_SHOTS);
    }
    return cpuMs;
  };
  await shootBareByRoute(await barePods());
  const shotFloorCpuMs = await floorShotCpuMs(shootBareByRoute);
  await shootBareByTimer(await barePods());
  const autoShotFloorCpuMs = await floorShotCpuMs(shootBareByTimer);

  const { sent: sentPairs, bytes: patchBytes } = (await server.ask({ type: 'sent' })) as unknown as {
    sent: [string, number][];
    bytes: number[];
  };
  const sent = new Map(sentPairs);
  /** Per phase: sandbox commit → game server sent the patch, and sent → the last client has it. */
  const toServer: Record<string, number[]> = { del: [], run: [] };
  const toClients: Record<string, number[]> = { del: [], run: [] };
  for (const [key, seen] of seenAt) {
    const phase = key.slice(0, 3);
    const out = sent.get(key) ?? seen;
    toServer[phase]?.push(out - (committed.get(key) as number));
    toClients[phase]?.push(seen - out);
  }

  const { gaps } = (await clients.ask({ type: 'gaps' }, 'gaps', 120_000)) as unknown as { gaps: number };
  const all = [...deletion, ...startup];
  const eventP99 = percentile(all, 99);
  const floorP99 = percentile(floor, 99);
  console.log(
    `pod deletion started → all ${CLIENTS} clients: p50 ${percentile(deletion, 50)} ms, p99 ${percentile(deletion, 99)} ms, max ${percentile(deletion, 100)} ms (${SHOTS} shots)`,
  );
  console.log(
    `pod Running → all ${CLIENTS} clients: p50 ${percentile(startup, 50)} ms, p99 ${percentile(startup, 99)} ms, max ${percentile(startup, 100)} ms (${LAUNCHES} pods)`,
  );
  for (const [phase, label] of [
    ['del', 'deletions'],
    ['run', 'Running'],
  ] as const) {
    const server = toServer[phase] ?? [];
    const fanOut = toClients[phase] ?? [];
    console.log(
      `  ${label}: commit → game server sent p50 ${percentile(server, 50)} / p99 ${percentile(server, 99)} ms; ` +
        `sent → last client p50 ${percentile(fanOut, 50)} / p99 ${percentile(fanOut, 99)} ms`,
    );
  }
  console.log(
    `  patch size: p50 ${percentile(patchBytes, 50)} bytes, p99 ${percentile(patchBytes, 99)} bytes`,
  );
  console.log(
    `game server CPU per shot: ${cpuPerShotMs.toFixed(2)} ms (user + system, engine + web + socket.io), ${patchesPerShot.toFixed(2)} patches broadcast per shot`,
  );
  console.log(
    `  of which the main thread ${mainThreadMsPerShot.toFixed(2)} ms (the rest: V8's helper threads, compiling and collecting), and (timed during the launches) each patch's broadcast to the ${CLIENTS} sockets ${broadcastMsPerPatch.toFixed(2)} ms`,
  );
  console.log(
    `floor, a bare socket.io broadcast → all ${CLIENTS} clients: p50 ${percentile(floor, 50)} ms, p99 ${floorP99} ms (${floor.length} broadcasts); event p99 / floor p99 ${(eventP99 / floorP99).toFixed(2)}`,
  );
  console.log(
    `floor's game server CPU per bare broadcast: ${floorCpuMs.toFixed(2)} ms (${FLOOR_CPU_BROADCASTS} in a row); CPU per shot / floor ${(cpuPerShotMs / floorCpuMs).toFixed(2)}`,
  );
  console.log(
    `shot's floor, a bare POST, DELETE, informer event and broadcast: game server CPU ${shotFloorCpuMs.toFixed(2)} ms per shot (${FLOOR_SHOTS}, ${FLOOR_SHOT_BATCH} in a row); CPU per shot / floor ${(cpuPerShotMs / shotFloorCpuMs).toFixed(2)}`,
  );
  console.log(
    `auto fire, a shot every ${AUTO_INTERVAL_SECONDS * 1000} ms: game server CPU ${autoCpuPerShotMs.toFixed(2)} ms per shot (${autoShots} shots); its floor, bare shots from a timer at that pace: ${autoShotFloorCpuMs.toFixed(2)} ms per shot (${FLOOR_SHOTS}, ${FLOOR_SHOT_BATCH} in a row); CPU per shot / floor ${(autoCpuPerShotMs / autoShotFloorCpuMs).toFixed(2)}`,
  );
  console.log(`patch gaps seen by clients: ${gaps}`);

  clients.process.send({ type: 'stop' });
  server.process.send({ type: 'stop' });
  await Promise.all([clients.process, server.process].map((p) => new Promise((r) => p.once('exit', r))));
  stopWatch();
  await sandbox.stop();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      pods: PODS,
      clients: CLIENTS,
      eventToClientP50Ms: percentile(all, 50),
      eventToClientP99Ms: eventP99,
      deletionP99Ms: percentile(deletion, 99),
      runningP99Ms: percentile(startup, 99),
      serverCpuMsPerShot: Math.round(cpuPerShotMs * 100) / 100,
      eventFloorP99Ms: floorP99,
      eventRatio: Math.round((eventP99 / floorP99) * 100) / 100,
      floorCpuMsPerBroadcast: Math.round(floorCpuMs * 100) / 100,
      mainThreadCpuMsPerShot: Math.round(mainThreadMsPerShot * 100) / 100,
      broadcastCpuMsPerPatch: Math.round(broadcastMsPerPatch * 100) / 100,
      shotFloorCpuMs: Math.round(shotFloorCpuMs * 100) / 100,
      shotCpuRatio: Math.round((cpuPerShotMs / shotFloorCpuMs) * 100) / 100,
      autoFireCpuMsPerShot: Math.round(autoCpuPerShotMs * 100) / 100,
      autoShotFloorCpuMs: Math.round(autoShotFloorCpuMs * 100) / 100,
      autoShotCpuRatio: Math.round((autoCpuPerShotMs / autoShotFloorCpuMs) * 100) / 100,
    }),
  );
}

const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'orchestrator' },
    kubeconfig: { type: 'string' },
    'data-dir': { type: 'string' },
    url: { type: 'string' },
    count: { type: 'string' },
    ships: { type: 'string' },
  },
});
if (values.role === 'server') await runServer(values.kubeconfig as string, values['data-dir'] as string);
else if (values.role === 'clients')
  await runClients(values.url as string, Number(values.count), Number(values.ships));
else await orchestrate();
