import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CoreV1Api, KubeConfig, VersionApi } from '@kubernetes/client-node';
import type { GameStateView } from '../../../server/game/protocol.ts';
import { runKubewars, spawnKubewars, startKubewarsPlatform } from '../../support/kubewars.ts';
import { until } from '../../support/until.ts';

/** Runs `kubewars ARGS` to the end with stdout and stderr apart. */
async function runSeparately(args: string[]) {
  const running = spawnKubewars(args);
  let stdout = '';
  let stderr = '';
  running.child.stdout?.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
  running.child.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  // 'close' comes after both streams have ended, so nothing printed is missed.
  const code = await new Promise<number | null>((resolveExit) => running.child.on('close', resolveExit));
  return { code, stdout, stderr };
}

describe('kubewars command line', () => {
  for (const args of [['--help'], ['start', '--help'], ['sandbox', '--help'], ['cluster', '--help']]) {
    test(`\`kubewars ${args.join(' ')}\` prints usage and exits 0`, async () => {
      const { code, output } = await runKubewars(args);
      assert.equal(code, 0);
      assert.match(output, /Usage: kubewars/);
    });
  }

  test('--version prints the package version', async () => {
    const { code, output } = await runKubewars(['--version']);
    assert.equal(code, 0);
    assert.match(output.trim(), /^\d+\.\d+\.\d+$/);
  });

  test('an unknown flag exits 2 with a one-line message', async () => {
    const { code, output } = await runKubewars(['start', '--warp-speed']);
    assert.equal(code, 2);
    assert.equal(output.trim().split('\n').length, 1, output);
    assert.match(output, /unknown option '--warp-speed'/);
  });

  test('a bad port is a usage error', async () => {
    const { code, output } = await runKubewars(['start', '--port', 'ninety']);
    assert.equal(code, 2);
    assert.match(output, /port/);
  });

  test('a busy port is a one-line failure that names the flag to change', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const cwd = mkdtempSync(join(tmpdir(), 'kubewars-busy-'));
      const { code, output } = await runKubewars(['sandbox', '--port', String(port)], { cwd });
      assert.equal(code, 1);
      assert.equal(
        output.trim(),
        `kubewars: Port ${port} is already in use: stop what uses it, or choose another port (--port).`,
      );
    } finally {
      blocker.close();
    }
  });

  test('a missing kubeconfig is a one-line failure with exit 1 and no stack trace', async () => {
    const { code, stdout, stderr } = await runSeparately([
      'start',
      '--port',
      '0',
      '--kubeconfig',
      '/nonexistent/config',
    ]);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /^kubewars: Kubeconfig not found: \/nonexistent\/config — Check the path/);
  });

  test('--cluster sandbox with --kubeconfig is a one-line usage error, not a silent choice', async () => {
    const { code, output } = await runKubewars([
      'start',
      '--cluster',
      'sandbox',
      '--kubeconfig',
      '/some/config',
    ]);
    assert.equal(code, 2);
    assert.equal(output.trim().split('\n').length, 1, output);
    assert.match(output, /--cluster sandbox cannot be combined with --kubeconfig/);
  });

  test("the sandbox's shape on a kubeconfig's cluster is a usage error", async () => {
    const { code, output } = await runKubewars(['start', '--kubeconfig', '/some/config', '--nodes', '3']);
    assert.equal(code, 2);
    assert.equal(output.trim().split('\n').length, 1, output);
    assert.match(output, /--nodes applies only to the built-in sandbox/);
  });

  for (const [flag, value, message] of [
    ['--game-selector', '', /label selector/],
    ['--game-selector', '!canary', /needs at least one term a pod must carry/],
    ['--trust-proxy', 'nonsense', /a number of proxy hops/],
    ['--protected-namespaces', 'team-x,Team_Y', /"Team_Y" is not a namespace name/],
    ['--kubernetes-version', '1.35', /Kubernetes version such as/],
    ['--node-names', 'kind-control-plane', /at least one worker/],
  ] as const) {
    test(`${flag} "${value}" is a usage error`, async () => {
      const { code, output } = await runKubewars(['start', flag, value]);
      assert.equal(code, 2, output);
      assert.match(output, message);
    });
  }

  test('a bad value from a KUBEWARS_* variable names the variable', async () => {
    const { code, output } = await runKubewars(['start'], { env: { KUBEWARS_NODES: 'many' } });
    assert.equal(code, 2, output);
    assert.match(output, /KUBEWARS_NODES/);
  });

  test('--help documents the environment fallback of every game and sandbox option', async () => {
    const { output } = await runKubewars(['start', '--help']);
    for (const name of [
      'GAME_SELECTOR',
      'GAME_NAMESPACES',
      'PROTECTED_NAMESPACES',
      'NODES',
      'SPEED',
      'KUBERNETES_VERSION',
    ]) {
      assert.match(output, new RegExp(`env:\\s+KUBEWARS_${name}\\b`));
    }
    const sandbox = await runKubewars(['sandbox', '--help']);
    assert.match(sandbox.output, /--kubernetes-version <version>/);
  });

  test('an unreachable cluster is explained, not a stack trace', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'kubewars-unreachable-'));
    const config = join(dir, 'config');
    // Port 9 on loopback (discard): nothing listens there, so the connection is refused at once.
    writeFileSync(
      config,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: nowhere, cluster: {server: "http://127.0.0.1:9"}}]',
        'users: [{name: u, user: {token: t}}]',
        'contexts: [{name: nowhere, context: {cluster: nowhere, user: u}}]',
        'current-context: nowhere',
      ].join('\n'),
    );
    const { code, output } = await runKubewars(['start', '--port', '0', '--kubeconfig', config]);
    t.diagnostic(output);
    assert.equal(code, 1);
    assert.match(output, /Cannot reach the cluster "nowhere" at http:\/\/127\.0\.0\.1:9/);
    assert.doesNotMatch(output, /\n\s+at /);
  });
});

describe('kubewars start on the sandbox', () => {
  test('game options choose which pods become fleets; sandbox options shape the cluster', async () => {
    const platform = await startKubewarsPlatform([
      '--protected-namespaces',
      'team-x',
      '--game-selector',
      'game=rebels',
      '--nodes',
      '3',
      '--speed',
      'fast',
      '--kubernetes-version',
      '1.34.2',
    ]);
    try {
      const [, kubeconfigPath] = await platform.waitFor(/export KUBECONFIG=(\S+)/);
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromFile(kubeconfigPath as string);
      const core = kubeConfig.makeApiClient(CoreV1Api);

      const nodes = await core.listNode();
      assert.equal(nodes.items.length, 4, 'a control plane and 3 workers');
      assert.equal((await kubeConfig.makeApiClient(VersionApi).getCode()).gitVersion, 'v1.34.2');

      const pod = (name: string, namespace: string, player: string, game: string) =>
        core.createNamespacedPod({
          namespace,
          body: {
            metadata: { name, labels: { game, player } },
            spec: { containers: [{ name: 'ship', image: 'nginx:1.27' }] },
          },
        });
      await core.createNamespace({ body: { metadata: { name: 'team-x' } } });
      await pod('imperial', 'default', 'empire', 'starwars');
      await pod('hidden', 'team-x', 'xwing', 'rebels');
      // Created last: the watch delivers in order, so once it is a fleet the two above have been seen and left out.
      await pod('rogue-one', 'default', 'rogue', 'rebels');
      const state = await until(
        'the rogue fleet in GET /api/state',
        async () => (await (await fetch(`${platform.url}/api/state`)).json()) as GameStateView,
        (view) => view.fleets.some((fleet) => fleet.player === 'rogue'),
        30_000,
      );
      assert.deepEqual(
        state.fleets.map((fleet) => fleet.player),
        ['rogue'],
      );
    } finally {
      await platform.stop();
    }
  });

  test('`kubewars sandbox` takes the same --nodes and --kubernetes-version', async () => {
    const sandbox = spawnKubewars([
      'sandbox',
      '--port',
      '0',
      '--nodes',
      '1',
      '--kubernetes-version',
      'v1.33.1',
    ]);
    try {
      const [, kubeconfigPath] = await sandbox.waitFor(/export KUBECONFIG=(\S+)/, 120_000);
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromFile(kubeconfigPath as string);
      assert.equal((await kubeConfig.makeApiClient(CoreV1Api).listNode()).items.length, 2);
      assert.equal((await kubeConfig.makeApiClient(VersionApi).getCode()).gitVersion, 'v1.33.1');
    } finally {
      const { code } = await sandbox.stop('SIGINT');
      assert.equal(code, 0, sandbox.output());
    }
  });

  test('prints the URLs and the KUBECONFIG export, answers /healthz, and exits 0 within 2 s of Ctrl-C', async () => {
    const platform = await startKubewarsPlatform();
    try {
      const [, kubeconfig] = await platform.waitFor(/export KUBECONFIG=(\S+)/);
      assert.ok(existsSync(kubeconfig as string), 'the sandbox kubeconfig exists');
      assert.equal(kubeconfig, join(platform.cwd, '.kubewars/sandbox.kubeconfig'));
      assert.match(platform.output(), /Instructor:\s+http:\/\/127\.0\.0\.1:\d+\/instructor\?token=\S{16,}/);
      const health = await fetch(`${platform.url}/healthz`);
      assert.equal(health.status, 200);
      const missing = await fetch(`${platform.url}/no/such/page`);
      assert.equal(missing.status, 404);
      assert.deepEqual(await missing.json(), { error: 'Not found', path: '/no/such/page' });
    } finally {
      const { code, ms } = await platform.stop('SIGINT');
      assert.equal(code, 0, platform.output());
      assert.ok(ms < 2000, `stopped in ${ms} ms`);
    }
  });

  test('--kubeconfig uses an existing cluster and names its context in the banner', async () => {
    const sandbox = await startKubewarsPlatform();
    try {
      const [, kubeconfig] = await sandbox.waitFor(/export KUBECONFIG=(\S+)/);
      const platform = await startKubewarsPlatform(['--kubeconfig', kubeconfig as string]);
      try {
        assert.match(
          platform.output(),
          /running on the cluster of context "kubewars-sandbox" \(https:\/\/127\.0\.0\.1/,
        );
        assert.equal((await fetch(`${platform.url}/healthz`)).status, 200);
      } finally {
        await platform.stop();
      }
    } finally {
      await sandbox.stop();
    }
  });
});
