// Benchmark of `kubectl exec` round trips against the sandbox (issue 16: p99 ≤ 50 ms): one busybox pod running among
// 5,000 others, then `echo hi` run in it over the WebSocket channel protocol (v5.channel.k8s.io, as kubectl ≥ 1.30
// and client-node speak it), from the upgrade request to the exit status, one at a time.
// Prints figures, then one JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSecureContext, type ConnectionOptions, type SecureContext } from 'node:tls';
import WebSocket from 'ws';
import { startSandbox } from '../server/sandbox/index.ts';
import type { KubeObject } from '../server/sandbox/types.ts';
import { percentile as percentileOf } from './support.ts';

const OTHER_PODS = 5_000;
const RUNS = 300;
const WARM_UP = 30;
const PODS_REF = { group: '', resource: 'pods' };

/** Sub-millisecond figures: percentiles to 2 decimals. */
const percentile = (samples: number[], p: number) => percentileOf(samples, p, 2);

function pod(name: string, command?: string[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      containers: [
        { name: 'app', image: command ? 'busybox:1.36' : 'nginx:1.27', ...(command ? { command } : {}) },
      ],
    },
  };
}

/**
 * One exec of `echo hi`: resolves with what stdout carried once the status channel said Success. Each exec opens its
 * own TLS connection, as kubectl does; the client's CA context is built once (Node would parse the CA every time).
 */
function execOnce(url: string, token: string, secureContext: SecureContext): Promise<string> {
  const query = 'command=echo&command=hi&stdout=true&stderr=true';
  const socket = new WebSocket(
    `${url.replace('https', 'wss')}/api/v1/namespaces/default/pods/target/exec?${query}`,
    ['v5.channel.k8s.io'],
    // ws hands TLS options to tls.connect, whose secureContext its types do not list.
    { headers: { Authorization: `Bearer ${token}` }, ...({ secureContext } satisfies ConnectionOptions) },
  );
  let stdout = '';
  return new Promise((resolve, reject) => {
    socket.on('message', (data: Buffer) => {
      if (data[0] === 1) stdout += data.subarray(1).toString();
      if (data[0] === 3) {
        const status = JSON.parse(data.subarray(1).toString()) as { status: string };
        socket.close();
        if (status.status === 'Success') resolve(stdout);
        else reject(new Error(`exec: ${JSON.stringify(status)}`));
      }
    });
    socket.on('error', reject);
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kubewars-bench-exec-'));
  const sandbox = await startSandbox({ port: 0, speed: 'fast', kubeconfigOut: join(dir, 'kubeconfig') });
  try {
    const secureContext = createSecureContext({ ca: sandbox.caCert });
    sandbox.client.create(PODS_REF, 'default', pod('target', ['sleep', '3600']));
    for (let tries = 0; ; tries++) {
      const target = sandbox.client.get(PODS_REF, 'default', 'target');
      if ((target.status as { phase?: string } | undefined)?.phase === 'Running') break;
      if (tries > 600) throw new Error('the target pod never ran');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The others only fill the store, as a busy cluster's would: a scheduler nobody runs keeps them Pending, out of
    // the default scheduler's retries.
    for (let i = 0; i < OTHER_PODS; i++) sandbox.client.create(PODS_REF, 'default', pod(`ship-${i}`));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    for (let i = 0; i < WARM_UP; i++) await execOnce(sandbox.url, sandbox.token, secureContext);
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      const out = await execOnce(sandbox.url, sandbox.token, secureContext);
      samples.push(performance.now() - start);
      if (out !== 'hi\n') throw new Error(`exec printed ${JSON.stringify(out)}`);
    }
    console.log(
      `exec round trip (echo hi, ${OTHER_PODS + 1} pods): p50 ${percentile(samples, 50)} ms, p99 ${percentile(samples, 99)} ms (${RUNS} runs)`,
    );
    console.log(
      JSON.stringify({
        pods: OTHER_PODS + 1,
        execP50Ms: percentile(samples, 50),
        execP99Ms: percentile(samples, 99),
      }),
    );
  } finally {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
