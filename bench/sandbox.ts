// Benchmark of the sandbox's API machinery over its real HTTP API: 5,000 pods in 100 namespaces, then single-object
// GET and DELETE, cluster-wide LIST as JSON and as Table, and how long 100 watchers take to see one change (from its
// create request, and from the store's commit: watchFanoutFromCommitP99Ms).
// The one worker is cordoned, so the pods stay Pending and nothing but the benchmark and the scheduler write.
// Prints figures, then one JSON line.
// One file, two roles: the benchmark (default) and `--role watchers`, the fan-out's 100 watchers in a process of
// their own, as a cluster's watchers are (kubectl, controllers, the game): in the sandbox's process, reading every
// event 100 times would be timed as the sandbox's fan-out.
import { createServer, type IncomingMessage, request as plainRequest, type ServerResponse } from 'node:http';
import { Agent, createServer as createTlsServer, globalAgent, request } from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { toTable } from '../server/sandbox/api/tables/index.ts';
import { type RunningSandbox, startSandbox } from '../server/sandbox/index.ts';
import { type SandboxTls, sandboxTls } from '../server/sandbox/api/tls.ts';
import type { ClusterClient, KubeObject } from '../server/sandbox/types.ts';
import { forkRole, type Message, now, percentile as percentileOf, type RoleProcess } from './support.ts';

const NAMESPACES = 100;
const PODS = 5_000;
const WATCHERS = 100;
/** The pod whose create the fan-out's floor replays to its streams. */
const FLOOR_POD = 'fanout-floor';
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const script = fileURLToPath(import.meta.url);

const PODS_REF = { group: '', resource: 'pods' };
const NAMESPACES_REF = { group: '', resource: 'namespaces' };
const NODES_REF = { group: '', resource: 'nodes' };

function pod(namespace: string, index: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `ship-${index}`,
      namespace,
      labels: { game: 'starwars', player: namespace, app: `fleet-${index % 10}` },
    },
    spec: { containers: [{ name: 'ship', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
  };
}

/** Sub-millisecond figures: percentiles to 2 decimals. */
const percentile = (samples: number[], p: number) => percentileOf(samples, p, 2);

interface Http {
  /**
   * Reads the whole body and counts its bytes: joining or decoding a 6 MB list is the client's work, not the
   * server's, and would be timed with it (one process).
   */
  call(method: string, path: string, accept?: string): Promise<{ status: number; bytes: number }>;
  /** A small JSON body, parsed. */
  read(path: string): Promise<unknown>;
}

function http(url: string, token: string, ca: string): Http {
  const agent = new Agent({ keepAlive: true, maxSockets: 16, ca });
  const send = (method: string, path: string, accept: string, onChunk: (chunk: Buffer) => void) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        `${url}${path}`,
        { method, agent, headers: { Authorization: `Bearer ${token}`, Accept: accept } },
        (res) => {
          res.on('data', onChunk);
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
  return {
    async call(method, path, accept = 'application/json') {
      let bytes = 0;
      const status = await send(method, path, accept, (chunk) => (bytes += chunk.length));
      return { status, bytes };
    },
    async read(path) {
      const chunks: Buffer[] = [];
      const status = await send('GET', path, 'application/json', (chunk) => chunks.push(chunk));
      if (status !== 200) throw new Error(`GET ${path}: HTTP ${status}`);
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    },
  };
}

async function timed(
  label: string,
  runs: number,
  run: (i: number) => Promise<{ status: number }>,
): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const { status } = await run(i);
    samples.push(performance.now() - start);
    if (status >= 300) throw new Error(`${label}: HTTP ${status}`);
  }
  console.log(
    `${label}: p50 ${percentile(samples, 50)} ms, p99 ${percentile(samples, 99)} ms (${runs} runs)`,
  );
  return samples;
}

interface WatchTarget {
  url: string;
  token: string;
  path: string;
  /** The CA to trust: the floor's and the sandbox's have the same name, so one agent cannot trust both. */
  ca: string | undefined;
}

/** A watch over HTTP that hands each newline-delimited event line to `onLine` as it arrives. */
function openWatcher(target: WatchTarget, agent: Agent | undefined, onLine: (line: string) => void) {
  const { url, token, path } = target;
  const send = url.startsWith('https:') ? request : plainRequest;
  return new Promise<() => void>((resolve, reject) => {
    const req = send(`${url}${path}`, { headers: { Authorization: `Bearer ${token}` }, agent }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`watch: HTTP ${res.statusCode}`));
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let newline = buffered.indexOf('\n');
        while (newline >= 0) {
          onLine(buffered.slice(0, newline));
          buffered = buffered.slice(newline + 1);
          newline = buffered.indexOf('\n');
        }
      });
      res.on('error', () => {});
      resolve(() => req.destroy());
    });
    // Before the response, a watch that cannot connect fails the run; after it, rejecting changes nothing.
    req.on('error', reject);
    req.end();
  });
}

/** A fan-out round ends once no watch has received anything for this long. */
const QUIET_MS = 10;
/**
 * Fan-out rounds timed, for the sandbox and for each floor: one round's 100 arrivals are 1 % of the samples, so a
 * single round held up (by a GC pause, say) weighs in p99 as often as it happens, not as the p99 itself.
 */
const FANOUT_ROUNDS = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The watchers' role. Messages: `open` (a WatchTarget) opens WATCHERS watches of it, then `opened`; `await` (a
 * `name`) has them look for the first event naming it, then `awaiting`; once each has seen it and the watches have
 * fallen quiet (what follows a change, such as the scheduler's status of a new pod, is not the next change's),
 * `arrived` with each watcher's arrival time (`now()`, comparable across processes); `close` closes the watches,
 * then `closed`.
 */
async function runWatchers(): Promise<void> {
  let closers: (() => void)[] = [];
  let awaited = '';
  let arrivals: number[] = [];
  let lastLineAt = 0;
  // Which watchers have seen this round's change: only the first event naming it counts (a later MODIFIED of the
  // same object, such as the scheduler's, is not how long the change took to arrive).
  const sawRound = new Array<boolean>(WATCHERS).fill(false);
  const reportWhenQuiet = async () => {
    while (now() - lastLineAt < QUIET_MS) await sleep(QUIET_MS);
    process.send?.({ type: 'arrived', arrivals });
  };
  const onLine = (w: number, line: string) => {
    lastLineAt = now();
    if (!awaited || sawRound[w] || !line.includes(`"${awaited}"`)) return;
    sawRound[w] = true;
    arrivals.push(lastLineAt);
    if (arrivals.length === WATCHERS) void reportWhenQuiet();
  };
  process.on('message', async (message: Message) => {
    if (message.type === 'open') {
      const target = message as unknown as WatchTarget;
      const agent = target.ca ? new Agent({ ca: target.ca }) : undefined;
      for (let w = 0; w < WATCHERS; w++)
        closers.push(await openWatcher(target, agent, (line) => onLine(w, line)));
      process.send?.({ type: 'opened' });
    } else if (message.type === 'await') {
      awaited = message['name'] as string;
      arrivals = [];
      sawRound.fill(false);
      process.send?.({ type: 'awaiting' });
    } else if (message.type === 'close') {
      for (const close of closers) close();
      closers = [];
      awaited = '';
      process.send?.({ type: 'closed' });
    } else if (message.type === 'stop') {
      process.exit(0);
    }
  });
  process.send?.({ type: 'ready' });
}

/**
 * Has the watchers' process open its watches of `target`, then, `rounds` times, has `change(name)` make a change
 * that names `name` and times how long each watcher takes to see it. A first round, not timed, warms the path up (as
 * the GETs and LISTs are warmed up before they are timed).
 */
async function timeFanout(
  label: string,
  watchers: RoleProcess,
  target: WatchTarget,
  rounds: number,
  change: (name: string) => Promise<void>,
  committedAt?: (name: string) => number | undefined,
): Promise<{ samples: number[]; fromCommit: number[] }> {
  const samples: number[] = [];
  const fromCommit: number[] = [];
  await watchers.ask({ type: 'open', ...target }, 'opened');
  for (let round = -1; round < rounds; round++) {
    const name = round >= 0 ? `fanout-${round}` : 'fanout-warm-up';
    await watchers.ask({ type: 'await', name }, 'awaiting');
    const arrived = watchers.next('arrived');
    const started = now();
    await change(name);
    const { arrivals } = (await arrived) as unknown as { arrivals: number[] };
    if (round < 0) continue;
    const committed = committedAt?.(name);
    for (const at of arrivals) {
      samples.push(at - started);
      if (committed !== undefined) fromCommit.push(at - committed);
    }
  }
  await watchers.ask({ type: 'close' }, 'closed');
  console.log(
    `${label} (${WATCHERS} watchers × ${rounds} changes, ${samples.length} arrivals): p50 ${percentile(samples, 50)} ms, p99 ${percentile(samples, 99)} ms`,
  );
  if (fromCommit.length > 0) {
    console.log(
      `  the same arrivals from the store's commit (the create's request and handling left out): p50 ${percentile(fromCommit, 50)} ms, p99 ${percentile(fromCommit, 99)} ms`,
    );
  }
  return { samples, fromCommit };
}

/** A watch of ns-0's pods from now on: what happens after this call, and nothing before it. */
async function podWatchFromNow(sandbox: RunningSandbox, api: Http): Promise<WatchTarget> {
  const list = (await api.read('/api/v1/namespaces/ns-0/pods?limit=1')) as {
    metadata: { resourceVersion: string };
  };
  const path = `/api/v1/namespaces/ns-0/pods?watch=true&resourceVersion=${list.metadata.resourceVersion}`;
  return { url: sandbox.url, token: sandbox.token, path, ca: sandbox.caCert };
}

/**
 * The sandbox's fan-out, timed from the moment the create request is sent, and also from the moment the store tells
 * its watchers of the new pod (an in-process watch, told in the microtask after the create's write and its response,
 * before any HTTP watch is written to): the floor has no request to handle, so this is the part to set beside it.
 */
async function watchFanout(sandbox: RunningSandbox, api: Http, watchers: RoleProcess, rounds: number) {
  const target = await podWatchFromNow(sandbox, api);
  const commits = new Map<string, number>();
  const stopWatch = sandbox.client.watch(PODS_REF, { namespace: 'ns-0' }, (event) => {
    const name = event.object.metadata.name ?? '';
    if (event.type === 'ADDED' && name.startsWith('fanout-')) commits.set(name, now());
  });
  try {
    return await timeFanout(
      'watch fan-out',
      watchers,
      target,
      rounds,
      async (name) => {
        const { status } = await postPod(sandbox.url, sandbox.token, 'ns-0', name);
        if (status !== 201) throw new Error(`watch fan-out create: HTTP ${status}`);
      },
      (name) => commits.get(name),
    );
  } finally {
    stopWatch();
  }
}

/**
 * What a watcher of the sandbox receives for one create of pod `name`: every event line naming it until the watch
 * falls quiet (its ADDED, and the scheduler's status update that goes out in the same write). The pod is deleted
 * after, so the sandbox holds PODS pods again.
 */
async function receivedForOneCreate(sandbox: RunningSandbox, api: Http, name: string): Promise<string> {
  const lines: string[] = [];
  let lastLineAt = performance.now();
  const close = await openWatcher(await podWatchFromNow(sandbox, api), undefined, (line) => {
    lastLineAt = performance.now();
    if (line.includes(`"${name}"`)) lines.push(line);
  });
  const { status } = await postPod(sandbox.url, sandbox.token, 'ns-0', name);
  if (status !== 201) throw new Error(`fan-out floor's sample create: HTTP ${status}`);
  const deadline = performance.now() + 10_000;
  while (lines.length === 0 || performance.now() - lastLineAt < QUIET_MS) {
    if (performance.now() > deadline)
      throw new Error(`fan-out floor's sample: no event named ${name} in 10 s`);
    await sleep(QUIET_MS);
  }
  close();
  sandbox.client.delete(PODS_REF, 'ns-0', name, { gracePeriodSeconds: 0 });
  return lines.map((line) => `${line}\n`).join('');
}

/**
 * The floor of the fan-out: the bytes a sandbox watcher receives for one create (see `receivedForOneCreate`), in one
 * write to each of 100 loopback HTTP chunked streams, read by the same watcher code, with no sandbox logic in
 * between. Plain HTTP, as the issue sets the floor; with `tls`, over HTTPS with a certificate like the sandbox's,
 * which is what the machine allows a server that must speak TLS.
 */
async function watchFanoutFloor(
  received: string,
  watchers: RoleProcess,
  rounds: number,
  tls?: SandboxTls,
): Promise<number[]> {
  const streams: ServerResponse[] = [];
  const onWatch = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    streams.push(res);
  };
  const server = tls ? createTlsServer({ key: tls.key, cert: tls.cert }, onWatch) : createServer(onWatch);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const { samples } = await timeFanout(
    `watch fan-out floor (${tls ? 'HTTPS' : 'plain HTTP'} streams)`,
    watchers,
    { url, token: '', path: '/', ca: tls?.ca },
    rounds,
    async (name) => {
      const write = received.replaceAll(`"${FLOOR_POD}"`, `"${name}"`);
      for (const stream of streams) stream.write(write);
    },
  );
  for (const stream of streams) stream.end();
  await new Promise((resolve) => server.close(resolve));
  return samples;
}

/** Each list is measured this many times, after WARM_UP_RUNS not counted (the JIT, and the first encoding). */
const LIST_RUNS = 100;
const WARM_UP_RUNS = 5;
/** DELETEs before the timed ones, not counted: the first few compile the delete path. */
const DELETE_WARM_UP_RUNS = 20;

/** The floor of a list: `JSON.stringify` of the same document in this process, no HTTP, no sandbox logic. */
function stringifyFloor(label: string, runs: number, document: unknown): number[] {
  for (let i = 0; i < WARM_UP_RUNS; i++) JSON.stringify(document);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    JSON.stringify(document);
    samples.push(performance.now() - start);
  }
  console.log(
    `${label}: p50 ${percentile(samples, 50)} ms, p99 ${percentile(samples, 99)} ms (${runs} runs)`,
  );
  return samples;
}

/** The floors of both lists, from the same 5,000 pods (copies, dropped before memory is measured). */
function listFloors(client: ClusterClient): { listJsonFloor: number[]; listTableFloor: number[] } {
  const { items, resourceVersion } = client.list(PODS_REF);
  const list = { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion }, items };
  const table = toTable('Pod', items, { now: Date.now(), includeObject: 'Metadata', resourceVersion });
  return {
    listJsonFloor: stringifyFloor('LIST floor: JSON.stringify of the pod list', LIST_RUNS, list),
    listTableFloor: stringifyFloor('Table floor: JSON.stringify of the pod Table', LIST_RUNS, table),
  };
}

const ratio = (measured: number, floor: number) => Math.round((measured / floor) * 100) / 100;

function postPod(url: string, token: string, namespace: string, name: string): Promise<{ status: number }> {
  const body = JSON.stringify({ ...pod(namespace, 0), metadata: { name, namespace } });
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/api/v1/namespaces/${namespace}/pods`,
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kubewars-bench-sandbox-'));
  const sandbox = await startSandbox({
    port: 0,
    speed: 'fast',
    nodes: 1,
    kubeconfigOut: join(dir, 'kubeconfig'),
  });
  // The creates and the floor's sample watch go through the default agent: it trusts the sandbox's certificate too.
  globalAgent.options.ca = sandbox.caCert;
  try {
    // A sandbox needs a worker; cordoned, it takes no pod, as no worker at all did.
    sandbox.client.patch(NODES_REF, undefined, 'worker-1', 'merge', { spec: { unschedulable: true } });
    const loadStart = performance.now();
    for (let n = 0; n < NAMESPACES; n++) {
      sandbox.client.create(NAMESPACES_REF, undefined, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: `ns-${n}` },
      });
    }
    for (let i = 0; i < PODS; i++)
      sandbox.client.create(PODS_REF, `ns-${i % NAMESPACES}`, pod(`ns-${i % NAMESPACES}`, i));
    console.log(
      `loaded ${PODS} pods in ${NAMESPACES} namespaces in ${Math.round(performance.now() - loadStart)} ms`,
    );

    // Before any request: a keep-alive socket left idle this long could be closed under a later request.
    const { listJsonFloor, listTableFloor } = listFloors(sandbox.client);
    const api = http(sandbox.url, sandbox.token, sandbox.caCert);
    const podPath = (i: number) => `/api/v1/namespaces/ns-${i % NAMESPACES}/pods/ship-${i}`;
    await timed('warm-up GET', 50, (i) => api.call('GET', podPath(i)));
    const gets = await timed('GET pod', 1_000, (i) => api.call('GET', podPath((i * 7919) % PODS)));
    // The first list encodes every pod once (their bytes are then kept, see server/sandbox/store/encoded.ts).
    await timed('first LIST pods -A (JSON), encoding each pod', 1, () => api.call('GET', '/api/v1/pods'));
    await timed('warm-up LIST pods -A (JSON)', WARM_UP_RUNS - 1, () => api.call('GET', '/api/v1/pods'));
    const listJson = await timed('LIST pods -A (JSON)', LIST_RUNS, () => api.call('GET', '/api/v1/pods'));
    await timed('warm-up LIST pods -A (Table)', WARM_UP_RUNS, () =>
      api.call('GET', '/api/v1/pods', TABLE_ACCEPT),
    );
    const listTable = await timed('LIST pods -A (Table)', LIST_RUNS, () =>
      api.call('GET', '/api/v1/pods', TABLE_ACCEPT),
    );
    const received = await receivedForOneCreate(sandbox, api, FLOOR_POD);
    console.log(
      `one create, as a sandbox watcher receives it: ${received.split('\n').length - 1} event lines, ${Buffer.byteLength(received)} bytes`,
    );
    const watchers = forkRole(script, ['--role', 'watchers']);
    await watchers.next('ready', 60_000);
    const fanoutFloor = await watchFanoutFloor(received, watchers, FANOUT_ROUNDS);
    const floorTls = await sandboxTls(join(dir, 'floor-tls'), ['127.0.0.1']);
    const fanoutTlsFloor = await watchFanoutFloor(received, watchers, FANOUT_ROUNDS, floorTls);
    const { samples: fanout, fromCommit: fanoutFromCommit } = await watchFanout(
      sandbox,
      api,
      watchers,
      FANOUT_ROUNDS,
    );
    // Pods from the end of the list, the warm-up's first (as the GETs, the LISTs and the fan-out are warmed up).
    const deletePod = (i: number) => api.call('DELETE', `${podPath(PODS - 1 - i)}?gracePeriodSeconds=0`);
    await timed('warm-up DELETE', DELETE_WARM_UP_RUNS, deletePod);
    const deletes = await timed('DELETE pod', 500, (i) => deletePod(DELETE_WARM_UP_RUNS + i));
    // Only now: the watchers' process exiting is no work for the DELETEs to share the machine with.
    watchers.process.send({ type: 'stop' });
    const rssMB = Math.round(process.memoryUsage().rss / 1024 / 1024);
    console.log(`resident memory: ${rssMB} MB`);
    const floors = {
      listJson: percentile(listJsonFloor, 99),
      listTable: percentile(listTableFloor, 99),
      watchFanout: percentile(fanoutFloor, 99),
      watchFanoutTls: percentile(fanoutTlsFloor, 99),
    };
    console.log(
      JSON.stringify({
        pods: PODS,
        getP99Ms: percentile(gets, 99),
        deleteP99Ms: percentile(deletes, 99),
        listJsonP99Ms: percentile(listJson, 99),
        listTableP99Ms: percentile(listTable, 99),
        watchFanoutP99Ms: percentile(fanout, 99),
        rssMB,
        listJsonFloorMs: floors.listJson,
        listTableFloorMs: floors.listTable,
        watchFanoutFloorMs: floors.watchFanout,
        listJsonRatio: ratio(percentile(listJson, 99), floors.listJson),
        listTableRatio: ratio(percentile(listTable, 99), floors.listTable),
        watchFanoutRatio: ratio(percentile(fanout, 99), floors.watchFanout),
        watchFanoutTlsFloorMs: floors.watchFanoutTls,
        watchFanoutTlsRatio: ratio(percentile(fanout, 99), floors.watchFanoutTls),
        watchFanoutFromCommitP99Ms: percentile(fanoutFromCommit, 99),
        watchFanoutFromCommitRatio: ratio(percentile(fanoutFromCommit, 99), floors.watchFanout),
      }),
    );
  } finally {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const { values } = parseArgs({ options: { role: { type: 'string', default: 'benchmark' } } });
if (values.role === 'watchers') await runWatchers();
else await main();
