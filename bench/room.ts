// Benchmark of a workshop room (issue 12): the platform as `kubewars start --room` composes it, in a child process;
// 100 attendees join over HTTP, one after another; each applies a 3-replica Deployment through its own kubeconfig
// over HTTPS as they reach the step (one every 100 ms) and keeps a watch open; at the instructor's cue all 100 scale
// their fleets to 5 in the same instant; 100 battle sockets follow the game; auto fire shoots 5 times a second for
// 60 s while every attendee lists its pods. Measures join p99, attendee API request p99 (the applies and lists),
// the instant burst of scales against its floor (the same requests from the same process to a server that answers
// at once), event→screen p99 (an attendee's watch sees a pod change → the last of the 100 sockets has it), the
// platform's peak RSS, and its CPU with 100 joined idle attendees and no fire. Prints figures, then one JSON line.
// One file, four roles: the orchestrator (default), `--role server` (the platform), `--role screens` (the battle
// sockets) and `--role attendees` (their kube clients), so no client process skews another's timings.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AppsV1Api, CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import type { V1Pod } from '@kubernetes/client-node';
import { shipId, shipStateOf } from '../server/game/state/ship.ts';
import { startPlatform } from '../server/platform.ts';
import { sandboxTls } from '../server/sandbox/api/tls.ts';
import { KeepAliveKubeConfig } from '../server/keep-alive-kube-config.ts';
import { forkRole, type Message, now, openScreens, percentile } from './support.ts';

const script = fileURLToPath(import.meta.url);

const ATTENDEES = 100;
/** Each fleet's replicas as first applied, and after the instructor's cue to scale. */
const FIRST_REPLICAS = 3;
const REPLICAS = 5;
/** Attendees reach the apply step one after another, this far apart: all 100 within 10 s. */
const APPLY_EVERY_MS = 100;
/** The instructor's cue to scale comes this long after the last apply. */
const CUE_AFTER_MS = 3_000;
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
// First, the same watches and applies against the floor server, which answers at once: what this one client process
// and its TLS handshakes cost on their own, so the platform's figures can be read against them.

interface AttendeeClient {
  name: string;
  kubeConfig: KubeConfig;
}

/** Each attendee's client: connections kept open, as kubectl keeps them. */
function clientFor(name: string, kubeconfig: string): AttendeeClient {
  const kubeConfig = new KeepAliveKubeConfig();
  kubeConfig.loadFromString(kubeconfig);
  return { name, kubeConfig };
}

/** Opens every attendee's pod watch, one after another; returns how to close them. */
async function openWatches(
  clients: AttendeeClient[],
  onEvent: (client: AttendeeClient, type: string, pod: V1Pod) => void,
): Promise<() => void> {
  const requests: { abort(): void }[] = [];
  for (const client of clients) {
    requests.push(
      await new Watch(client.kubeConfig).watch(
        '/api/v1/namespaces/default/pods',
        {},
        (type: string, pod: V1Pod) => onEvent(client, type, pod),
        () => undefined,
      ),
    );
  }
  return () => {
    for (const request of requests) request.abort();
  };
}

/** Attendee `name`'s fleet as applied: the replicas the first lesson asks for, scaled up later at the cue. */
const fleetOf = (name: string) => ({
  metadata: { name: `fleet-${name}` },
  spec: {
    replicas: FIRST_REPLICAS,
    selector: { matchLabels: { game: 'starwars' } },
    template: {
      metadata: { labels: { game: 'starwars' } },
      spec: { containers: [{ name: 'ship', image: 'nginx:1.27' }] },
    },
  },
});

async function timed(request: () => Promise<unknown>): Promise<number> {
  const started = now();
  await request();
  return now() - started;
}

/** Attendees apply their fleets as they reach the step, one every APPLY_EVERY_MS; each apply's milliseconds. */
async function applyFleets(clients: AttendeeClient[]): Promise<number[]> {
  const applies: Promise<number>[] = [];
  for (const { name, kubeConfig } of clients) {
    const apps = kubeConfig.makeApiClient(AppsV1Api);
    applies.push(timed(() => apps.createNamespacedDeployment({ namespace: 'default', body: fleetOf(name) })));
    await sleep(APPLY_EVERY_MS);
  }
  return Promise.all(applies);
}

/** At the instructor's cue, every attendee scales its fleet to REPLICAS in the same instant (`kubectl scale`). */
function scaleAtOnce(clients: AttendeeClient[]): Promise<number[]> {
  return Promise.all(
    clients.map(({ name, kubeConfig }) =>
      timed(() =>
        kubeConfig.makeApiClient(AppsV1Api).replaceNamespacedDeploymentScale({
          name: `fleet-${name}`,
          namespace: 'default',
          body: { metadata: { name: `fleet-${name}`, namespace: 'default' }, spec: { replicas: REPLICAS } },
        }),
      ),
    ),
  );
}

/** The floor's kubeconfig for attendee `name`: the floor server, its CA, a token of its own. */
function floorKubeconfig(server: string, ca: string, name: string): string {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'floor', server, caData: Buffer.from(ca).toString('base64') }],
    users: [{ name, token: `floor-${name}` }],
    contexts: [{ name, cluster: 'floor', user: name }],
    currentContext: name,
  });
  return kubeConfig.exportConfig();
}

async function runAttendees(): Promise<void> {
  const received = new Promise<{ attendees: JoinedAttendee[]; floor: { server: string; ca: string } }>(
    (resolve) => process.once('message', (message: Message) => resolve(message as never)),
  );
  process.send?.({ type: 'started' });
  const { attendees, floor } = await received;

  const floorClients = attendees.map(({ name }) =>
    clientFor(name, floorKubeconfig(floor.server, floor.ca, name)),
  );
  const closeFloorWatches = await openWatches(floorClients, () => undefined);
  const scaleFloorMs = await scaleAtOnce(floorClients);
  closeFloorWatches();

  const watchSeen = new Map<string, number>();
  const states = new Map<string, string>();
  const clients = attendees.map(({ name, kubeconfig }) => clientFor(name, kubeconfig));
  const closeWatches = await openWatches(clients, (client, type, pod) => {
    // The ship id the game gives this pod: keyed by the attendee's cluster.
    const uid = shipId(client.name, pod.metadata?.uid ?? '');
    const state = type === 'DELETED' ? 'destroyed' : shipStateOf(pod);
    if (states.get(uid) === state) return;
    states.set(uid, state);
    const key = state === 'flying' ? `run:${uid}` : state === 'destroyed' ? `del:${uid}` : undefined;
    if (key && !watchSeen.has(key)) watchSeen.set(key, now());
  });
  const applyMs = await applyFleets(clients);
  await sleep(CUE_AFTER_MS);
  const scaleMs = await scaleAtOnce(clients);
  const listMs: number[] = [];
  const cores = clients.map(({ kubeConfig }) => kubeConfig.makeApiClient(CoreV1Api));
  let listing: NodeJS.Timeout | undefined;
  process.on('message', (message: Message) => {
    if (message.type === 'list') {
      // Each attendee lists its pods every LIST_EVERY_MS, the attendees spread over the interval.
      let next = 0;
      listing = setInterval(
        () => {
          const core = cores[next++ % cores.length];
          if (!core) return;
          void timed(() => core.listNamespacedPod({ namespace: 'default' }))
            .then((ms) => listMs.push(ms))
            .catch(() => undefined);
        },
        Math.max(1, LIST_EVERY_MS / cores.length),
      );
    }
    if (message.type === 'results') {
      clearInterval(listing);
      process.send?.({ type: 'results', applyMs, scaleMs, scaleFloorMs, listMs, seen: [...watchSeen] });
    }
    if (message.type === 'stop') {
      closeWatches();
      process.exit(0);
    }
  });
  process.send?.({ type: 'applied' });
}

/**
 * The floor: an HTTPS server with a certificate like the platform's that answers a pod watch with an open stream
 * and any write with its own body, at once, with no Kubernetes behind it.
 */
async function startFloorServer(dir: string): Promise<{ server: Server; url: string; ca: string }> {
  const tls = await sandboxTls(join(dir, 'floor-tls'), [HOST]);
  const server = createServer({ key: tls.key, cert: tls.cert }, (request, response) => {
    if (request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.flushHeaders();
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      response
        .writeHead(request.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' })
        .end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  return { server, url: `https://${HOST}:${(server.address() as AddressInfo).port}`, ca: tls.ca };
}

// ---------------------------------------------------------------------------------------------------------------
// Orchestrator.

async function orchestrate(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kubewars-bench-room-'));
  const server = forkRole(script, ['--role', 'server', '--dir', dir]);
  const { url } = (await server.next('ready')) as unknown as { url: string };
  const usage = async () =>
    (await server.ask({ type: 'usage' })) as unknown as {
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
  const floor = await startFloorServer(dir);
  const kubeClients = forkRole(script, ['--role', 'attendees']);
  await kubeClients.next('started');
  const applied = kubeClients.next('applied', 300_000);
  kubeClients.process.send({ type: 'attendees', attendees, floor: { server: floor.url, ca: floor.ca } });
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
    applyMs: number[];
    scaleMs: number[];
    scaleFloorMs: number[];
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
  const { applyMs, scaleMs, scaleFloorMs, listMs } = attendeeResults;
  // An attendee's requests as a room makes them; the 100 scales sent in the same instant are measured apart.
  const apiMs = [...applyMs, ...listMs];
  const peak = await usage();

  console.log(
    `fire: ${state.shots.hit} hits, ${state.shots.missed} missed, ${state.shots.refused} refused in ${FIRE_SECONDS} s; platform CPU ${Math.round((fireCpuMs / (now() - fireStarted)) * 1000) / 10} % of one core`,
  );
  console.log(
    `attendee API: ${apiMs.length} requests, p50 ${percentile(apiMs, 50)} ms, p99 ${percentile(apiMs, 99)} ms; the ${applyMs.length} applies, one every ${APPLY_EVERY_MS} ms: p50 ${percentile(applyMs, 50)} ms, p99 ${percentile(applyMs, 99)} ms; the ${listMs.length} lists during the fire: p50 ${percentile(listMs, 50)} ms, p99 ${percentile(listMs, 99)} ms`,
  );
  console.log(
    `the ${scaleMs.length} scales sent in the same instant: p50 ${percentile(scaleMs, 50)} ms, p99 ${percentile(scaleMs, 99)} ms; the same from the same process to a server that answers at once (the floor): p50 ${percentile(scaleFloorMs, 50)} ms, p99 ${percentile(scaleFloorMs, 99)} ms`,
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
  floor.server.closeAllConnections();
  floor.server.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      attendees: ATTENDEES,
      joinP99Ms: percentile(joinMs, 99),
      apiP99Ms: percentile(apiMs, 99),
      applyP99Ms: percentile(applyMs, 99),
      scaleBurstP99Ms: percentile(scaleMs, 99),
      scaleBurstFloorP99Ms: percentile(scaleFloorMs, 99),
      scaleBurstRatio: Math.round((percentile(scaleMs, 99) / percentile(scaleFloorMs, 99)) * 100) / 100,
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
