import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { runChecks } from '../../../server/lessons/check-runner.ts';
import { checksFileSchema, type Check } from '../../../server/lessons/checks.ts';

function kubeConfigFor(server: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'learner' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u', namespace: 'default' }],
    currentContext: 'x',
  });
  return kc;
}

const checks = checksFileSchema.parse({
  checks: [
    { id: 'web', kind: 'Deployment', name: 'web', expect: { readyReplicas: '>=1' }, message: { en: 'not ready' } },
    { id: 'nodes', kind: 'Node', labelSelector: 'disk=ssd', expect: {}, message: { en: 'no node' } },
  ],
}).checks as Check[];

describe('checks the cluster will not evaluate', () => {
  // A loopback API server that refuses every request as a real one does for an account without the rights.
  let forbidding: Server;
  let url = '';
  before(async () => {
    forbidding = createServer((req, res) => {
      res.writeHead(403, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          reason: 'Forbidden',
          code: 403,
          message: `forbidden: ${req.url ?? ''}`,
        }),
      );
    });
    await new Promise<void>((resolve) => forbidding.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(forbidding.address() as AddressInfo).port}`;
  });
  after(() => forbidding.close());

  test('a 403 says Kube Wars may not read that kind there, not that the cluster is unreachable', async () => {
    const [web, nodes] = await runChecks(kubeConfigFor(url), checks, 'lesson-6', 'en');
    assert.equal(web?.passed, false);
    assert.equal(
      web?.message,
      'This check could not run: the cluster does not let Kube Wars read Deployment objects in namespace lesson-6.',
    );
    assert.match(web?.detail ?? '', /answered 403; give Kube Wars' account get and list on Deployment/);
    assert.equal(
      nodes?.message,
      'This check could not run: the cluster does not let Kube Wars read Node objects.',
    );
  });

  test('a cluster that does not answer is asked about, with the reason', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const [web] = await runChecks(kubeConfigFor(`http://127.0.0.1:${port}`), checks, 'default', 'en');
    assert.equal(web?.passed, false);
    assert.equal(web?.message, 'This check could not run: is the cluster reachable?');
    assert.match(web?.detail ?? '', /ECONNREFUSED/);
  });
});
