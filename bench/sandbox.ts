// Benchmark of the sandbox's API machinery over its real HTTP API: 5,000 pods in 100 namespaces, then single-object
// GET and DELETE, cluster-wide LIST as JSON and as Table, and how long 100 watchers take to see one change.
// No worker nodes, so the pods stay Pending and nothing but the benchmark writes. Prints figures, then one JSON line.
import { Agent, globalAgent, request } from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSandbox } from '../server/sandbox/index.ts';
import type { KubeObject } from '../server/sandbox/types.ts';

const NAMESPACES = 100;
const PODS = 5_000;
const WATCHERS = 100;
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

const PODS_REF = { group: '', resource: 'pods' };
const NAMESPACES_REF = { group: '', resource: 'namespaces' };

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

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, index)] ?? 0) * 100) / 100;
}

interface Http {
  call(method: string, path: string, accept?: string): Promise<{ status: number; body: string }>;
}

function http(url: string, token: string, ca: string): Http {
  const agent = new Agent({ keepAlive: true, maxSockets: 16, ca });
  return {
    call: (method, path, accept = 'application/json') =>
      new Promise((resolve, reject) => {
        const req = request(
          `${url}${path}`,
          { method, agent, headers: { Authorization: `Bearer ${token}`, Accept: accept } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
            );
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end();
      }),
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

/** A watch over HTTP that hands each newline-delimited event line to `onLine` as it arrives. */
function openWatcher(url: string, token: string, path: string, onLine: (line: string) => void) {
  return new Promise<() => void>((resolve, reject) => {
    const req = request(`${url}${path}`, { headers: { Authorization: `Bearer ${token}` } }, (res) => {
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
    req.on('error', () => {});
    req.end();
  });
}

async function watchFanout(url: string, token: string, api: Http, rounds: number): Promise<number[]> {
  const { resourceVersion } = JSON.parse((await api.call('GET', '/api/v1/namespaces/ns-0/pods?limit=1')).body)
    .metadata as { resourceVersion: string };
  let awaited = '';
  let started = 0;
  let seen = 0;
  let roundDone: () => void = () => {};
  const samples: number[] = [];
  const closers: (() => void)[] = [];
  for (let w = 0; w < WATCHERS; w++) {
    closers.push(
      await openWatcher(
        url,
        token,
        `/api/v1/namespaces/ns-0/pods?watch=true&resourceVersion=${resourceVersion}`,
        (line) => {
          if (!awaited || !line.includes(`"${awaited}"`)) return;
          samples.push(performance.now() - started);
          if (++seen === WATCHERS) roundDone();
        },
      ),
    );
  }
  for (let round = 0; round < rounds; round++) {
    awaited = `fanout-${round}`;
    seen = 0;
    const done = new Promise<void>((resolve) => (roundDone = resolve));
    started = performance.now();
    const { status } = await postPod(url, token, 'ns-0', awaited);
    if (status !== 201) throw new Error(`watch fan-out create: HTTP ${status}`);
    await done;
  }
  for (const close of closers) close();
  console.log(
    `watch fan-out (${WATCHERS} watchers × ${rounds} changes): p50 ${percentile(samples, 50)} ms, p99 ${percentile(samples, 99)} ms`,
  );
  return samples;
}

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
    nodes: 0,
    kubeconfigOut: join(dir, 'kubeconfig'),
  });
  // Watches and creates go through the default agent: it trusts the sandbox's certificate too.
  globalAgent.options.ca = sandbox.caCert;
  try {
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

    const api = http(sandbox.url, sandbox.token, sandbox.caCert);
    const podPath = (i: number) => `/api/v1/namespaces/ns-${i % NAMESPACES}/pods/ship-${i}`;
    await timed('warm-up GET', 50, (i) => api.call('GET', podPath(i)));
    const gets = await timed('GET pod', 1_000, (i) => api.call('GET', podPath((i * 7919) % PODS)));
    const listJson = await timed('LIST pods -A (JSON)', 30, () => api.call('GET', '/api/v1/pods'));
    const listTable = await timed('LIST pods -A (Table)', 30, () =>
      api.call('GET', '/api/v1/pods', TABLE_ACCEPT),
    );
    const fanout = await watchFanout(sandbox.url, sandbox.token, api, 20);
    const deletes = await timed('DELETE pod', 500, (i) =>
      api.call('DELETE', `${podPath(PODS - 1 - i)}?gracePeriodSeconds=0`),
    );
    const rssMB = Math.round(process.memoryUsage().rss / 1024 / 1024);
    console.log(`resident memory: ${rssMB} MB`);
    console.log(
      JSON.stringify({
        pods: PODS,
        getP99Ms: percentile(gets, 99),
        deleteP99Ms: percentile(deletes, 99),
        listJsonP99Ms: percentile(listJson, 99),
        listTableP99Ms: percentile(listTable, 99),
        watchFanoutP99Ms: percentile(fanout, 99),
        rssMB,
      }),
    );
  } finally {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
