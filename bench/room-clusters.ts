// What idle attendee clusters cost: a sandbox host with N clusters (default 100) of the default shape (2 workers,
// the room's 50-pod limit), left to settle, then the memory each cluster adds and the CPU of one core the idle host
// uses over 20 s, with the store writes per second behind it (heartbeats, leases, resyncs). Prints figures, then
// one JSON line. --fleet R gives each cluster a Deployment of R replicas; --churn K then deletes every fleet pod K
// times, waiting for the recovery, so the store holds a workshop's history of writes as a room's would.
// Usage: npm run bench:room-clusters [-- --clusters 100 --idle-seconds 20 --speed realistic --fleet 5 --churn 20]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandboxHost } from '../server/sandbox/index.ts';
import type { SandboxCluster } from '../server/sandbox/index.ts';
import type { KubeObject } from '../server/sandbox/types.ts';

const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '100' },
    'idle-seconds': { type: 'string', default: '20' },
    speed: { type: 'string', default: 'realistic' },
    fleet: { type: 'string', default: '0' },
    churn: { type: 'string', default: '0' },
  },
});
const clusterCount = Number(values.clusters);
const idleSeconds = Number(values['idle-seconds']);
const speed = values.speed === 'fast' ? 'fast' : 'realistic';
const fleetReplicas = Number(values.fleet);
const churnRounds = Number(values.churn);

const PODS = { group: '', resource: 'pods' };
const NODES = { group: '', resource: 'nodes' };
const DEPLOYMENTS = { group: 'apps', resource: 'deployments' };

const fleet = (replicas: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'fleet', namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'fleet' } },
    template: {
      metadata: { labels: { app: 'fleet' } },
      spec: { containers: [{ name: 'ship', image: 'nginx:1.27' }] },
    },
  },
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Memory after a full collection when node runs with --expose-gc (the npm script does), so garbage is not counted. */
function memory(): NodeJS.MemoryUsage {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage();
}

const settled = (cluster: SandboxCluster) =>
  cluster.client.list(PODS, { namespace: 'default' }).items.length === fleetReplicas &&
  cluster.client
    .list(NODES)
    .items.every((node: KubeObject) =>
      ((node.status as { conditions?: { type: string; status: string }[] }).conditions ?? []).some(
        (c) => c.type === 'Ready' && c.status === 'True',
      ),
    ) &&
  cluster.client
    .list(PODS)
    .items.every((pod: KubeObject) => (pod.status as { phase?: string } | undefined)?.phase === 'Running');

async function settle(clusters: SandboxCluster[]): Promise<void> {
  const start = performance.now();
  while (!clusters.every(settled)) {
    if (performance.now() - start > 300_000) throw new Error('the clusters did not settle within 5 minutes');
    await sleep(500);
  }
}

/** The sum of every cluster's resourceVersion: how many writes the clusters have made. */
const writes = (clusters: SandboxCluster[]) =>
  clusters.reduce((sum, cluster) => sum + Number(cluster.client.list(NODES).resourceVersion), 0);

async function main(): Promise<void> {
  const tlsDir = mkdtempSync(join(tmpdir(), 'kubewars-bench-room-'));
  const host = await startSandboxHost({ host: '127.0.0.1', port: 0, tlsDir });
  try {
    await sleep(500);
    const empty = memory();
    const start = performance.now();
    const clusters: SandboxCluster[] = [];
    for (let i = 0; i < clusterCount; i++) {
      clusters.push(
        await host.addCluster(`attendee-${i}`, {
          token: randomBytes(24).toString('base64url'),
          speed,
          podLimit: 50,
        }),
      );
    }
    const addMs = Math.round(performance.now() - start);
    console.log(`${clusterCount} clusters added in ${addMs} ms`);
    if (fleetReplicas > 0) {
      for (const cluster of clusters) cluster.client.create(DEPLOYMENTS, 'default', fleet(fleetReplicas));
    }
    await settle(clusters);
    const settleMs = Math.round(performance.now() - start);
    console.log(`settled (every node Ready, every pod Running) after ${settleMs} ms`);
    for (let round = 0; round < churnRounds; round++) {
      for (const cluster of clusters) {
        for (const pod of cluster.client.list(PODS, { namespace: 'default' }).items) {
          cluster.client.delete(PODS, 'default', pod.metadata.name ?? '', { gracePeriodSeconds: 0 });
        }
      }
      await settle(clusters);
    }
    if (churnRounds > 0) console.log(`${churnRounds} rounds of every fleet pod deleted and recovered`);
    // Past the start-up bursts (first heartbeats, lease renewals, status writes) before measuring.
    await sleep(5000);

    const full = memory();
    const rssPerClusterMB = mb((full.rss - empty.rss) / clusterCount);
    const heapPerClusterMB = mb((full.heapUsed - empty.heapUsed) / clusterCount);
    const pods = clusters.reduce((sum, cluster) => sum + cluster.client.list(PODS).items.length, 0);
    const writesPerCluster = Math.round(writes(clusters) / clusterCount);
    console.log(
      `memory: RSS ${mb(full.rss)} MB (${rssPerClusterMB} MB per cluster), heap ${mb(full.heapUsed)} MB (${heapPerClusterMB} MB per cluster), ${pods} pods, ${writesPerCluster} writes per cluster so far`,
    );

    const writesBefore = writes(clusters);
    const cpu = process.cpuUsage();
    const wall = performance.now();
    await sleep(idleSeconds * 1000);
    const used = process.cpuUsage(cpu);
    const elapsedMs = performance.now() - wall;
    const idleCpuPct = Number((((used.user + used.system) / 1000 / elapsedMs) * 100).toFixed(2));
    const idleWritesPerSecond = Number(((writes(clusters) - writesBefore) / (elapsedMs / 1000)).toFixed(1));
    console.log(
      `idle ${idleSeconds} s: ${idleCpuPct}% of one core, ${idleWritesPerSecond} writes/s over all clusters`,
    );
    console.log(
      JSON.stringify({
        clusters: clusterCount,
        speed,
        fleetReplicas,
        churnRounds,
        addMs,
        settleMs,
        rssMB: mb(full.rss),
        rssPerClusterMB,
        heapPerClusterMB,
        writesPerCluster,
        idleCpuPct,
        idleWritesPerSecond,
      }),
    );
  } finally {
    await host.stop();
    rmSync(tlsDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
