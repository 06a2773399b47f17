// A Windows clone made without .gitattributes (or by a Git that ignored it) has CRLF files. Vagrant's shell
// provisioner converts the script it uploads (`gsub(/\r\n?$/, "\n")` unless `binary`), but lib.sh, join.sh and the
// prefetch cache are read from the shared folder as they are: the scripts must still run.
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { execa } from 'execa';
import { projectRoot } from '../../support/kubewars.ts';
import { called, fakeNode, scriptsDir } from './provisioning-harness.ts';

const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');
/** What Vagrant does to the uploaded script (plugins/provisioners/shell/provisioner.rb). */
const vagrantUpload = (text: string) => text.replace(/\r\n?$/gm, '\n');
/** The checkout: every file CRLF; the script Vagrant runs converted back, as Vagrant does. */
const windowsCheckout = (name: string, text: string) => (name === 'lib.sh' ? crlf(text) : vagrantUpload(crlf(text)));

describe('provisioning from a CRLF checkout', () => {
  test('.gitattributes pins the scripts, the Vagrantfile and the settings to LF', async () => {
    const files = [
      ...readdirSync(scriptsDir).map((name) => `vagrant/scripts/${name}`),
      'vagrant/Vagrantfile',
      'vagrant/settings.yaml',
      'vagrant/addons/game/demo-fleets.yaml',
    ];
    const { stdout } = await execa('git', ['check-attr', 'eol', '--', ...files], { cwd: projectRoot });
    assert.deepEqual(
      stdout.split('\n'),
      files.map((file) => `${file}: eol: lf`),
    );
  });

  test('a CRLF lib.sh breaks a plain `source` (what the scripts must avoid)', async () => {
    const node = fakeNode({}, windowsCheckout);
    const script = join(node.root, 'plain-source.sh');
    writeFileSync(script, `set -euo pipefail\nsource "${node.sharedDir}/scripts/lib.sh"\nstep works\n`);
    const result = await execa('bash', [script], { reject: false, all: true });
    assert.notEqual(result.exitCode, 0);
    assert.match(result.all ?? '', /\$'\\r': command not found|syntax error/);
  });

  test('control-plane.sh initialises the node', async () => {
    const node = fakeNode({}, windowsCheckout);
    writeFileSync(join(node.sharedDir, 'cache', 'kube-flannel-v0.27.4.yml'), crlf('- --kube-subnet-mgr\n'));
    const run = await node.run('control-plane.sh');
    assert.equal(run.exitCode, 0, run.output);
    assert.equal(called(run, 'kubeadm init').length, 1);
    assert.match(run.output, /step: control plane ready/);
  });

  test('worker.sh joins with a CRLF join.sh', async () => {
    const node = fakeNode({}, windowsCheckout);
    node.write('vagrant/configs/join.sh', crlf('#!/usr/bin/env bash\nset -euo pipefail\nkubeadm join 192.168.56.10:6443\n'));
    const run = await node.run('worker.sh', { NODE_IP: '192.168.56.11' });
    assert.equal(run.exitCode, 0, run.output);
    assert.deepEqual(called(run, 'kubeadm join'), ['kubeadm join 192.168.56.10:6443']);
  });

  test('common.sh gets past its checks to the first change', async () => {
    const node = fakeNode({}, windowsCheckout);
    const run = await node.run('common.sh');
    assert.equal(run.exitCode, 97, run.output);
  });

  test('addons.sh applies the game manifests', async () => {
    const node = fakeNode({}, windowsCheckout);
    const run = await node.run('addons.sh', { GAME_MANIFESTS: 'true' });
    assert.equal(run.exitCode, 0, run.output);
    assert.equal(called(run, 'kubectl apply').length, 1);
  });
});
