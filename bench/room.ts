// Benchmark of a workshop room (issue 12): the platform as `kubewars start --room` composes it, in a child process;
// 100 attendees join over HTTP, each applies a 5-replica Deployment through its own kubeconfig over HTTPS and keeps
// a watch open; 100 battle sockets follow the game; auto fire shoots 5 times a second for 60 s. Measures join p99,
// attendee API request p99, event→screen p99 (an attendee's watch sees a pod change → the last of the 100 sockets
// has it), the platform's peak RSS, and its CPU with 100 joined idle attendees and no fire. Prints figures, then
// one JSON line.
// One file, four roles: the orchestrator (default), `--role server` (the platform), `--role screens` (the battle
// sockets) and `--role attendees` (their kube clients), so no client process skews another's timings.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AppsV1Api, CoreV1Api, Watch } from '@kubernetes/client-node';
import type { V1Pod } from '@kubernetes/client-node';
import { shipId, shipStateOf } from '../server/game/state/ship.ts';
import { startPlatform } from '../server/platform.ts';
import { KeepAliveKubeConfig } from '../server/keep-alive-kube-config.ts';
import { forkRole, type Message, now, openScreens, percentile } from './support.ts';

const script = fileURLToPath(import.meta.url);

const ATTENDEES = 100;
const REPLICAS = 5;
const SOCKETS = 100;
const FIRE_SECONDS = 60;
const SHOTS_PER_SECOND = 5;
const IDLE_SECONDS = 20;
/** Each attendee lists its pods this often while the fire lasts: the attendee API requests measured. */
const LIST_EVERY_MS = 2_000;
const TOKEN = 'bench-room-instructor-token';
const HOST = '127.0.0.1';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface JoinedAttendee {
  name: string;
  kubeconfig: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Role `server`: the platform in a room, as `kubewars start --room --speed fast` runs it.

async function runServer(dir: string): Promise<void> {
  const platform = await startPlatform({
    host: HOST,
    port: 0,
    cluster: 'sandbox',
    sandboxKubeconfigOut: join(dir, 'sandbox.kubeconfig'),
    sandboxPort: 0,
    sandboxSpeed: 'fast',
    dataDir: join(dir, 'data'),
    instructorToken: TOKEN,
    room: {
      publicAddress: HOST,
      attendeePodLimit: 50,
      maxAttendees: 200,
      // One address joins for the whole room here.
      joinsPerMinute: 10_000,
      tls: false,
    },
  });
  let peakRss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 500);
  process.on('message', (message: Message) => {
    if (message.type === 'usage') {
      process.send?.({ type: 'usage', cpu: process.cpuUsage(), rss: process.memoryUsage().rss, peakRss });
    }
    if (message.type === 'stop') {
      clearInterval(rssTimer);
      void platform.stop().then(() => process.exit(0));
    }
  });
  process.send?.({ type: 'ready', url: platform.url });
}

// ---------------------------------------------------------------------------------------------------------------
// Role `screens`: 100 battle screens on the /game feed. Reports when each ship change reached the last of them.

async function runScreens(url: string, ships: number): Promise<void> {
  const screenSeen = new Map<string, number>();
  const flyingOn = new Array<number>(SOCKETS).fill(0);
  const screens = openScreens(url, SOCKETS, {
    arrived: (key) => screenSeen.set(key, now()),
    updated: (index, flying) => {
      flyingOn[index] = flying.size;
    },
  });
  const readyCheck = setInterval(() => {
    if (Math.min(...flyingOn) < ships) return;
    clearInterval(readyCheck);
    process.send?.({ type: 'ready' });
  }, 200);
  process.on('message', (message: Message) => {
    if (message.type === 'results') {
      process.send?.({ type: 'results', seen: [...screenSeen], gaps: screens.gaps() });
    }
    if (message.type === 'stop') {
      for (const socket of screens.sockets) socket.close();
      process.exit(0);
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Role `attendees`: each attendee's kubectl-like client over HTTPS with their own kubeconfig: a fleet, a watch,
// and a list of their pods every LIST_EVERY_MS while the fire lasts. Reports when a pod change reached each watch.

async function runAttendees(): Promise<void> {
  const received = new Promise<JoinedAttendee[]>((resolve) =>
    process.once('message', (message: Message) => resolve(message['attendees'] as JoinedAttendee[])),
  );
  process.send?.({ type: 'started' });
  const attendees = await received;
  const watchSeen = new Map<string, number>();
  // Every request, and apart: the 100 applies sent at once, and the lists spread over the fire.
  const apiMs: number[] = [];
  const applyMs: number[] = [];
  const listMs: number[] = [];
  const timed = async <T>(kind: number[], request: () => Promise<T>): Promise<T> => {
    const started = now();
    const result = await request();
    apiMs.push(now() - started);
    kind.push(now() - started);
    return result;
  };
  const clients = attendees.map((attendee) => {
    // Connections kept open, as kubectl keeps them.
    const kubeConfig = new KeepAliveKubeConfig();
    kubeConfig.loadFromString(attendee.kubeconfig);
    return { attendee, kubeConfig, core: kubeConfig.makeApiClient(CoreV1Api) };
  });
  const aborts: (() => void)[] = [];
  for (const { attendee, kubeConfig } of clients) {
    const states = new Map<string, string>();
    const request = await new Watch(kubeConfig).watch(
      '/api/v1/namespaces/default/pods',
      {},
      (type: string, pod: V1Pod) => {
        // The ship id the game gives this pod: keyed by the attendee's cluster.
        const uid = shipId(attendee.name, pod.metadata?.uid ?? '');
        const state = type === 'DELETED' ? 'destroyed' : shipStateOf(pod);
        if (states.get(uid) === state) return;
        states.set(uid, state);
        const key = state === 'flying' ? `run:${uid}` : state === 'destroyed' ? `del:${uid}` : undefined;
        if (key && !watchSeen.has(key)) watchSeen.set(key, now());
      },
      () => undefined,
    );
    aborts.push(() => request.abort());
  }
  await Promise.all(
    clients.map(({ attendee, kubeConfig }) =>
      timed(applyMs, () =>
        kubeConfig.makeApiClient(AppsV1Api).createNamespacedDeployment({
          namespace: 'default',
          body: {
            metadata: { name: `fleet-${attendee.name}` },
            spec: {
              replicas: REPLICAS,
              selector: { matchLabels: { game: 'starwars' } },
              template: {
                metadata: { labels: { game: 'starwars' } },
                spec: { containers: [{ name: 'ship', image: 'nginx:1.27' }] },
              },
            },
          },
        }),
      ),
    ),
  );
  let listing: NodeJS.Timeout | undefined;
  process.on('message', (message: Message) => {
    if (message.type === 'list') {
      // Each attendee lists its pods every LIST_EVERY_MS, the attendees spread over the interval.
      let next = 0;
      listing = setInterval(
        () => {
          const client = clients[next++ % clients.length];
          if (client)
            void timed(listMs, () => client.core.listNamespacedPod({ namespace: 'default' })).catch(
              () => undefined,
            );
        },
        Math.max(1, LIST_EVERY_MS / clients.length),
      );
    }
    if (message.type === 'results') {
      clearInterval(listing);
      process.send?.({ type: 'results', apiMs, applyMs, listMs, seen: [...watchSeen] });
    }
    if (message.type === 'stop') {
      for (const abort of aborts) abort();
      process.exit(0);
    }
  });
  process.send?.({ type: 'applied' });
}

// ---------------------------------------------------------------------------------------------------------------
// Orchestrator.

async function orchestrate(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kubewars-bench-room-'));
  const server = forkRole(script, ['--role', 'server', '--dir', dir]);
  const { url } = (await server.next('ready')) as unknown as { url: string };
  const usage = async () =>
    (await (server.process.send({ type: 'usage' }), server.next('usage'))) as unknown as {
      cpu: NodeJS.CpuUsage;
      rss: number;
      peakRss: number;
    };
  const instructor = (method: string, path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  // Joins, one after another as attendees arrive: each answers with a cluster ready for kubectl.
  const joinMs: number[] = [];
  const attendees: JoinedAttendee[] = [];
  for (let i = 0; i < ATTENDEES; i++) {
    const started = now();
    const response = await fetch(`${url}/api/attendees`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `pilot-${i}` }),
    });
    if (response.status !== 201) throw new Error(`join ${i}: ${response.status} ${await response.text()}`);
    attendees.push((await response.json()) as JoinedAttendee);
    joinMs.push(now() - started);
  }
  const joined = await usage();
  console.log(
    `${ATTENDEES} attendees joined: join p50 ${percentile(joinMs, 50)} ms, p99 ${percentile(joinMs, 99)} ms`,
  );

  // Idle: 100 attendee clusters, nothing applied, no fire.
  await sleep(5_000);
  const idleFrom = await usage();
  const idleStarted = now();
  await sleep(IDLE_SECONDS * 1000);
  const idleTo = await usage();
  const idleCpuMs = (idleTo.cpu.user + idleTo.cpu.system - idleFrom.cpu.user - idleFrom.cpu.system) / 1000;
  const idleCpuPct = Math.round((idleCpuMs / (now() - idleStarted)) * 1000) / 10;
  const idleRssMB = Math.round(idleTo.rss / 2 ** 20);
  console.log(
    `idle: CPU ${idleCpuPct} % of one core, RSS ${idleRssMB} MB (${Math.round(joined.rss / 2 ** 20)} MB right after the joins)`,
  );

  // Battle screens, then fleets and watches.
  const screens = forkRole(script, [
    '--role',
    'screens',
    '--url',
    url,
    '--ships',
    String(ATTENDEES * REPLICAS),
  ]);
  const screensReady = screens.next('ready', 300_000);
  const kubeClients = forkRole(script, ['--role', 'attendees']);
  await kubeClients.next('started');
  const applied = kubeClients.next('applied', 300_000);
  kubeClients.process.send({ type: 'attendees', attendees });
  const fleetsStarted = now();
  await Promise.all([applied, screensReady]);
  console.log(
    `${ATTENDEES * REPLICAS} ships flying on ${SOCKETS} battle sockets after ${Math.round((now() - fleetsStarted) / 100) / 10} s`,
  );

  // Auto fire, 5 shots a second, while every attendee keeps listing its pods.
  await instructor('PUT', '/api/chaos', {
    auto: true,
    intervalSeconds: 1 / SHOTS_PER_SECOND,
    jitter: 0,
    budgetPerMinute: SHOTS_PER_SECOND * 60 * 2,
  });
  const round = await instructor('POST', '/api/rounds', { durationSeconds: FIRE_SECONDS + 30 });
  if (round.status !== 201) throw new Error(`round: ${round.status} ${await round.text()}`);
  kubeClients.process.send({ type: 'list' });
  const fireFrom = await usage();
  const fireStarted = now();
  await sleep(FIRE_SECONDS * 1000);
  await instructor('PUT', '/api/chaos', { auto: false });
  const fireTo = await usage();
  const fireCpuMs = (fireTo.cpu.user + fireTo.cpu.system - fireFrom.cpu.user - fireFrom.cpu.system) / 1000;
  const state = (await (await fetch(`${url}/api/state`)).json()) as {
    shots: { hit: number; refused: number; missed: number };
  };
  await sleep(2_000);
  // Both answers are asked for before either is requested: one may arrive while the other is awaited.
  const answers = [kubeClients.next('results'), screens.next('results')] as const;
  kubeClients.process.send({ type: 'results' });
  screens.process.send({ type: 'results' });
  const attendeeResults = (await answers[0]) as unknown as {
    apiMs: number[];
    applyMs: number[];
    listMs: number[];
    seen: [string, number][];
  };
  const screenResults = (await answers[1]) as unknown as { seen: [string, number][]; gaps: number };
  const watchSeen = new Map(attendeeResults.seen);
  // A pod change seen by its attendee's watch → the moment the last of the 100 screens had it.
  const eventMs = screenResults.seen.flatMap(([key, screen]) => {
    const seen = watchSeen.get(key);
    return seen === undefined ? [] : [Math.max(0, screen - seen)];
  });
  const apiMs = attendeeResults.apiMs;
  const peak = await usage();

  console.log(
    `fire: ${state.shots.hit} hits, ${state.shots.missed} missed, ${state.shots.refused} refused in ${FIRE_SECONDS} s; platform CPU ${Math.round((fireCpuMs / (now() - fireStarted)) * 1000) / 10} % of one core`,
  );
  const { applyMs, listMs } = attendeeResults;
  console.log(
    `attendee API: ${apiMs.length} requests, p50 ${percentile(apiMs, 50)} ms, p99 ${percentile(apiMs, 99)} ms; the ${applyMs.length} applies sent at once: p50 ${percentile(applyMs, 50)} ms, p99 ${percentile(applyMs, 99)} ms; the ${listMs.length} lists during the fire: p50 ${percentile(listMs, 50)} ms, p99 ${percentile(listMs, 99)} ms`,
  );
  console.log(
    `event→screen: ${eventMs.length} pod changes, p50 ${percentile(eventMs, 50)} ms, p99 ${percentile(eventMs, 99)} ms; ${screenResults.gaps} gaps`,
  );
  console.log(`peak RSS ${Math.round(peak.peakRss / 2 ** 20)} MB`);

  kubeClients.process.send({ type: 'stop' });
  screens.process.send({ type: 'stop' });
  server.process.send({ type: 'stop' });
  await Promise.all([
    new Promise((resolve) => kubeClients.process.once('exit', resolve)),
    new Promise((resolve) => screens.process.once('exit', resolve)),
    new Promise((resolve) => server.process.once('exit', resolve)),
  ]);
  rmSync(dir, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      attendees: ATTENDEES,
      joinP99Ms: percentile(joinMs, 99),
      apiP99Ms: percentile(apiMs, 99),
      applyP99Ms: percentile(applyMs, 99),
      listP99Ms: percentile(listMs, 99),
      eventToClientP99Ms: percentile(eventMs, 99),
      rssMB: Math.round(peak.peakRss / 2 ** 20),
      idleCpuPct,
    }),
  );
}

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    dir: { type: 'string' },
    url: { type: 'string' },
    ships: { type: 'string' },
  },
});
if (values.role === 'server') await runServer(values.dir as string);
else if (values.role === 'screens') await runScreens(values.url as string, Number(values.ships));
else if (values.role === 'attendees') await runAttendees();
else await orchestrate();
