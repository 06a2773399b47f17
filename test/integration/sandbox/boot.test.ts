// The sandbox's first answer shows a cluster as `kubeadm init` leaves it (issue 15): the control plane's static pods,
// kube-proxy, CoreDNS and flannel Running 1/1 and every node Ready, at realistic speed, with kubectl 1.20 and 1.35;
// the same for a cluster a room's host adds for an attendee, and for a sandbox restored from its state file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { startSandbox, startSandboxHost } from '../../../server/sandbox/index.ts';
import { kubectlBinaries, kubectlFor, type KubectlBinary } from '../../support/kubectl.ts';

const dir = mkdtempSync(join(tmpdir(), 'kubewars-boot-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** `kubectl get` rows as column → value maps (header names as kubectl prints them). */
function rows(table: string): Record<string, string>[] {
  const [header = '', ...lines] = table.trim().split('\n');
  const names = header.split(/\s{2,}/);
  return lines.map((line) => Object.fromEntries(line.split(/\s{2,}/).map((cell, i) => [names[i], cell])));
}

const CONTROL_PLANE = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];

/** The first two commands a learner types: every system pod Running 1/1, every node Ready. */
async function assertBooted(binary: KubectlBinary, kubeconfigPath: string, workers = 2): Promise<void> {
  const kubectl = kubectlFor(binary, kubeconfigPath);
  const pods = await kubectl(['get', 'pods', '-n', 'kube-system']);
  assert.equal(pods.exitCode, 0, pods.stderr);
  const system = rows(pods.stdout);
  const names = system.map((row) => row.NAME ?? '');
  for (const component of CONTROL_PLANE)
    assert.ok(names.includes(`${component}-control-plane`), `${component} missing:\n${pods.stdout}`);
  assert.equal(names.filter((name) => name.startsWith('kube-proxy-')).length, workers + 1, pods.stdout);
  assert.equal(names.filter((name) => name.startsWith('coredns-')).length, 2, pods.stdout);
  assert.deepEqual(
    system.filter((row) => row.STATUS !== 'Running' || row.READY !== '1/1').map((row) => row.NAME),
    [],
    `every kube-system pod Running 1/1 at the first answer:\n${pods.stdout}`,
  );

  const flannel = await kubectl(['get', 'pods', '-n', 'kube-flannel']);
  assert.equal(flannel.exitCode, 0, flannel.stderr);
  assert.equal(rows(flannel.stdout).length, workers + 1, flannel.stdout);
  assert.ok(rows(flannel.stdout).every((row) => row.STATUS === 'Running' && row.READY === '1/1'));

  const nodes = await kubectl(['get', 'nodes']);
  assert.equal(nodes.exitCode, 0, nodes.stderr);
  assert.equal(rows(nodes.stdout).length, workers + 1, nodes.stdout);
  assert.ok(
    rows(nodes.stdout).every((row) => row.STATUS === 'Ready'),
    nodes.stdout,
  );
}

describe('the sandbox boots as kubeadm hands a cluster over', () => {
  for (const binary of kubectlBinaries()) {
    test(`kubectl ${binary.version}: the first answer of a realistic sandbox shows the system running`, async () => {
      const sandbox = await startSandbox({
        port: 0,
        kubeconfigOut: join(dir, `single-${binary.version}`, 'config'),
        speed: 'realistic',
      });
      try {
        await assertBooted(binary, sandbox.kubeconfigPath);
      } finally {
        await sandbox.stop();
      }
    });
  }

  test('an attendee cluster a room adds answers its first request the same way', async () => {
    const host = await startSandboxHost({ host: '127.0.0.1', port: 0, tlsDir: join(dir, 'host') });
    try {
      await host.addCluster('main', { token: 'boot-main-token-0123456789', speed: 'realistic' });
      for (const [index, binary] of kubectlBinaries().entries()) {
        const attendee = await host.addCluster(`rey-${index}`, {
          token: `boot-rey-${index}-token-0123456789`,
          speed: 'realistic',
          nodes: 1,
        });
        const path = join(dir, `rey-${index}.kubeconfig`);
        writeFileSync(path, attendee.kubeconfig({ server: host.url(), contextName: 'kubewars-rey' }));
        await assertBooted(binary, path, 1);
      }
    } finally {
      await host.stop();
    }
  });

  test('a sandbox restored from its state file keeps its objects and boots the same way', async () => {
    const statePath = join(dir, 'state.json');
    const kubeconfigOut = join(dir, 'restored', 'config');
    const [binary] = kubectlBinaries().slice(-1);
    assert.ok(binary);
    let sandbox = await startSandbox({ port: 0, kubeconfigOut, statePath, speed: 'realistic' });
    const created = await kubectlFor(
      binary,
      sandbox.kubeconfigPath,
    )(['create', 'configmap', 'kept', '--from-literal=plan=death-star']);
    assert.equal(created.exitCode, 0, created.stderr);
    const before = sandbox.client.list({ group: '', resource: 'pods' }, { namespace: 'kube-system' });
    await sandbox.stop();

    sandbox = await startSandbox({ port: 0, kubeconfigOut, statePath, speed: 'realistic' });
    try {
      await assertBooted(binary, sandbox.kubeconfigPath);
      const kept = await kubectlFor(
        binary,
        sandbox.kubeconfigPath,
      )(['get', 'configmap', 'kept', '-o', 'jsonpath={.data.plan}']);
      assert.equal(kept.stdout, 'death-star', kept.stderr);
      // The restored system pods are the same ones, not a second set.
      const after = sandbox.client.list({ group: '', resource: 'pods' }, { namespace: 'kube-system' });
      assert.deepEqual(
        after.items.map((pod) => pod.metadata.uid).sort(),
        before.items.map((pod) => pod.metadata.uid).sort(),
      );
    } finally {
      await sandbox.stop();
    }
  });
});
