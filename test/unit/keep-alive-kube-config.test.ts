import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { generate } from 'selfsigned';
import { kubeShotClient } from '../../server/game/chaos/shot.ts';
import { KeepAliveKubeConfig } from '../../server/keep-alive-kube-config.ts';
import { sandboxTls } from '../../server/sandbox/api/tls.ts';

/** An HTTPS server answering every request with an empty namespace list; counts TLS handshakes. */
async function countingServer() {
  const dir = mkdtempSync(join(tmpdir(), 'kubewars-keep-alive-'));
  const tls = await sandboxTls(dir, ['127.0.0.1']);
  const server = createServer({ key: tls.key, cert: tls.cert }, (_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ apiVersion: 'v1', kind: 'NamespaceList', metadata: {}, items: [] }));
  });
  let handshakes = 0;
  server.on('secureConnection', () => handshakes++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: c\n  cluster:\n    server: https://127.0.0.1:${port}\n    certificate-authority-data: ${Buffer.from(tls.ca).toString('base64')}`,
    'users:',
    '- name: u\n  user:\n    token: secret',
    'contexts:',
    '- name: x\n  context:\n    cluster: c\n    user: u',
    'current-context: x',
  ].join('\n');
  return {
    kubeconfig,
    handshakes: () => handshakes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        rmSync(dir, { recursive: true, force: true });
      }),
  };
}

async function handshakesFor(kubeConfig: KubeConfig): Promise<number> {
  const server = await countingServer();
  try {
    kubeConfig.loadFromString(server.kubeconfig);
    const core = kubeConfig.makeApiClient(CoreV1Api);
    for (let i = 0; i < 5; i++) await core.listNamespace();
    return server.handshakes();
  } finally {
    await server.close();
  }
}

describe('API requests through a KeepAliveKubeConfig', () => {
  test('five requests in a row share one verified TLS connection', async () => {
    assert.equal(await handshakesFor(new KeepAliveKubeConfig()), 1);
  });

  test('a new client certificate (as an exec plugin may hand out) gets a connection of its own', async () => {
    const server = await countingServer();
    try {
      const kubeConfig = new KeepAliveKubeConfig();
      kubeConfig.loadFromString(server.kubeconfig);
      const core = kubeConfig.makeApiClient(CoreV1Api);
      const user = kubeConfig.getCurrentUser() as { certData?: string; keyData?: string };
      for (const name of ['first', 'second']) {
        const pems = await generate([{ name: 'commonName', value: name }], { keyType: 'ec' });
        Object.assign(user, {
          certData: Buffer.from(pems.cert).toString('base64'),
          keyData: Buffer.from(pems.private).toString('base64'),
        });
        await core.listNamespace();
        await core.listNamespace();
      }
      assert.equal(server.handshakes(), 2);
    } finally {
      await server.close();
    }
  });

  test("a shot client's reads share one connection of their own, closed with it", async () => {
    const server = await countingServer();
    try {
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromString(server.kubeconfig);
      const shots = kubeShotClient(kubeConfig);
      for (let i = 0; i < 3; i++) await shots.readPod('default', 'ship');
      assert.equal(server.handshakes(), 1);
      shots.close();
      await shots.readPod('default', 'ship');
      assert.equal(server.handshakes(), 2);
    } finally {
      await server.close();
    }
  });

  test("client-node's own KubeConfig handshakes per request (why the class exists)", async () => {
    assert.equal(await handshakesFor(new KubeConfig()), 5);
  });
});
