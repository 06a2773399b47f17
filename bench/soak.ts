// Soak test of the platform under a workshop's load for N minutes (`npm run bench:soak -- --minutes N`, default 10):
// 200 battle sockets on /game, 1,000 game pods (100 Deployments of 10), auto fire at 5 shots a second with the
// controllers replacing every pod shot, and 20 attendees' "Check my work" a minute. The platform (sandbox, game
// engine, lessons, web server) runs in a child process, which measures its own RSS and event-loop delay; the load
// comes from this one. Prints figures, then one JSON line. Target: RSS growth ≤ 30 MB over 10 minutes, no errors,
// event-loop delay p99 ≤ 50 ms.
// One file, two roles: the load (default) and `--role server`.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { io, type Socket } from 'socket.io-client';
import { startGameEngine } from '../server/game/engine.ts';
import {
  GAME_EVENTS,
  type GamePatch,
  type GameSnapshot,
  type GameStateView,
} from '../server/game/protocol.ts';
import { createGameFeature } from '../server/game/web/feature.ts';
import { createLessonsFeature } from '../server/lessons/feature.ts';
import { projectRoot } from '../server/platform.ts';
import { startSandbox } from '../server/sandbox/index.ts';
import { startWebServer } from '../server/web/server.ts';
import { BATTLE_FLEETS, BATTLE_NAMESPACES, battleFleetMember, clientAddress } from './support.ts';

const SOCKETS = 200;
const REPLICAS = 10;
const SHOTS_PER_SECOND = 5;
const ATTENDEES = 20;
const CHECKS_PER_MINUTE = 20;
const CHECKED_LESSON = '03-kubectl-basics';
const TOKEN = 'soak-instructor-token';
const MB = 1024 * 1024;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------------------
// Role `server`: the platform as `kubewars start` composes it (without building the web pages).

async function runServer(dir: string): Promise<void> {
  const sandbox = await startSandbox({
    port: 0,
    kubeconfigOut: join(dir, 'kubeconfig'),
    speed: 'fast',
    // 110 pods per node, as a real kubelet, with room for replacements.
    nodes: 12,
  });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(sandbox.kubeconfigPath);
  for (const name of BATTLE_NAMESPACES) {
    sandbox.client.create({ group: '', resource: 'namespaces' }, undefined, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    });
  }
  for (let d = 0; d < BATTLE_FLEETS; d++) {
    const { namespace, labels } = battleFleetMember(d);
    sandbox.client.create({ group: 'apps', resource: 'deployments' }, namespace, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `fleet-${d}` },
      spec: {
        replicas: REPLICAS,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'ship', image: 'nginx:1.27' }] },
        },
      },
    });
  }
  const engine = await startGameEngine({ kubeConfig, dataDir: dir });
  const web = await startWebServer({
    host: '127.0.0.1',
    port: 0,
    staticDir: dir,
    features: [
      createGameFeature({ engine, instructorToken: TOKEN }),
      createLessonsFeature({
        projectRoot,
        kubeConfig,
        dataDir: dir,
        defaultNamespace: 'default',
        instructorToken: TOKEN,
      }),
    ],
  });
  while (engine.state().ships.flying < BATTLE_FLEETS * REPLICAS) await sleep(200);

  const delay = monitorEventLoopDelay({ resolution: 10 });
  /** The heap still in use after a full collection: RSS alone moves with the collector's sizing, not only leaks. */
  const liveHeap = () => {
    (globalThis as { gc?: () => void }).gc?.();
    return process.memoryUsage().heapUsed;
  };
  let rssStart = 0;
  let heapStart = 0;
  process.on('message', (message: { type: string }) => {
    if (message.type === 'start') {
      heapStart = liveHeap();
      rssStart = process.memoryUsage().rss;
      delay.reset();
      delay.enable();
      process.send?.({ type: 'started' });
    } else if (message.type === 'end') {
      delay.disable();
      const rssEnd = process.memoryUsage().rss;
      process.send?.({
        type: 'ended',
        rssStart,
        rssEnd,
        heapStart,
        heapEnd: liveHeap(),
        loopDelayP99Ms: delay.percentile(99) / 1e6,
        loopDelayMaxMs: delay.max / 1e6,
      });
    } else if (message.type === 'stop') {
      void web
        .close()
        .then(() => engine.close())
        .then(() => sandbox.stop())
        .then(() => process.exit(0));
    }
  });
  process.send?.({ type: 'ready', url: web.url });
}

// ---------------------------------------------------------------------------------------------------------------
// The load, from this process.

type Message = { type: string; [key: string]: unknown };

function startServer(dir: string) {
  const child = fork(fileURLToPath(import.meta.url), ['--role', 'server', '--dir', dir], {
    env: { ...process.env, KUBEWARS_LOG_LEVEL: 'error' },
    execArgv: [...process.execArgv, '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (type: string, timeoutMs = 300_000) =>
    new Promise<Message>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the platform sent no "${type}"`)), timeoutMs);
      const listener = (message: Message) => {
        if (message.type !== type) return;
        clearTimeout(timer);
        child.off('message', listener);
        resolve(message);
      };
      child.on('message', listener);
    });
  return { child, next };
}

/** One HTTP call from a given loopback address (an attendee's machine), answering its status and body. */
function call(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  localAddress = '127.0.0.1',
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      `${url}${path}`,
      {
        method,
        localAddress,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          ...(text === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

interface Errors {
  count: number;
  samples: string[];
}

function recordError(errors: Errors, what: string): void {
  errors.count++;
  if (errors.samples.length < 10) errors.samples.push(what);
}

/** SOCKETS battle screens: snapshot, then patches in order; a gap asks for a resync, as the browser does. */
async function openBattleSockets(url: string, errors: Errors) {
  const sockets: Socket[] = [];
  let gaps = 0;
  let patches = 0;
  let closing = false;
  await Promise.all(
    Array.from({ length: SOCKETS }, (_, i) => {
      const socket = io(`${url}/game`, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        localAddress: clientAddress(i),
      } as Parameters<typeof io>[1]);
      sockets.push(socket);
      let seq: number | null = null;
      socket.on(GAME_EVENTS.patch, (patch: GamePatch) => {
        patches++;
        if (seq !== null && patch.seq !== seq + 1) {
          gaps++;
          socket.emit(GAME_EVENTS.resync);
        }
        seq = patch.seq;
      });
      socket.on('disconnect', (reason) => {
        if (!closing) recordError(errors, `socket ${i} disconnected: ${reason}`);
      });
      return new Promise<void>((resolve) => {
        socket.once(GAME_EVENTS.snapshot, (snapshot: GameSnapshot) => {
          seq = snapshot.seq;
          socket.on(GAME_EVENTS.snapshot, (again: GameSnapshot) => (seq = again.seq));
          resolve();
        });
        socket.once('connect_error', (error) => {
          recordError(errors, `socket ${i} refused: ${error.message}`);
          resolve();
        });
      });
    }),
  );
  return {
    stats: () => ({ gaps, patches }),
    close: () => {
      closing = true;
      for (const socket of sockets) socket.close();
    },
  };
}

async function soak(minutes: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kubewars-soak-'));
  const server = startServer(dir);
  const errors: Errors = { count: 0, samples: [] };
  server.child.on('exit', (code) => {
    if (code !== 0) recordError(errors, `the platform exited with ${code}`);
  });
  try {
    const { url } = (await server.next('ready')) as unknown as { url: string };
    console.log(`platform up at ${url} with ${BATTLE_FLEETS * REPLICAS} game pods flying`);
    const battle = await openBattleSockets(url, errors);
    console.log(`${SOCKETS} battle sockets connected from 10 addresses`);

    const instructor = async (method: string, path: string, body?: unknown) => {
      const reply = await call(url, method, path, body);
      if (reply.status >= 400) throw new Error(`${method} ${path}: ${reply.status} ${reply.text}`);
      return JSON.parse(reply.text) as unknown;
    };
    await instructor('PUT', '/api/chaos', {
      auto: true,
      intervalSeconds: 1 / SHOTS_PER_SECOND,
      jitter: 0,
      budgetPerMinute: SHOTS_PER_SECOND * 60 * 2,
    });
    await instructor('POST', '/api/rounds', { durationSeconds: minutes * 60 + 300 });
    const state = () => instructor('GET', '/api/state') as Promise<GameStateView>;
    while ((await state()).round?.status !== 'running') await sleep(200);
    // Warm-up: the first shots, replacements and checks settle before the measured window.
    await sleep(10_000);

    server.child.send({ type: 'start' });
    await server.next('started');
    const shotsBefore = (await state()).shots;
    const started = Date.now();
    const end = started + minutes * 60_000;
    let checks = 0;
    let lastReport = started;
    // Checks on a fixed schedule (one every 3 s), whatever each one takes.
    for (let i = 0; started + (i * 60_000) / CHECKS_PER_MINUTE < end; i++) {
      await sleep(Math.max(0, started + (i * 60_000) / CHECKS_PER_MINUTE - Date.now()));
      const attendee = i % ATTENDEES;
      try {
        const reply = await call(
          url,
          'POST',
          `/api/lessons/${CHECKED_LESSON}/check`,
          { player: `pilot-${String(attendee).padStart(2, '0')}`, namespace: 'default' },
          `127.0.1.${attendee + 1}`,
        );
        if (reply.status >= 400) recordError(errors, `check: ${reply.status} ${reply.text.slice(0, 200)}`);
        checks++;
      } catch (error) {
        recordError(errors, `check: ${(error as Error).message}`);
      }
      if (Date.now() - lastReport >= 60_000) {
        lastReport = Date.now();
        const { shots, ships } = await state();
        console.log(
          `${Math.round((lastReport - started) / 60_000)} min: ${shots.hit} hits, ${ships.flying} flying, ${checks} checks, ${errors.count} errors`,
        );
      }
    }
    await sleep(Math.max(0, end - Date.now()));
    const shotsAfter = (await state()).shots;
    server.child.send({ type: 'end' });
    const ended = (await server.next('ended')) as unknown as {
      rssStart: number;
      rssEnd: number;
      heapStart: number;
      heapEnd: number;
      loopDelayP99Ms: number;
      loopDelayMaxMs: number;
    };
    const seconds = (Date.now() - started) / 1000;
    const hits = shotsAfter.hit - shotsBefore.hit;
    const fired = hits + shotsAfter.missed - shotsBefore.missed + shotsAfter.refused - shotsBefore.refused;
    const { gaps, patches } = battle.stats();
    battle.close();
    const round = (value: number) => Math.round(value * 10) / 10;
    console.log(
      [
        `${round(fired / seconds)} shots/s fired (${hits} hits), ${checks} attendee checks, ${patches} patches received, ${gaps} gaps resynced`,
        `RSS ${round(ended.rssStart / MB)} MB → ${round(ended.rssEnd / MB)} MB (${round((ended.rssEnd - ended.rssStart) / MB)} MB); live heap ${round(ended.heapStart / MB)} MB → ${round(ended.heapEnd / MB)} MB`,
        `event-loop delay p99 ${round(ended.loopDelayP99Ms)} ms, max ${round(ended.loopDelayMaxMs)} ms`,
        `${errors.count} errors${errors.samples.length ? `: ${errors.samples.join('; ')}` : ''}`,
      ].join('\n'),
    );
    console.log(
      JSON.stringify({
        sockets: SOCKETS,
        minutes,
        rssStartMB: round(ended.rssStart / MB),
        rssEndMB: round(ended.rssEnd / MB),
        loopDelayP99Ms: round(ended.loopDelayP99Ms),
        errors: errors.count,
        heapStartMB: round(ended.heapStart / MB),
        heapEndMB: round(ended.heapEnd / MB),
      }),
    );
  } finally {
    if (server.child.exitCode === null) {
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      server.child.send({ type: 'stop' });
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    dir: { type: 'string' },
    minutes: { type: 'string', default: '10' },
  },
});
if (values.role === 'server') {
  await runServer(values.dir ?? mkdtempSync(join(tmpdir(), 'kubewars-soak-')));
} else {
  const minutes = Number(values.minutes);
  if (!(minutes > 0)) throw new Error('--minutes is a number of minutes above 0, e.g. --minutes 10');
  await soak(minutes);
}
