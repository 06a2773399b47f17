import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { applyUpLine, initialProgress, markFailed, renderProgress } from '../../../server/vagrant/progress.ts';
import type { UpProgress } from '../../../server/vagrant/progress.ts';

// A `vagrant up` transcript in VirtualBox's wording (vagrant 2.3's en.yml), with our scripts' step lines.
const transcript = readFileSync(new URL('fixtures/vagrant-up-virtualbox.txt', import.meta.url), 'utf8').split('\n');

function replay(lines: readonly string[], start: UpProgress = initialProgress(['control-plane', 'worker-1'])) {
  return lines.reduce(applyUpLine, start);
}

function phaseAfter(line: string, vm = 'control-plane'): string {
  const index = transcript.indexOf(line);
  assert.ok(index >= 0, `fixture lacks ${line}`);
  const vmState = replay(transcript.slice(0, index + 1)).vms[vm];
  return `${vmState?.phase}: ${vmState?.detail}`;
}

describe('vagrant up progress', () => {
  test('every VM waits before vagrant reaches it', () => {
    assert.deepEqual(renderProgress(initialProgress(['control-plane', 'worker-1'])), [
      '· control-plane  waiting',
      '· worker-1       waiting',
    ]);
  });

  test('golden cases: the line seen → the VM phase and detail', () => {
    const cases: Array<[string, string]> = [
      ["==> control-plane: Box 'bento/ubuntu-24.04' could not be found. Attempting to find and install...", 'downloading box: box not cached yet'],
      ['    control-plane: Progress: 42% (Rate: 11.2M/s, Estimated time remaining: 0:00:51)', 'downloading box: 42%'],
      ["==> control-plane: Importing base box 'bento/ubuntu-24.04'...", 'booting: creating the VM from the box'],
      ['==> control-plane: Booting VM...', 'booting: starting'],
      ['==> control-plane: Waiting for machine to boot. This may take a few minutes...', 'booting: waiting for SSH'],
      ['==> control-plane: Machine booted and ready!', 'configuring: booted'],
      ['==> control-plane: Mounting shared folders...', 'configuring: shared folder'],
      ['==> control-plane: Running provisioner: common (shell)...', 'provisioning: common script'],
      ['    control-plane: [kubewars] step: kubeadm, kubelet and kubectl 1.35', 'provisioning: kubeadm, kubelet and kubectl 1.35'],
      ['    control-plane: [kubewars] step: flannel v0.27.4 on enp0s8', 'provisioning: flannel v0.27.4 on enp0s8'],
      ['    control-plane: [kubewars] step: control plane ready', 'joined: control plane up'],
    ];
    for (const [line, expected] of cases) assert.equal(phaseAfter(line), expected, line);
  });

  test('detail lines that say nothing about progress leave the state as it was', () => {
    const before = replay(transcript.slice(0, 40));
    assert.equal(applyUpLine(before, '    control-plane: SSH username: vagrant'), before);
    assert.equal(applyUpLine(before, '    control-plane: [preflight] Running pre-flight checks'), before);
    assert.equal(applyUpLine(before, 'some line without a machine prefix'), before);
  });

  test('after the whole transcript both VMs have joined', () => {
    assert.deepEqual(renderProgress(replay(transcript)), [
      '✓ control-plane  joined           control plane up',
      '✓ worker-1       joined           joined the cluster',
    ]);
  });

  test('a worker moves while the control plane stays joined, even with interleaved lines', () => {
    const done = replay(transcript.slice(0, transcript.indexOf('==> worker-1: Cloning VM...')));
    const interleaved = replay(
      ['==> worker-1: Booting VM...', '    control-plane: [preflight] noise', '==> worker-1: Machine booted and ready!'],
      done,
    );
    assert.equal(interleaved.vms['control-plane']?.phase, 'joined');
    assert.equal(interleaved.vms['worker-1']?.phase, 'configuring');
  });

  test('a machine vagrant brings up but the plan did not name still gets a line', () => {
    const progress = replay(["Bringing machine 'worker-9' up with 'libvirt' provider..."]);
    assert.deepEqual(progress.vms['worker-9'], { name: 'worker-9', phase: 'waiting', detail: 'libvirt provider' });
  });

  test('a VM already provisioned on a second `up` counts as joined', () => {
    const progress = replay([
      '==> worker-1: Machine already provisioned. Run `vagrant provision` or use the `--provision`',
    ]);
    assert.equal(progress.vms['worker-1']?.phase, 'joined');
  });

  test('a failure is pinned on the VM vagrant was working on, never on a joined one', () => {
    const halfway = replay(transcript.slice(0, transcript.indexOf('    worker-1: [kubewars] step: containerd') + 1));
    const failed = markFailed(halfway, 'provisioning');
    assert.equal(failed.vms['worker-1']?.phase, 'failed');
    assert.equal(failed.vms['worker-1']?.detail, 'containerd: provisioning');
    assert.equal(failed.vms['control-plane']?.phase, 'joined');
    const joined = replay(transcript);
    assert.equal(markFailed(joined, 'boot-timeout'), joined);
  });
});
