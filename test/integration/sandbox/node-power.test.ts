// `kubewars node stop|start` against a real sandbox, observed with real kubectl 1.35 and 1.20: the node turns
// NotReady, its pods are evicted after the sandbox's toleration and their Deployment replaces them elsewhere.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpsRequest } from 'node:https';
import type { Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sandboxTls } from '../../../server/sandbox/api/tls.ts';
import { startSandbox } from '../../../server/sandbox/index.ts';
import type { RunningSandbox } from '../../../server/sandbox/index.ts';
import { kubectlBinaries, kubectlFor, type KubectlResult } from '../../support/kubectl.ts';
import { runKubewars, spawnKubewars } from '../../support/kubewars.ts';
import { until } from '../../support/until.ts';

const ok = (result: KubectlResult) => {
  assert.equal(result.exitCode, 0, `kubectl failed: ${result.stderr}`);
  return result.stdout;
};

/** Without KUBECONFIG, the CLI finds the sandbox as in a learner's project: .kubewars/ in the working directory. */
const noKubeconfig = { KUBECONFIG: '' };

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: fleet, namespace: outage}
spec:
  replicas: 2
  selector: {matchLabels: {app: fleet}}
  template:
    metadata: {labels: {app: fleet}}
    spec:
      containers: [{name: nginx, image: 'nginx:1.27'}]
`;

/** POST or GET on the sandbox's own server, trusting its CA; no token unless given. */
function call(sandbox: RunningSandbox, method: string, path: string, token?: string) {
  return new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    const req = httpsRequest(
      new URL(path, sandbox.url),
      { method, ca: sandbox.caCert, headers: token ? { Authorization: `Bearer ${token}` } : {} },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('kubewars node stop|start on the sandbox', () => {
  let dir: string;
  let sandbox: RunningSandbox;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubewars-node-power-'));
    // The CLI finds the sandbox as a learner's project does: .kubewars/sandbox.kubeconfig in the working directory.
    sandbox = await startSandbox({
      port: 0,
      kubeconfigOut: join(dir, '.kubewars/sandbox.kubeconfig'),
      speed: 'fast',
      nodeEvictionTimeoutSeconds: 2,
    });
  });
  after(async () => {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a stopped node's pods are evicted and replaced on the other worker; started, it is Ready again", async () => {
    const binaries = kubectlBinaries();
    const [kubectl135, kubectl120] = ['1.35', '1.20'].map((version) => {
      const binary = binaries.find((b) => b.version === version);
      assert.ok(binary, `kubectl ${version}`);
      return kubectlFor(binary, sandbox.kubeconfigPath);
    }) as [ReturnType<typeof kubectlFor>, ReturnType<typeof kubectlFor>];
    ok(
      await kubectl135(['apply', '-f', '-'], {
        input: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: outage}\n',
      }),
    );
    ok(await kubectl135(['apply', '-f', '-'], { input: deployment }));
    const nodesOfPods = async () =>
      ok(
        await kubectl135([
          'get',
          'pods',
          '-n',
          'outage',
          '-l',
          'app=fleet',
          '-o',
          'jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} {.status.phase} {.metadata.deletionTimestamp}{"\\n"}{end}',
        ]),
      )
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [name, node, phase, deleting] = line.split(' ');
          return { name, node, phase, deleting: Boolean(deleting) };
        });
    const placed = await until(
      'the fleet running, one pod on each worker',
      nodesOfPods,
      (pods) =>
        pods.length === 2 &&
        pods.every((p) => p.phase === 'Running') &&
        pods.some((p) => p.node === 'worker-1') &&
        pods.some((p) => p.node === 'worker-2'),
      30_000,
    );
    const stranded = placed.filter((p) => p.node === 'worker-1').map((p) => p.name);

    const stopped = await runKubewars(['node', 'stop', 'worker-1'], { cwd: dir, env: noKubeconfig });
    assert.equal(stopped.code, 0, stopped.output);
    assert.equal(
      stopped.output,
      'worker-1 stopped: its pods are evicted after 2 s unless they tolerate longer; `kubewars node start worker-1` brings it back.\n',
    );
    for (const kubectl of [kubectl135, kubectl120]) {
      assert.match(ok(await kubectl(['get', 'nodes'])), /\nworker-1\s+NotReady\s/);
    }
    await until(
      'the stranded pod evicted and replaced on worker-2',
      nodesOfPods,
      (pods) =>
        pods.filter((p) => p.node === 'worker-2' && p.phase === 'Running' && !p.deleting).length === 2 &&
        pods.filter((p) => stranded.includes(p.name)).every((p) => p.deleting),
      30_000,
    );
    for (const kubectl of [kubectl135, kubectl120]) {
      assert.match(
        ok(await kubectl(['get', 'deployment', 'fleet', '-n', 'outage'])),
        /\nfleet\s+2\/2\s+2\s+2\s/,
      );
    }

    const started = await runKubewars(['node', 'start', 'worker-1'], { cwd: dir, env: noKubeconfig });
    assert.equal(started.code, 0, started.output);
    assert.equal(started.output, 'worker-1 started: Ready again, new pods can be scheduled on it.\n');
    for (const kubectl of [kubectl135, kubectl120]) {
      assert.match(ok(await kubectl(['get', 'nodes'])), /\nworker-1\s+Ready\s/);
    }
    // Back online, the node's kubelet finishes the evicted pod's termination.
    await until(
      'the evicted pod gone',
      nodesOfPods,
      (pods) => pods.length === 2 && pods.every((p) => !stranded.includes(p.name as string)),
      30_000,
    );
  });

  test('the node API wants the sandbox token, names the nodes it knows and only takes POST', async () => {
    const unauthenticated = await call(sandbox, 'POST', '/kubewars/v1/nodes/worker-1/stop');
    assert.equal(unauthenticated.status, 401);
    assert.equal(unauthenticated.body.reason, 'Unauthorized');

    const unknown = await call(sandbox, 'POST', '/kubewars/v1/nodes/worker-9/stop', sandbox.token);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.kind, 'Status');
    assert.equal(
      unknown.body.message,
      `node "worker-9" not found: the sandbox's nodes are control-plane, worker-1, worker-2`,
    );
    const cli = await runKubewars(['node', 'stop', 'worker-9'], { cwd: dir, env: noKubeconfig });
    assert.equal(cli.code, 1);
    assert.equal(
      cli.output,
      `kubewars: node "worker-9" not found: the sandbox's nodes are control-plane, worker-1, worker-2\n`,
    );

    const get = await call(sandbox, 'GET', '/kubewars/v1/nodes/worker-1/stop', sandbox.token);
    assert.equal(get.status, 405);
    const nowhere = await call(sandbox, 'POST', '/kubewars/v1/nodes/worker-1/reboot', sandbox.token);
    assert.equal(nowhere.status, 404);
    assert.deepEqual(sandbox.startNode('worker-1'), {
      name: 'worker-1',
      ready: true,
      evictionTimeoutSeconds: 2,
    });
  });

  test('Kubernetes discovery does not list the Kube Wars API', async () => {
    for (const path of ['/api', '/apis']) {
      const { status, body } = await call(sandbox, 'GET', path, sandbox.token);
      assert.equal(status, 200);
      assert.doesNotMatch(JSON.stringify(body), /kubewars/);
    }
  });
});

describe('kubewars node stop on another cluster', () => {
  let dir: string;
  let server: Server;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubewars-node-power-other-'));
    // An API server that is not a Kube Wars sandbox (TLS with its own CA, as kubeconfigs want): every path unknown.
    mkdirSync(join(dir, 'other'));
    const tls = await sandboxTls(join(dir, 'other'), ['127.0.0.1']);
    server = createServer(tls, (_req, res) => {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end('{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    writeFileSync(
      join(dir, 'other/config'),
      `apiVersion: v1
kind: Config
clusters: [{name: other, cluster: {server: 'https://127.0.0.1:${port}', certificate-authority-data: ${Buffer.from(tls.ca).toString('base64')}}}]
users: [{name: admin, user: {token: not-a-sandbox}}]
contexts: [{name: other, context: {cluster: other, user: admin}}]
current-context: other
`,
    );
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  test('it refuses in one line and points at stopping the machine instead', async () => {
    const { code, output } = await runKubewars(['node', 'stop', 'worker-1', '--kubeconfig', 'other/config'], {
      cwd: dir,
    });
    assert.equal(code, 1);
    assert.equal(output.split('\n').filter(Boolean).length, 1, output);
    assert.match(output, /works only on the Kube Wars sandbox/);
    assert.match(output, /`vagrant halt worker-1`/);
    assert.match(output, /`kubewars cluster ssh worker-1`/);
    // KUBECONFIG names the cluster kubectl watches: it wins over a sandbox kubeconfig in the working directory.
    mkdirSync(join(dir, '.kubewars'));
    writeFileSync(join(dir, '.kubewars/sandbox.kubeconfig'), 'not read');
    const fromEnv = await runKubewars(['node', 'start', 'worker-1'], {
      cwd: dir,
      env: { KUBECONFIG: 'other/config' },
    });
    assert.equal(fromEnv.code, 1);
    assert.match(fromEnv.output, /^kubewars: `kubewars node start` works only on the Kube Wars sandbox/);
  });
});

describe('the eviction timeout of `kubewars sandbox`', () => {
  for (const [how, args, env] of [
    ['--node-eviction-timeout', ['--node-eviction-timeout', '7'], {}],
    ['KUBEWARS_NODE_EVICTION_TIMEOUT', [], { KUBEWARS_NODE_EVICTION_TIMEOUT: '7' }],
  ] as const) {
    test(`${how} sets how long a stopped node's pods stay`, async () => {
      const running = spawnKubewars(['sandbox', '--port', '0', ...args], { env });
      try {
        await running.waitFor(/Sandbox cluster listening on/);
        const { code, output } = await runKubewars(['node', 'stop', 'worker-2'], {
          cwd: running.cwd,
          env: noKubeconfig,
        });
        assert.equal(code, 0, output);
        assert.match(
          output,
          /^worker-2 stopped: its pods are evicted after 7 s unless they tolerate longer;/,
        );
      } finally {
        await running.stop();
        rmSync(running.cwd, { recursive: true, force: true });
      }
    });
  }
});
