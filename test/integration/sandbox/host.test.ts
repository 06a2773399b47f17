// One sandbox host, several clusters on one HTTPS port: each kubeconfig it hands out reaches its own cluster only,
// with real kubectl 1.20 and 1.35 and client-node; a removed cluster's token is refused; the CA outlives restarts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { MAIN_CLUSTER, startSandboxHost } from '../../../server/sandbox/index.ts';
import type { SandboxCluster, SandboxHost } from '../../../server/sandbox/index.ts';
import { kubectlBinaries, kubectlFor, type KubectlResult } from '../../support/kubectl.ts';
import { fetchTrusting } from '../../support/https-fetch.ts';
import { until } from '../../support/until.ts';

const ok = (result: KubectlResult) => {
  assert.equal(result.exitCode, 0, `kubectl failed: ${result.stderr}`);
  return result.stdout;
};

const configMap = (name: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}, namespace: default}
data: {plan: secret}
`;

const clientFor = (cluster: SandboxCluster, host: SandboxHost) => {
  const config = new KubeConfig();
  config.loadFromString(cluster.kubeconfig({ server: host.url(), contextName: `kubewars-${cluster.id}` }));
  return { config, core: config.makeApiClient(CoreV1Api) };
};

/** The serving certificate the host presents at 127.0.0.1:port. */
function servingCertificate(port: number): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const raw = socket.getPeerCertificate().raw;
      socket.end();
      resolve(new X509Certificate(raw));
    });
    socket.on('error', reject);
  });
}

describe('a sandbox host with several clusters', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubewars-host-'));
  let host: SandboxHost;
  let rey: SandboxCluster;
  let finn: SandboxCluster;
  const kubeconfigPaths = new Map<string, string>();

  before(async () => {
    host = await startSandboxHost({ host: '127.0.0.1', port: 0, tlsDir: join(dir, 'tls') });
    await host.addCluster(MAIN_CLUSTER, {
      token: 'main-token-0123456789',
      speed: 'fast',
      version: 'v1.35.0',
    });
    rey = await host.addCluster('rey', {
      token: 'rey-token-0123456789ab',
      speed: 'fast',
      version: 'v1.34.2',
    });
    finn = await host.addCluster('finn', { token: 'finn-token-0123456789a', speed: 'fast' });
    for (const cluster of [rey, finn]) {
      const path = join(dir, `${cluster.id}.kubeconfig`);
      writeFileSync(path, cluster.kubeconfig({ server: host.url(), contextName: `kubewars-${cluster.id}` }));
      kubeconfigPaths.set(cluster.id, path);
    }
  });
  after(async () => {
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const binary of kubectlBinaries()) {
    test(`kubectl ${binary.version}: each kubeconfig sees and changes its own cluster only`, async () => {
      const asRey = kubectlFor(binary, kubeconfigPaths.get('rey') as string);
      const asFinn = kubectlFor(binary, kubeconfigPaths.get('finn') as string);
      const name = `plan-${binary.version.replace('.', '-')}`;
      assert.equal(ok(await asRey(['config', 'current-context'])).trim(), 'kubewars-rey');
      ok(await asRey(['apply', '-f', '-'], { input: configMap(name) }));
      assert.match(
        ok(await asRey(['get', 'configmap', name, '-o', 'name'])),
        new RegExp(`configmap/${name}`),
      );

      const get = await asFinn(['get', 'configmap', name]);
      assert.equal(get.exitCode, 1);
      assert.match(get.stderr, new RegExp(`configmaps "${name}" not found`));
      assert.doesNotMatch(ok(await asFinn(['get', 'configmaps', '-A', '-o', 'name'])), new RegExp(name));
      const remove = await asFinn(['delete', 'configmap', name]);
      assert.match(remove.stderr, new RegExp(`configmaps "${name}" not found`));
      assert.match(ok(await asRey(['get', 'configmap', name, '-o', 'name'])), new RegExp(name));

      // Each cluster has nodes and a kube-system of its own.
      assert.match(ok(await asFinn(['get', 'nodes', '-o', 'name'])), /node\/worker-1/);
      assert.match(ok(await asRey(['version', '-o', 'json'])), /"gitVersion": "v1.34.2"/);
    });
  }

  test('client-node: a watch with one token never sees the other cluster’s objects', async () => {
    const finnClient = clientFor(finn, host);
    const seen: string[] = [];
    const watching = await new Watch(finnClient.config).watch(
      '/api/v1/configmaps',
      {},
      (_type, object: { metadata?: { name?: string } }) => seen.push(object.metadata?.name ?? ''),
      () => {},
    );
    try {
      await clientFor(rey, host).core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: 'rey-only' } },
      });
      await finnClient.core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: 'finn-own' } },
      });
      await until('finn’s watch sees finn’s configmap', async () => seen.includes('finn-own'));
      assert.ok(!seen.includes('rey-only'), `finn saw ${seen.join(', ')}`);
      const listed = await finnClient.core.listConfigMapForAllNamespaces();
      assert.ok(!listed.items.some((item) => item.metadata?.name === 'rey-only'));
    } finally {
      watching.abort();
    }
  });

  test('a ServiceAccount token of one cluster reaches that cluster only, with that cluster’s RBAC', async () => {
    for (const binary of kubectlBinaries()) {
      const kubectl = kubectlFor(binary, kubeconfigPaths.get('finn')!);
      const suffix = binary.version.replace('.', '');
      ok(await kubectl(['create', 'serviceaccount', `reader-${suffix}`]));
      ok(await kubectl(['create', 'role', `pod-reader-${suffix}`, '--verb=get,list', '--resource=pods']));
      ok(
        await kubectl([
          'create',
          'rolebinding',
          `reader-${suffix}`,
          `--role=pod-reader-${suffix}`,
          `--serviceaccount=default:reader-${suffix}`,
        ]),
      );
      ok(await kubectl(['create', 'configmap', `only-finn-${suffix}`]));
      // kubectl 1.20 predates `kubectl create token` (1.24): the token comes from 1.35 for both.
      const issuer = kubectlFor(kubectlBinaries().at(-1)!, kubeconfigPaths.get('finn')!);
      const token = ok(await issuer(['create', 'token', `reader-${suffix}`])).trim();
      const asReader = (args: string[]) => kubectl(['--token', token, ...args]);
      ok(await asReader(['get', 'pods']));
      const configMaps = await asReader(['get', 'configmaps']);
      assert.notEqual(configMaps.exitCode, 0);
      assert.match(
        configMaps.stderr,
        /system:serviceaccount:default:reader-\d+" cannot list resource "configmaps"/,
      );
      // The same token sent with rey's kubeconfig still lands in finn's cluster: the token picks it, not the file.
      const fromRey = await kubectlFor(
        binary,
        kubeconfigPaths.get('rey')!,
      )(['--token', token, 'get', 'serviceaccount', `reader-${suffix}`]);
      assert.notEqual(fromRey.exitCode, 0, 'the reader may not get service accounts');
      assert.match(fromRey.stderr, /reader-\d+/);
      assert.doesNotMatch(fromRey.stderr, /NotFound|not found/);
    }
  });

  test('exec reaches a pod of the cluster the token names', async () => {
    const kubectl = kubectlFor(kubectlBinaries().at(-1)!, kubeconfigPaths.get('rey')!);
    ok(await kubectl(['run', 'shell', '--image=busybox:1.36', '--', 'sleep', '3600']));
    await until(
      'the pod to run',
      async () =>
        (await kubectl(['get', 'pod', 'shell', '-o', 'jsonpath={.status.phase}'])).stdout === 'Running',
    );
    const out = ok(await kubectl(['exec', 'shell', '--', 'hostname']));
    assert.equal(out.trim(), 'shell');
    const other = await kubectlFor(
      kubectlBinaries().at(-1)!,
      kubeconfigPaths.get('finn')!,
    )(['exec', 'shell', '--', 'hostname']);
    assert.notEqual(other.exitCode, 0);
    assert.match(other.stderr, /pods "shell" not found/);
  });

  test('requests without a token go to the main cluster', async () => {
    const fetch = fetchTrusting(host.caCert);
    const anonymous = (await (await fetch(`${host.url()}/version`)).json()) as { gitVersion: string };
    assert.equal(anonymous.gitVersion, 'v1.35.0');
    const asRey = await fetch(`${host.url()}/version`, { headers: { Authorization: `Bearer ${rey.token}` } });
    assert.equal(((await asRey.json()) as { gitVersion: string }).gitVersion, 'v1.34.2');
    const unknown = await fetch(`${host.url()}/version`, {
      headers: { Authorization: 'Bearer nobody-knows-me' },
    });
    assert.equal(unknown.status, 401);
  });

  test('a removed cluster’s watches end and its token gets 401 from then on', async () => {
    const gone = await host.addCluster('gone', { token: 'gone-token-0123456789a', speed: 'fast' });
    const path = join(dir, 'gone.kubeconfig');
    writeFileSync(path, gone.kubeconfig({ server: host.url(), contextName: 'kubewars-gone' }));
    const { config } = clientFor(gone, host);
    let ended = false;
    await new Watch(config).watch(
      '/api/v1/namespaces/default/configmaps',
      {},
      () => {},
      () => (ended = true),
    );
    await host.removeCluster('gone');
    await until('the watch ends', async () => ended);
    assert.equal(host.cluster('gone'), undefined);
    for (const binary of kubectlBinaries()) {
      const result = await kubectlFor(binary, path)(['get', 'pods']);
      assert.equal(result.exitCode, 1);
      // 1.20 says Unauthorized, 1.35 that the server asked for credentials: both are the 401.
      assert.match(result.stderr, /Unauthorized|asked for the client to provide credentials/);
    }
    // The others carry on.
    assert.equal(host.cluster('rey'), rey);
  });

  test('cluster ids and tokens are the host’s own', async () => {
    await assert.rejects(
      host.addCluster('rey', { token: 'another-token-0123456' }),
      /already has a cluster named rey/,
    );
    await assert.rejects(host.addCluster('poe', { token: rey.token }), /needs a token of its own/);
  });
});

test('the CA outlives a restart; the serving certificate follows the addresses it must cover', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubewars-host-tls-'));
  try {
    const first = await startSandboxHost({ host: '127.0.0.1', port: 0, tlsDir: dir });
    const cluster = await first.addCluster('rey', { token: 'rey-token-0123456789ab', speed: 'fast' });
    const kubeconfigPath = join(dir, 'rey.kubeconfig');
    writeFileSync(kubeconfigPath, cluster.kubeconfig({ server: first.url(), contextName: 'kubewars-rey' }));
    const { port, caCert } = first;
    const before = await servingCertificate(port);
    assert.equal(before.checkIP('10.99.0.7'), undefined);
    assert.ok(before.checkHost('localhost'));
    await first.stop();

    const second = await startSandboxHost({
      host: '127.0.0.1',
      port,
      tlsDir: dir,
      publicAddresses: ['10.99.0.7', 'kubewars.example'],
    });
    try {
      assert.equal(second.caCert, caCert);
      assert.equal(second.url('10.99.0.7'), `https://10.99.0.7:${port}`);
      const after = await servingCertificate(port);
      assert.equal(after.checkIP('10.99.0.7'), '10.99.0.7');
      assert.equal(after.checkHost('kubewars.example'), 'kubewars.example');
      assert.ok(after.verify(new X509Certificate(caCert).publicKey));
      await second.addCluster('rey', { token: 'rey-token-0123456789ab', speed: 'fast' });
      // The kubeconfig handed out before the restart still works.
      const [binary] = kubectlBinaries().filter((b) => b.version === '1.35');
      assert.ok(binary);
      ok(await kubectlFor(binary, kubeconfigPath)(['get', 'namespaces']));
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
