// The metrics API and the HorizontalPodAutoscaler against real kubectl 1.20 and 1.35: `kubectl top` with and
// without load, an HPA scaling out under a load generator and back in after its stabilization window (fast
// speed compresses the 300 s to 15 s), and a container over its memory limit OOMKilled as the kubelet reports it.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSandbox } from '../../../server/sandbox/index.ts';
import type { RunningSandbox } from '../../../server/sandbox/index.ts';
import type { KubeObject } from '../../../server/sandbox/types.ts';
import { kubectlBinaries, kubectlFor } from '../../support/kubectl.ts';
import { until } from '../../support/until.ts';

let sandbox: RunningSandbox;
before(async () => {
  sandbox = await startSandbox({
    port: 0,
    kubeconfigOut: join(mkdtempSync(join(tmpdir(), 'kubewars-metrics-')), 'config'),
    speed: 'fast',
  });
});
after(async () => sandbox?.stop());

const [kubectl120, kubectl135] = kubectlBinaries();
if (!kubectl120 || !kubectl135) throw new Error('both kubectl versions are needed');

/** `kubectl top` rows as { name: [cpu millicores, memory MiB] }. */
function topRows(out: string): Record<string, number[]> {
  const rows = out.trim().split('\n').slice(1);
  return Object.fromEntries(
    rows.map((row) => {
      const cells = row.trim().split(/\s+/);
      const numbers = cells.filter((c) => /^\d+(m|Mi)$/.test(c)).map((c) => parseInt(c, 10));
      return [cells[0] ?? '', numbers];
    }),
  );
}

const hpaReplicas = (ns: string) =>
  (
    (sandbox.client.tryGet({ group: 'autoscaling', resource: 'horizontalpodautoscalers' }, ns, 'web')
      ?.status ?? {}) as { currentReplicas?: number }
  ).currentReplicas;

const webDeployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{containerPort: 80}]
          resources: {requests: {cpu: 100m, memory: 64Mi}}
`;

for (const binary of [kubectl120, kubectl135]) {
  describe(`kubectl ${binary.version} top`, () => {
    const ns = `top-${binary.version.replace('.', '-')}`;
    let kubectl: ReturnType<typeof kubectlFor>;
    const ok = async (args: string[], input?: string) => {
      const result = await kubectl(['-n', ns, ...args], input === undefined ? {} : { input });
      assert.equal(result.exitCode, 0, `kubectl ${args.join(' ')} failed:\n${result.stderr}`);
      return result.stdout;
    };

    before(async () => {
      kubectl = kubectlFor(binary, sandbox.kubeconfigPath);
      await ok(['create', 'namespace', ns]);
      await ok(['apply', '-f', '-'], webDeployment);
      await ok(['expose', 'deployment', 'web', '--port=80']);
      await ok(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    });

    test('top nodes lists every node with its use against its capacity', async () => {
      const out = await ok(['top', 'nodes']);
      assert.match(
        out.split('\n')[0] ?? '',
        /^NAME\s+CPU\(cores\)\s+CPU(\(%\)|%)\s+MEMORY\(bytes\)\s+MEMORY(\(%\)|%)/,
      );
      const nodes = topRows(out);
      assert.deepEqual(Object.keys(nodes).sort(), ['control-plane', 'worker-1', 'worker-2']);
      // Each node's own processes (kubelet, containerd, the system) come on top of its pods.
      for (const [name, [cpu, memory]] of Object.entries(nodes)) {
        assert.ok((cpu ?? 0) > 0, `${name} uses no CPU`);
        assert.ok((memory ?? 0) > 400, `${name} uses ${memory}Mi`);
      }
    });

    test('at rest nginx uses next to nothing; a load generator makes the Service’s pods busy', async () => {
      const idle = topRows(await ok(['top', 'pods', '-l', 'app=web']));
      assert.equal(Object.keys(idle).length, 2);
      for (const [cpu] of Object.values(idle)) assert.ok((cpu ?? 99) <= 2, `idle nginx at ${cpu}m`);

      await ok([
        'run',
        'load',
        '--image=busybox:1.36',
        '--restart=Never',
        '--',
        'sh',
        '-c',
        'while true; do wget -q -O- http://web >/dev/null; done',
      ]);
      const busy = await until(
        'the web pods to be busy',
        async () => topRows(await ok(['top', 'pods'])),
        (rows) => {
          const web = Object.entries(rows).filter(([name]) => name.startsWith('web-'));
          return web.length === 2 && web.every(([, [cpu]]) => (cpu ?? 0) > 100);
        },
      );
      assert.ok((busy.load?.[0] ?? 0) > 10, 'the load generator itself uses CPU');
      await ok(['delete', 'pod', 'load', '--wait=false']);
      await until(
        'the web pods to rest again',
        async () => topRows(await ok(['top', 'pods', '-l', 'app=web'])),
        (rows) => Object.values(rows).every(([cpu]) => (cpu ?? 99) <= 2),
      );
    });

    test('a busy loop is held to its CPU limit; an unknown pod is NotFound', async () => {
      await ok(
        ['apply', '-f', '-'],
        `apiVersion: v1
kind: Pod
metadata: {name: spin}
spec:
  containers:
    - name: spin
      image: busybox:1.36
      command: [sh, -c, 'while true; do :; done']
      resources: {limits: {cpu: 300m}}
`,
      );
      const rows = await until(
        'spin to be measured',
        async () => topRows(await ok(['top', 'pod', 'spin'])),
        (r) => 'spin' in r,
      );
      assert.equal(rows.spin?.[0], 300);
      const missing = await kubectl(['top', 'pod', 'nothing', '-n', ns]);
      assert.notEqual(missing.exitCode, 0);
      assert.match(missing.stderr, /podmetrics.metrics.k8s.io "nothing" not found/);
    });
  });
}

describe('HorizontalPodAutoscaler', () => {
  const ns = 'autoscale';
  const k120 = () => kubectlFor(kubectl120, sandbox.kubeconfigPath);
  const k135 = () => kubectlFor(kubectl135, sandbox.kubeconfigPath);
  const ok = async (kubectl: ReturnType<typeof kubectlFor>, args: string[], input?: string) => {
    const result = await kubectl(['-n', ns, ...args], input === undefined ? {} : { input });
    assert.equal(result.exitCode, 0, `kubectl ${args.join(' ')} failed:\n${result.stderr}`);
    return result.stdout;
  };

  test('scales out under load, then back in once the stabilization window has passed', async () => {
    const old = k120();
    const current = k135();
    await ok(current, ['create', 'namespace', ns]);
    await ok(current, ['apply', '-f', '-'], webDeployment);
    await ok(current, ['expose', 'deployment', 'web', '--port=80']);
    // kubectl 1.20 writes autoscaling/v1: the controller reads the same object as v2.
    await ok(old, ['autoscale', 'deployment', 'web', '--min=2', '--max=5', '--cpu-percent=50']);
    await until('the HPA to measure', async () =>
      (await ok(current, ['get', 'hpa', 'web'])).includes('cpu: 0%/50%'),
    );

    await ok(current, [
      'create',
      'deployment',
      'load',
      '--image=busybox:1.36',
      '--',
      'sh',
      '-c',
      'while true; do wget -q -O- http://web >/dev/null; done',
    ]);
    await until(
      'the HPA to reach its maximum',
      async () => hpaReplicas(ns),
      (n) => n === 5,
      30_000,
    );
    const described = await ok(current, ['describe', 'hpa', 'web']);
    assert.match(described, /resource cpu on pods\s+\(as a percentage of request\):\s+\d+% \(\d+m\) \/ 50%/);
    assert.match(described, /ScalingLimited\s+True\s+TooManyReplicas/);
    assert.match(
      described,
      /SuccessfulRescale\s.*New size: 5; reason: cpu resource utilization \(percentage of request\) above target/,
    );
    const v1 = JSON.parse(await ok(old, ['get', 'hpa.v1.autoscaling', 'web', '-o', 'json'])) as KubeObject;
    assert.equal(v1.apiVersion, 'autoscaling/v1');
    assert.ok(
      ((v1.status as { currentCPUUtilizationPercentage?: number }).currentCPUUtilizationPercentage ?? 0) > 50,
    );

    await ok(current, ['delete', 'deployment', 'load']);
    const stopped = Date.now();
    // The recommendations of the last 300 s (15 s at fast speed) hold the size: not scaled in at once.
    await until('the CPU to fall', async () =>
      (await ok(current, ['get', 'hpa', 'web'])).includes('cpu: 0%/50%'),
    );
    assert.equal(hpaReplicas(ns), 5);
    assert.match(await ok(current, ['describe', 'hpa', 'web']), /AbleToScale\s+True\s+ScaleDownStabilized/);
    await until(
      'the HPA to scale back to its minimum',
      async () => hpaReplicas(ns),
      (n) => n === 2,
      40_000,
    );
    assert.ok(
      Date.now() - stopped >= 10_000,
      `scaled in after ${Date.now() - stopped} ms, before the window`,
    );
    const events = await ok(old, ['describe', 'hpa', 'web']);
    assert.match(events, /New size: 2; reason: All metrics below target/);
    await until(
      'the Deployment to follow',
      async () =>
        (
          (sandbox.client.tryGet({ group: 'apps', resource: 'deployments' }, ns, 'web')?.spec ?? {}) as {
            replicas?: number;
          }
        ).replicas === 2,
    );
  });

  test('a container over its memory limit is OOMKilled and restarted', async () => {
    const kubectl = k135();
    await ok(
      kubectl,
      ['apply', '-f', '-'],
      `apiVersion: v1
kind: Pod
metadata: {name: memory-hog}
spec:
  containers:
    - name: stress
      image: polinux/stress
      command: [stress]
      args: [--vm, "1", --vm-bytes, 250M, --vm-hang, "1"]
      resources: {requests: {memory: 50Mi}, limits: {memory: 100Mi}}
`,
    );
    const last = await until(
      'an OOM kill',
      async () =>
        (
          JSON.parse(
            await ok(kubectl, [
              'get',
              'pod',
              'memory-hog',
              '-o',
              'jsonpath={.status.containerStatuses[0].lastState}',
            ]),
          ) as {
            terminated?: { reason?: string; exitCode?: number };
          }
        ).terminated,
      (terminated) => terminated !== undefined,
    );
    assert.deepEqual([last?.reason, last?.exitCode], ['OOMKilled', 137]);
    assert.match(
      await ok(kubectl, ['describe', 'pod', 'memory-hog']),
      /Last State:\s+Terminated\s+Reason:\s+OOMKilled\s+Exit Code:\s+137/,
    );
  });
});
