// Benchmark of the simulated cluster (speed=fast), through the sandbox's real HTTP API and @kubernetes/client-node:
// a 1,000-replica deployment to all Running, 100 deployments × 10 recovering after every pod is deleted at once,
// the CPU an idle sandbox with 5,000 pods uses, then how long one more pod takes to be bound to a node among them.
// Prints figures, then one JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { type RunningSandbox, startSandbox } from '../server/sandbox/index.ts';
import { percentile } from './support.ts';

// 110 pods per node, as a kubelet allows: room for 5,000 pods and the system ones.
const WORKERS = 50;

function deployment(name: string, replicas: number): k8s.V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
      },
    },
  };
}

/**
 * Resolves when `count` pods in the namespace are Running and none is terminating, as seen by a watch. Pods in
 * `replaced` (uids) must be gone: a watch that starts before their deletion lands still lists them Running.
 */
function runningPods(
  kc: k8s.KubeConfig,
  namespace: string,
  count: number,
  replaced: ReadonlySet<string> = new Set(),
  timeoutMs = 600_000,
): Promise<void> {
  const pods = new Map<string, { running: boolean; terminating: boolean }>();
  const watch = new k8s.Watch(kc);
  return new Promise((resolve, reject) => {
    let request: { abort(): void } | undefined;
    const timer = setTimeout(() => {
      request?.abort();
      reject(new Error(`timed out: ${namespace} never had ${count} running pods`));
    }, timeoutMs);
    const check = () => {
      let running = 0;
      let terminating = 0;
      for (const [uid, pod] of pods) {
        if (pod.terminating || replaced.has(uid)) terminating++;
        else if (pod.running) running++;
      }
      if (running === count && terminating === 0) {
        clearTimeout(timer);
        request?.abort();
        resolve();
      }
    };
    void watch
      .watch(
        `/api/v1/namespaces/${namespace}/pods`,
        {},
        (type: string, pod: k8s.V1Pod) => {
          const uid = pod.metadata?.uid ?? '';
          if (type === 'DELETED') pods.delete(uid);
          else
            pods.set(uid, {
              running: pod.status?.phase === 'Running',
              terminating: Boolean(pod.metadata?.deletionTimestamp),
            });
          check();
        },
        (error: unknown) => {
          if (error && !String(error).includes('abort'))
            reject(error instanceof Error ? error : new Error(String(error)));
        },
      )
      .then((handle: { abort(): void }) => {
        request = handle;
      }, reject);
  });
}

/** Single pods scheduled one after another into the full cluster: each is its own scheduling batch. */
const SINGLE_PODS = 200;

/**
 * Creates `count` bare pods one at a time through the API and times each from its create call to the write that
 * binds it to a node, as the sandbox's own watch sees it.
 */
async function timeBindings(sandbox: RunningSandbox, core: k8s.CoreV1Api, count: number): Promise<number[]> {
  let waiting: { name: string; bound: () => void } | undefined;
  const stop = sandbox.client.watch({ group: '', resource: 'pods' }, { namespace: 'single' }, (event) => {
    const nodeName = (event.object.spec as { nodeName?: string } | undefined)?.nodeName;
    if (nodeName && waiting && event.object.metadata.name === waiting.name) waiting.bound();
  });
  await core.createNamespace({ body: { metadata: { name: 'single' } } });
  const samples: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const name = `single-${i}`;
      const start = performance.now();
      const bound = new Promise<void>((resolve) => (waiting = { name, bound: resolve }));
      await core.createNamespacedPod({
        namespace: 'single',
        body: { metadata: { name }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
      });
      await bound;
      samples.push(performance.now() - start);
    }
  } finally {
    stop();
  }
  return samples;
}

/** CPU this process (sandbox and bench client alike) used since `since`: wall times alone swing with machine load. */
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return Math.round((used.user + used.system) / 1000);
};

async function main(): Promise<void> {
  // Its own kubeconfig: the bench must not overwrite the one `kubewars sandbox` keeps for the user.
  const workdir = mkdtempSync(join(tmpdir(), 'kubewars-bench-'));
  const sandbox = await startSandbox({
    port: 0,
    speed: 'fast',
    nodes: WORKERS,
    kubeconfigOut: join(workdir, 'kubeconfig'),
  });
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(sandbox.kubeconfigPath);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const namespace = async (name: string) => core.createNamespace({ body: { metadata: { name } } });

  try {
    await namespace('big');
    let start = performance.now();
    let cpu = process.cpuUsage();
    const bigReady = runningPods(kc, 'big', 1000);
    await apps.createNamespacedDeployment({ namespace: 'big', body: deployment('big', 1000) });
    await bigReady;
    const deploy1000ReadyMs = Math.round(performance.now() - start);
    console.log(
      `1,000-replica deployment: all Running after ${deploy1000ReadyMs} ms (${cpuMs(cpu)} ms of CPU)`,
    );

    await namespace('fleet');
    const fleetReady = runningPods(kc, 'fleet', 1000);
    for (let i = 0; i < 100; i++)
      await apps.createNamespacedDeployment({ namespace: 'fleet', body: deployment(`fleet-${i}`, 10) });
    await fleetReady;
    const before = await core.listNamespacedPod({ namespace: 'fleet' });
    const deleted = new Set(before.items.map((pod) => pod.metadata?.uid ?? ''));
    start = performance.now();
    cpu = process.cpuUsage();
    const recovered = runningPods(kc, 'fleet', 1000, deleted);
    await core.deleteCollectionNamespacedPod({ namespace: 'fleet' });
    await recovered;
    const recover1000Ms = Math.round(performance.now() - start);
    console.log(
      `100 deployments × 10: converged ${recover1000Ms} ms (${cpuMs(cpu)} ms of CPU) after every pod was deleted`,
    );

    await namespace('idle');
    const idleReady = runningPods(kc, 'idle', 3000);
    for (let i = 0; i < 10; i++)
      await apps.createNamespacedDeployment({ namespace: 'idle', body: deployment(`idle-${i}`, 300) });
    await idleReady;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const total = (await core.listPodForAllNamespaces()).items.length;
    cpu = process.cpuUsage();
    const wallBefore = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const idleCpuPct = Number(((cpuMs(cpu) / (performance.now() - wallBefore)) * 100).toFixed(2));
    console.log(`idle with ${total} pods (system ones included): ${idleCpuPct}% of one core over 10 s`);

    const bindings = await timeBindings(sandbox, core, SINGLE_PODS);
    const bindP50Ms = percentile(bindings, 50);
    const bindP99Ms = percentile(bindings, 99);
    console.log(
      `${SINGLE_PODS} pods created one at a time among the ${total}: create → bound to a node p50 ${bindP50Ms} ms, p99 ${bindP99Ms} ms`,
    );
    console.log(JSON.stringify({ deploy1000ReadyMs, recover1000Ms, idleCpuPct, bindP50Ms, bindP99Ms }));
  } finally {
    await sandbox.stop();
    rmSync(workdir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
