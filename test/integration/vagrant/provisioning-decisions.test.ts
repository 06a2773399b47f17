// What the provisioning scripts decide on a re-run, for each state a laptop's node can be left in: they run for
// real with stubbed kubeadm/kubectl/systemctl (provisioning-harness.ts) and the stubs' log shows the decision.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { called, fakeNode } from './provisioning-harness.ts';

describe('control-plane.sh on a re-run', () => {
  test('a fresh node runs kubeadm init once and records that it completed', async () => {
    const node = fakeNode();
    const run = await node.run('control-plane.sh');
    assert.equal(run.exitCode, 0, run.output);
    assert.equal(called(run, 'kubeadm init').length, 1);
    assert.deepEqual(called(run, 'kubeadm reset'), []);
    assert.ok(node.exists('var-lib-kubewars/kubeadm-init-done'));
    assert.match(readFileSync(join(node.sharedDir, 'configs', 'join.sh'), 'utf8'), /kubeadm join 192\.168\.56\.10:6443/);
    assert.match(run.output, /\[kubewars\] step: control plane ready/);
  });

  test('an init that timed out records nothing, and the next run resets it and initialises again', async () => {
    const failing = fakeNode({ initExit: 1 });
    const first = await failing.run('control-plane.sh');
    assert.notEqual(first.exitCode, 0);
    assert.ok(failing.exists('etc-kubernetes/admin.conf'), 'kubeadm leaves admin.conf behind');
    assert.ok(!failing.exists('var-lib-kubewars/kubeadm-init-done'));

    // The same node on the next `vagrant provision`: the API server answers, but init never reached its last phases.
    const second = await failing.run('control-plane.sh', { STUB_INIT_EXIT: '0' });
    assert.equal(second.exitCode, 0, second.output);
    const order = second.calls.filter((call) => /^kubeadm (reset|init)/.test(call)).map((call) => call.split(' ')[1]);
    assert.deepEqual(order, ['reset', 'init']);
    assert.ok(failing.exists('var-lib-kubewars/kubeadm-init-done'));
  });

  test('an init whose API server never came up is reset after waiting for it', async () => {
    const node = fakeNode({ apiServerUp: false });
    node.write('etc-kubernetes/admin.conf', 'admin');
    const run = await node.run('control-plane.sh');
    assert.equal(called(run, 'kubeadm reset -f').length, 1);
    assert.equal(called(run, 'kubeadm init').length, 1);
    assert.equal(called(run, 'sleep').length, 120, 'waited 5 minutes before the reset and 5 after the new init');
    assert.notEqual(run.exitCode, 0, 'the stubbed API server never answers');
    assert.match(run.output, /The API server did not answer within 5 minutes/);
  });

  test('an init that stopped before writing admin.conf (certificates only) is reset too', async () => {
    const node = fakeNode();
    node.write('etc-kubernetes/pki/ca.crt', 'ca');
    const run = await node.run('control-plane.sh');
    assert.equal(run.exitCode, 0, run.output);
    const order = run.calls.filter((call) => /^kubeadm (reset|init)/.test(call)).map((call) => call.split(' ')[1]);
    assert.deepEqual(order, ['reset', 'init']);
  });

  test('a completed init is left alone', async () => {
    const node = fakeNode();
    assert.equal((await node.run('control-plane.sh')).exitCode, 0);
    const again = await node.run('control-plane.sh');
    assert.equal(again.exitCode, 0, again.output);
    assert.deepEqual(called(again, 'kubeadm init'), []);
    assert.deepEqual(called(again, 'kubeadm reset'), []);
    assert.deepEqual(called(again, 'kubeadm token create'), [], 'the join token is still valid');
    assert.match(again.output, /kubeadm init \(already done\)/);
  });

  test('a cluster built before the marker existed is recognised by the objects kubeadm creates last', async () => {
    const node = fakeNode({ clusterComplete: true });
    node.write('etc-kubernetes/admin.conf', 'admin');
    const run = await node.run('control-plane.sh');
    assert.equal(run.exitCode, 0, run.output);
    assert.deepEqual(called(run, 'kubeadm reset'), []);
    assert.deepEqual(called(run, 'kubeadm init'), []);
    assert.ok(node.exists('var-lib-kubewars/kubeadm-init-done'));
  });

  // On libvirt's virtiofs the guest's owner shows on the host; chown needs root, as Vagrant's provisioner has.
  test('configs/ is handed to the host user who ran Vagrant', { skip: process.getuid?.() !== 0 && 'needs root' }, async () => {
    const node = fakeNode();
    const run = await node.run('control-plane.sh', { HOST_UID: '4242', HOST_GID: '4343' });
    assert.equal(run.exitCode, 0, run.output);
    for (const path of ['', 'config', 'join.sh']) {
      const stats = statSync(join(node.sharedDir, 'configs', path));
      assert.deepEqual([stats.uid, stats.gid], [4242, 4343], path || 'configs/');
    }
  });

  test('the prefetched flannel manifest is applied without any download', async () => {
    const node = fakeNode();
    const run = await node.run('control-plane.sh');
    assert.deepEqual(called(run, 'curl'), []);
    const applied = readFileSync(join(node.root, 'etc-kubewars', 'kube-flannel-v0.27.4-enp0s8.yml'), 'utf8');
    assert.match(applied, /- --iface=enp0s8/);
  });
});

describe("pulling prefetch's images (common.sh)", () => {
  function nodeWithImageList() {
    const node = fakeNode();
    node.write('vagrant/cache/images.txt', 'docker.io/library/busybox:1.36\r\ndocker.io/library/nginx:1.27\r\n\r\n');
    // common.sh's step, alone: the rest of common.sh changes the machine it runs on.
    node.write(
      'vagrant/scripts/pull-images.sh',
      `set -euo pipefail\nsource <(tr -d '\\r' <"$SHARED_DIR/scripts/lib.sh")\npull_prefetched_images\necho pulled\n`,
    );
    return node;
  }

  test('pulls only the listed images containerd lacks', async () => {
    const run = await nodeWithImageList().run('pull-images.sh', { STUB_PRESENT_IMAGES: 'docker.io/library/busybox:1.36' });
    assert.equal(run.exitCode, 0, run.output);
    assert.deepEqual(called(run, 'crictl pull'), ['crictl pull docker.io/library/nginx:1.27']);
  });

  test('a pull that fails stops provisioning and says to prefetch again', async () => {
    const run = await nodeWithImageList().run('pull-images.sh', { STUB_PULL_EXIT: '1' });
    assert.equal(run.exitCode, 1);
    assert.match(run.output, /Could not pull docker\.io\/library\/busybox:1\.36: .*`kubewars cluster prefetch` again/);
    assert.doesNotMatch(run.output, /pulled/);
  });

  test('without a list nothing is pulled', async () => {
    const node = nodeWithImageList();
    node.write('vagrant/cache/images.txt', '');
    const run = await node.run('pull-images.sh');
    assert.equal(run.exitCode, 0, run.output);
    assert.deepEqual(run.calls, []);
  });
});

describe('addons.sh', () => {
  test("applies metrics-server from prefetch's manifest, patched for kubeadm's kubelet certificates", async () => {
    const node = fakeNode();
    node.write(
      'vagrant/cache/metrics-server-v0.8.0.yaml',
      '        args:\n        - --cert-dir=/tmp\n        image: registry.k8s.io/metrics-server/metrics-server:v0.8.0\n',
    );
    const run = await node.run('addons.sh', { METRICS_SERVER: 'true' });
    assert.equal(run.exitCode, 0, run.output);
    assert.deepEqual(called(run, 'curl'), []);
    assert.equal(called(run, 'kubectl apply').length, 1);
    const applied = readFileSync(join(node.root, 'etc-kubewars', 'metrics-server-v0.8.0-insecure-tls.yaml'), 'utf8');
    assert.match(applied, /- --cert-dir=\/tmp\n {8}- --kubelet-insecure-tls\n/);
  });

  test("installs local-path-provisioner from prefetch's manifest and makes its class the default", async () => {
    const node = fakeNode();
    node.write('vagrant/cache/local-path-storage-v0.0.32.yaml', 'image: rancher/local-path-provisioner:v0.0.32\n');
    const run = await node.run('addons.sh', { STORAGE: 'true' });
    assert.equal(run.exitCode, 0, run.output);
    assert.deepEqual(called(run, 'curl'), []);
    assert.deepEqual(called(run, 'kubectl'), [
      `kubectl apply -f ${join(node.root, 'etc-kubewars', 'local-path-storage-v0.0.32.yaml')}`,
      'kubectl annotate storageclass local-path storageclass.kubernetes.io/is-default-class=true --overwrite',
    ]);
  });

  test('installs Contour without always-pull, and its IngressClass as the default', async () => {
    const node = fakeNode();
    node.write(
      'vagrant/cache/contour-v1.33.0.yaml',
      'image: ghcr.io/projectcontour/contour:v1.33.0\nimagePullPolicy: Always\n',
    );
    const run = await node.run('addons.sh', { INGRESS: 'true' });
    assert.equal(run.exitCode, 0, run.output);
    assert.deepEqual(called(run, 'curl'), []);
    const applied = readFileSync(join(node.root, 'etc-kubewars', 'contour-v1.33.0-offline.yaml'), 'utf8');
    assert.equal(applied, 'image: ghcr.io/projectcontour/contour:v1.33.0\nimagePullPolicy: IfNotPresent\n');
    assert.deepEqual(called(run, 'kubectl'), [
      `kubectl apply -f ${join(node.root, 'etc-kubewars', 'contour-v1.33.0-offline.yaml')}`,
      `kubectl apply -f ${join(node.sharedDir, 'addons', 'ingress', 'contour-ingressclass.yaml')}`,
    ]);
  });
});

describe('worker.sh on a re-run', () => {
  function workerWithJoinCommand(behaviour: Parameters<typeof fakeNode>[0] = {}) {
    const node = fakeNode(behaviour);
    node.write('vagrant/configs/join.sh', '#!/usr/bin/env bash\nset -euo pipefail\nkubeadm join 192.168.56.10:6443\n');
    return node;
  }

  test('a fresh node joins and records that it completed', async () => {
    const node = workerWithJoinCommand();
    const run = await node.run('worker.sh', { NODE_IP: '192.168.56.11' });
    assert.equal(run.exitCode, 0, run.output);
    assert.deepEqual(called(run, 'kubeadm reset'), []);
    assert.equal(called(run, 'kubeadm join').length, 1);
    assert.ok(node.exists('var-lib-kubewars/kubeadm-join-done'));
  });

  test('a join that stopped part-way is reset before joining again', async () => {
    const node = workerWithJoinCommand({ joinExit: 1 });
    const first = await node.run('worker.sh', { NODE_IP: '192.168.56.11' });
    assert.notEqual(first.exitCode, 0);
    assert.ok(node.exists('etc-kubernetes/pki/ca.crt'), 'the failed join left the CA behind');
    assert.ok(!node.exists('var-lib-kubewars/kubeadm-join-done'));

    const second = await node.run('worker.sh', { NODE_IP: '192.168.56.11', STUB_JOIN_EXIT: '0' });
    assert.equal(second.exitCode, 0, second.output);
    const order = second.calls.filter((call) => /^kubeadm (reset|join)/.test(call)).map((call) => call.split(' ')[1]);
    assert.deepEqual(order, ['reset', 'join']);
    assert.ok(node.exists('var-lib-kubewars/kubeadm-join-done'));
  });

  test('a completed join is left alone', async () => {
    const node = workerWithJoinCommand();
    assert.equal((await node.run('worker.sh', { NODE_IP: '192.168.56.11' })).exitCode, 0);
    const again = await node.run('worker.sh', { NODE_IP: '192.168.56.11' });
    assert.equal(again.exitCode, 0);
    assert.deepEqual(again.calls, []);
    assert.match(again.output, /joined \(already\)/);
  });
});

describe('common.sh when kubernetes.version changes', () => {
  test('a node of a built cluster refuses a raised version before changing anything, naming the way out', async () => {
    const node = fakeNode({ kubeadmVersion: 'v1.34.2' });
    node.write('var-lib-kubewars/kubeadm-join-done');
    const run = await node.run('common.sh', { KUBERNETES_VERSION: '1.35' });
    assert.equal(run.exitCode, 1);
    assert.match(run.output, /This node runs Kubernetes 1\.34 but vagrant\/settings\.yaml asks for 1\.35/);
    assert.match(run.output, /set kubernetes\.version back to "1\.34"/);
    assert.match(run.output, /kubewars cluster destroy, then kubewars cluster up/);
    assert.match(run.output, /control plane first and one minor version at a time/);
    assert.deepEqual(
      run.calls.filter((call) => !call.startsWith('kubeadm version')),
      [],
      'nothing but the version was asked',
    );
  });

  test('a node at the asked version goes on', async () => {
    const node = fakeNode({ kubeadmVersion: 'v1.35.1' });
    node.write('var-lib-kubewars/kubeadm-init-done');
    const run = await node.run('common.sh');
    assert.equal(run.exitCode, 97, 'reached swapoff, its first change');
    assert.deepEqual(called(run, 'swapoff'), ['swapoff -a']);
  });

  test('a node not yet in a cluster may take another version', async () => {
    const node = fakeNode({ kubeadmVersion: 'v1.34.2' });
    const run = await node.run('common.sh');
    assert.equal(run.exitCode, 97, run.output);
  });
});
