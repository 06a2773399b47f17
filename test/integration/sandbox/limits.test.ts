// A room's limits on an attendee cluster, seen as a learner sees them with real kubectl 1.20 and 1.35 and
// client-node: an over-limit create is Forbidden in an apiserver's words, and a Deployment that asks for more pods
// than the limit stays at the limit with FailedCreate events on its ReplicaSet, as under a ResourceQuota.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { startSandboxHost } from '../../../server/sandbox/index.ts';
import type { SandboxCluster, SandboxHost } from '../../../server/sandbox/index.ts';
import { kubectlBinaries, kubectlFor, type KubectlResult } from '../../support/kubectl.ts';
import { until } from '../../support/until.ts';

const ok = (result: KubectlResult) => {
  assert.equal(result.exitCode, 0, `kubectl failed: ${result.stderr}`);
  return result.stdout;
};

const deployment = (name: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: web, image: 'nginx:1.27'}]
`;

describe('the limits of an attendee cluster', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubewars-limits-'));
  let host: SandboxHost;
  let rey: SandboxCluster;
  let finn: SandboxCluster;
  const paths = new Map<string, string>();

  before(async () => {
    host = await startSandboxHost({ host: '127.0.0.1', port: 0, tlsDir: join(dir, 'tls') });
    rey = await host.addCluster('rey', { token: 'rey-token-0123456789ab', speed: 'fast', podLimit: 50 });
    finn = await host.addCluster('finn', { token: 'finn-token-0123456789a', speed: 'fast', podLimit: 50 });
    for (const cluster of [rey, finn]) {
      const path = join(dir, `${cluster.id}.kubeconfig`);
      writeFileSync(path, cluster.kubeconfig({ server: host.url(), contextName: `kubewars-${cluster.id}` }));
      paths.set(cluster.id, path);
    }
  });
  after(async () => {
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a Deployment of 500 stays at the 50-pod limit, its ReplicaSet telling why in FailedCreate events', async () => {
    const [binary] = kubectlBinaries().filter((b) => b.version === '1.35');
    assert.ok(binary);
    const kubectl = kubectlFor(binary, paths.get('rey') as string);
    ok(await kubectl(['apply', '-f', '-'], { input: deployment('swarm', 500) }));
    const podCount = async () =>
      ok(await kubectl(['get', 'pods', '-l', 'app=swarm', '-o', 'name']))
        .split('\n')
        .filter(Boolean).length;
    await until('50 pods', podCount, (count) => count === 50, 30_000);
    const warnings = await until(
      'a FailedCreate event',
      async () =>
        ok(
          await kubectl([
            'get',
            'events',
            '--field-selector',
            'reason=FailedCreate',
            '-o',
            'jsonpath={range .items[*]}{.involvedObject.kind} {.type} {.count} {.message}{"\\n"}{end}',
          ]),
        ),
      (text) => text.includes('FailedCreate') || text.includes('Error creating'),
    );
    assert.match(
      warnings,
      /^ReplicaSet Warning \d+ Error creating: pods "swarm-[a-z0-9]+-" is forbidden: this attendee cluster already holds its limit of 50 pods \(the room's --attendee-pod-limit\)$/m,
    );
    // The refusals are one event counting up, not one event each.
    assert.equal(warnings.trim().split('\n').length, 1, warnings);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.equal(await podCount(), 50);
    const describe = ok(await kubectl(['describe', 'replicaset', '-l', 'app=swarm']));
    assert.match(describe, /Warning\s+FailedCreate\s+.*Error creating: pods "swarm-/);
  });

  for (const binary of kubectlBinaries()) {
    test(`kubectl ${binary.version}: a pod over the limit is Forbidden; the other cluster is untouched`, async () => {
      const kubectl = kubectlFor(binary, paths.get('rey') as string);
      await until(
        'rey at its limit',
        async () => rey.client.list({ group: '', resource: 'pods' }, { namespace: 'default' }).items.length,
        (n) => n >= 50,
        30_000,
      );
      const refused = await kubectl([
        'run',
        `extra-${binary.version.replace('.', '-')}`,
        '--image=nginx:1.27',
      ]);
      assert.equal(refused.exitCode, 1);
      assert.match(
        refused.stderr,
        /Error from server \(Forbidden\): pods "extra-1-\d+" is forbidden: this attendee cluster already holds its limit of 50 pods \(the room's --attendee-pod-limit\)/,
      );
      const other = kubectlFor(binary, paths.get('finn') as string);
      ok(await other(['run', `own-${binary.version.replace('.', '-')}`, '--image=nginx:1.27']));
    });
  }

  test('client-node gets the 403 with the apiserver’s Status', async () => {
    const config = new KubeConfig();
    config.loadFromString(rey.kubeconfig({ server: host.url(), contextName: 'kubewars-rey' }));
    const core = config.makeApiClient(CoreV1Api);
    await assert.rejects(
      core.createNamespacedPod({
        namespace: 'default',
        body: {
          metadata: { name: 'one-more' },
          spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
        },
      }),
      (error: { code?: number; body?: string }) => {
        assert.equal(error.code, 403);
        const status = JSON.parse(error.body ?? '{}') as { reason?: string; message?: string };
        assert.equal(status.reason, 'Forbidden');
        assert.match(status.message ?? '', /pods "one-more" is forbidden: .*limit of 50 pods/);
        return true;
      },
    );
  });
});
