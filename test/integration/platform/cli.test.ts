import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runKubewars, startKubewarsPlatform } from '../../support/kubewars.ts';

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
    const { code, output } = await runKubewars([
      'start',
      '--port',
      '0',
      '--kubeconfig',
      '/nonexistent/config',
    ]);
    assert.equal(code, 1);
    assert.match(output, /Kubeconfig not found: \/nonexistent\/config/);
    assert.doesNotMatch(output, /\n\s+at /);
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
