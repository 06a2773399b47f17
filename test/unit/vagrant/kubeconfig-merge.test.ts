import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import {
  MERGED_CONTEXT,
  mergeKubeconfig,
  mergeKubeconfigFile,
  userKubeconfigPath,
} from '../../../server/vagrant/kubeconfig-merge.ts';
import { kubectlBinaries, kubectlFor } from '../../support/kubectl.ts';

// The shape kubeadm writes to /etc/kubernetes/admin.conf (and the control plane copies to configs/config).
const adminConf = `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: Q0EtREFUQQ==
    server: https://192.168.56.10:6443
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: kubernetes-admin
  name: kubernetes-admin@kubernetes
current-context: kubernetes-admin@kubernetes
preferences: {}
users:
- name: kubernetes-admin
  user:
    client-certificate-data: Q0VSVA==
    client-key-data: S0VZ
`;

const existing = `apiVersion: v1
kind: Config
clusters:
- name: work
  cluster: { server: 'https://work.example:6443' }
- name: kubewars-vagrant
  cluster: { server: 'https://192.168.56.99:6443' }
users:
- name: me
  user: { token: secret }
contexts:
- name: work
  context: { cluster: work, user: me }
current-context: work
`;

const scratch = mkdtempSync(join(tmpdir(), 'kubewars-merge-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('kubeconfig --merge', () => {
  test('adds the cluster as kubewars-vagrant, replaces a stale entry and keeps the rest and the current context', () => {
    const merged = mergeKubeconfig(parseYaml(existing), parseYaml(adminConf));
    assert.deepEqual(merged.clusters?.map((cluster) => cluster.name), ['work', MERGED_CONTEXT]);
    assert.deepEqual(merged.clusters?.[1]?.cluster, {
      'certificate-authority-data': 'Q0EtREFUQQ==',
      server: 'https://192.168.56.10:6443',
    });
    assert.deepEqual(merged.users?.map((user) => user.name), ['me', 'kubewars-vagrant-admin']);
    assert.deepEqual(merged.contexts?.at(-1), {
      name: MERGED_CONTEXT,
      context: { cluster: MERGED_CONTEXT, user: 'kubewars-vagrant-admin' },
    });
    assert.equal(merged['current-context'], 'work');
  });

  test('into no kubeconfig at all it makes a complete one whose current context is the cluster', () => {
    const merged = mergeKubeconfig(undefined, parseYaml(adminConf));
    assert.equal(merged.apiVersion, 'v1');
    assert.equal(merged.kind, 'Config');
    assert.equal(merged['current-context'], MERGED_CONTEXT);
  });

  test('KUBECONFIG’s first file wins, else ~/.kube/config under HOME', () => {
    assert.equal(userKubeconfigPath({ KUBECONFIG: '/a/one:/a/two' }, '/home/ana'), '/a/one');
    assert.equal(userKubeconfigPath({}, '/home/ana'), '/home/ana/.kube/config');
  });

  test('the merged file is private and real kubectl sees the new context next to the old ones', async () => {
    const home = mkdtempSync(join(scratch, 'home-'));
    const source = join(scratch, 'config');
    writeFileSync(source, adminConf);
    const target = userKubeconfigPath({}, home);
    mergeKubeconfigFile(source, target);
    assert.equal(statSync(target).mode & 0o777, 0o600);
    // A second merge replaces, never duplicates.
    mergeKubeconfigFile(source, target);
    const document = parseYaml(readFileSync(target, 'utf8'));
    assert.equal(document.contexts.length, 1);

    for (const binary of kubectlBinaries()) {
      const kubectl = kubectlFor(binary, target);
      const result = await kubectl(['config', 'get-contexts', '-o', 'name']);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.equal(result.stdout.trim(), MERGED_CONTEXT, `kubectl ${binary.version}`);
      const server = await kubectl(['config', 'view', '--minify', '--context', MERGED_CONTEXT, '-o', 'jsonpath={.clusters[0].cluster.server}']);
      assert.equal(server.stdout, 'https://192.168.56.10:6443');
    }
  });

  test('a target that is not a kubeconfig is left untouched with a clear error', () => {
    const source = join(scratch, 'config-2');
    writeFileSync(source, adminConf);
    const target = join(scratch, 'not-a-kubeconfig');
    writeFileSync(target, '- just\n- a list\n');
    assert.throws(() => mergeKubeconfigFile(source, target), /not a kubeconfig/);
    assert.equal(readFileSync(target, 'utf8'), '- just\n- a list\n');
  });
});
