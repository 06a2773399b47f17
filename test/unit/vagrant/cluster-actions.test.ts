import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { V1Node } from '@kubernetes/client-node';
import { UserError } from '../../../server/errors.ts';
import {
  clusterDestroy,
  clusterDoctor,
  clusterKubeconfig,
  clusterPrefetch,
  clusterSsh,
  clusterStatus,
  clusterUp,
} from '../../../server/vagrant/cluster-actions.ts';
import type { ClusterDeps } from '../../../server/vagrant/cluster-actions.ts';
import type { HostFacts } from '../../../server/vagrant/doctor.ts';
import type { VagrantResult } from '../../../server/vagrant/vagrant-process.ts';
import { shippedSettingsYaml } from './edit-settings.ts';
import { readyLaptop as laptop } from './host-facts.ts';

const upTranscript = readFileSync(new URL('fixtures/vagrant-up-virtualbox.txt', import.meta.url), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'kubewars-cluster-actions-'));
after(() => rmSync(scratch, { recursive: true, force: true }));


function readyNode(name: string): V1Node {
  return { metadata: { name }, status: { conditions: [{ type: 'Ready', status: 'True' }] } };
}

interface Harness {
  deps: ClusterDeps;
  output: () => string;
  vagrantCalls: string[][];
}

/** A vagrant/ folder with the shipped settings and fakes for vagrant, the host and the API. */
function harness(options: {
  facts?: HostFacts;
  vagrant?: (args: string[], onLine?: (line: string) => void) => VagrantResult;
  nodes?: () => V1Node[];
  isTerminal?: boolean;
  answer?: boolean;
  env?: NodeJS.ProcessEnv;
}): Harness {
  const vagrantDir = mkdtempSync(join(scratch, 'vagrant-'));
  writeFileSync(join(vagrantDir, 'settings.yaml'), shippedSettingsYaml);
  let written = '';
  const vagrantCalls: string[][] = [];
  let now = 0;
  const deps: ClusterDeps = {
    vagrantDir,
    logPath: join(scratch, 'cwd', '.kubewars', 'vagrant.log'),
    write: (text) => void (written += text),
    isTerminal: options.isTerminal ?? false,
    env: options.env ?? {},
    home: join(vagrantDir, 'home'),
    vagrant: {
      async run(args, onLine) {
        vagrantCalls.push(args);
        return options.vagrant ? options.vagrant(args, onLine) : { exitCode: 0, output: '' };
      },
      async interactive(args) {
        vagrantCalls.push(args);
        return 0;
      },
    },
    hostFacts: async () => options.facts ?? laptop,
    listNodes: () => async () => (options.nodes ?? (() => []))(),
    confirm: async () => options.answer ?? false,
    now: () => now,
    sleep: async (ms) => void (now += ms),
  };
  return { deps, output: () => written, vagrantCalls };
}

/** Plays the transcript like `vagrant up` and leaves configs/ behind as the control plane's script does. */
function successfulUp(vagrantDir: () => string) {
  return (_args: string[], onLine?: (line: string) => void): VagrantResult => {
    for (const line of upTranscript.split('\n')) onLine?.(line);
    mkdirSync(join(vagrantDir(), 'configs'), { recursive: true });
    writeFileSync(join(vagrantDir(), 'configs', 'config'), 'apiVersion: v1\nkind: Config\n');
    return { exitCode: 0, output: upTranscript };
  };
}

describe('cluster up', () => {
  test('without a provider it stops after the preflight, before vagrant runs', async () => {
    const { deps, output, vagrantCalls } = harness({ facts: { ...laptop, virtualBoxVersion: undefined } });
    await assert.rejects(clusterUp(deps), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.match(error.message, /^Cannot create the cluster: no VM provider/);
      assert.match(error.hint ?? '', /Install VirtualBox/);
      return true;
    });
    assert.deepEqual(vagrantCalls, []);
    assert.match(output(), /FAIL {2}VM provider/);
  });

  test('brings the VMs up one at a time, shows each VM joining, waits for Ready and prints KUBECONFIG', async () => {
    let dir = '';
    const h = harness({
      vagrant: successfulUp(() => dir),
      nodes: () => ['control-plane', 'worker-1', 'worker-2'].map(readyNode),
    });
    dir = h.deps.vagrantDir;
    await clusterUp(h.deps);
    assert.deepEqual(h.vagrantCalls, [['up', '--provider', 'virtualbox', '--no-parallel', '--provision']]);
    const printed = h.output();
    assert.match(printed, /… control-plane +provisioning +kubeadm init/);
    assert.match(printed, /✓ worker-1 +joined +joined the cluster/);
    assert.match(printed, new RegExp(`export KUBECONFIG=${join(dir, 'configs', 'config')}`));
    assert.match(printed, /kubewars start --kubeconfig .*configs\/config/);
  });

  test('a failed download becomes one explanation, the next step and the log path', async () => {
    const output =
      "==> control-plane: Adding box 'bento/ubuntu-24.04' (v202508.03.0) for provider: virtualbox\nAn error occurred while downloading the remote file. The error\nmessage, if any, is reproduced below.\n\nCould not resolve host: vagrantcloud.com";
    const h = harness({
      vagrant: (_args, onLine) => {
        for (const line of output.split('\n')) onLine?.(line);
        return { exitCode: 1, output };
      },
    });
    await assert.rejects(clusterUp(h.deps), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.equal(error.message, 'The box could not be downloaded (no network, proxy or a blocked download).');
      assert.match(error.hint ?? '', /kubewars cluster prefetch.*Full log: .*\.kubewars\/vagrant\.log$/);
      return true;
    });
    assert.match(h.output(), /✗ control-plane +failed +downloading: box-download/);
  });

  test('nodes that never become Ready are named after the deadline', async () => {
    let dir = '';
    const h = harness({ vagrant: successfulUp(() => dir), nodes: () => [readyNode('control-plane')] });
    dir = h.deps.vagrantDir;
    await assert.rejects(clusterUp(h.deps), /Nodes not Ready after 10 minutes: worker-1, worker-2\./);
  });
});

describe('cluster status, destroy, kubeconfig, prefetch, ssh, doctor', () => {
  const runningStatus = ['control-plane', 'worker-1', 'worker-2']
    .flatMap((name, index) => [
      `1763800000,${name},provider-name,virtualbox`,
      `1763800000,${name},state,${index === 2 ? 'poweroff' : 'running'}`,
      `1763800000,${name},state-human-short,${index === 2 ? 'poweroff' : 'running'}`,
    ])
    .join('\n');

  test('status shows each VM, its node readiness from the API and its address', async () => {
    const h = harness({
      vagrant: () => ({ exitCode: 0, output: runningStatus }),
      nodes: () => [readyNode('control-plane'), { metadata: { name: 'worker-1' }, status: {} }],
    });
    mkdirSync(join(h.deps.vagrantDir, 'configs'));
    writeFileSync(join(h.deps.vagrantDir, 'configs', 'config'), '');
    await clusterStatus(h.deps);
    assert.deepEqual(h.vagrantCalls, [['status', '--machine-readable']]);
    const lines = h.output().split('\n');
    assert.match(lines[0] ?? '', /^NODE +VM +KUBERNETES +ADDRESS$/);
    assert.match(lines[1] ?? '', /^control-plane +running +Ready +192\.168\.56\.10$/);
    assert.match(lines[2] ?? '', /^worker-1 +running +NotReady +192\.168\.56\.11$/);
    assert.match(lines[3] ?? '', /^worker-2 +poweroff +- +192\.168\.56\.12$/);
    assert.match(h.output(), /API: reachable/);
  });

  test('status says when the API does not answer instead of failing', async () => {
    const h = harness({
      vagrant: () => ({ exitCode: 0, output: runningStatus }),
      nodes: () => {
        throw new Error('connect ECONNREFUSED 192.168.56.10:6443');
      },
    });
    mkdirSync(join(h.deps.vagrantDir, 'configs'));
    writeFileSync(join(h.deps.vagrantDir, 'configs', 'config'), '');
    await clusterStatus(h.deps);
    assert.match(h.output(), /API: not reachable \(connect ECONNREFUSED 192\.168\.56\.10:6443\)/);
  });

  test("status explains vagrant's machine-readable error", async () => {
    const h = harness({
      vagrant: () => ({
        exitCode: 1,
        output:
          '1763800000,,error-exit,Vagrant::Errors::NoDefaultProvider,No usable default provider could be found for your system.\\n\\nVagrant relies',
      }),
    });
    await assert.rejects(clusterStatus(h.deps), /No usable VM provider/);
  });

  test('destroy without a terminal needs --yes and touches nothing', async () => {
    const h = harness({});
    await assert.rejects(clusterDestroy(h.deps, { yes: false }), /Add --yes|destroy deletes every VM/);
    assert.deepEqual(h.vagrantCalls, []);
  });

  test('destroy asks on a terminal and does nothing on no', async () => {
    const h = harness({ isTerminal: true, answer: false });
    await clusterDestroy(h.deps, { yes: false });
    assert.deepEqual(h.vagrantCalls, []);
    assert.match(h.output(), /Nothing deleted/);
  });

  test('destroy --yes removes the VMs and the stale kubeconfig and join command', async () => {
    const h = harness({});
    const configs = join(h.deps.vagrantDir, 'configs');
    mkdirSync(configs);
    writeFileSync(join(configs, 'config'), '');
    writeFileSync(join(configs, 'join.sh'), '');
    await clusterDestroy(h.deps, { yes: true });
    assert.deepEqual(h.vagrantCalls, [['destroy', '--force']]);
    assert.ok(!existsSync(join(configs, 'config')));
    assert.ok(!existsSync(join(configs, 'join.sh')));
  });

  test('kubeconfig prints the path, or says to run up first', async () => {
    const h = harness({});
    await assert.rejects(clusterKubeconfig(h.deps, { merge: false }), /No cluster kubeconfig yet.*/);
    mkdirSync(join(h.deps.vagrantDir, 'configs'));
    writeFileSync(join(h.deps.vagrantDir, 'configs', 'config'), '');
    await clusterKubeconfig(h.deps, { merge: false });
    assert.equal(h.output(), `${join(h.deps.vagrantDir, 'configs', 'config')}\n`);
  });

  test('kubeconfig --merge writes into the KUBECONFIG file, never elsewhere', async () => {
    const target = join(scratch, 'merge-target', 'config');
    const h = harness({ env: { KUBECONFIG: target } });
    mkdirSync(join(h.deps.vagrantDir, 'configs'));
    writeFileSync(
      join(h.deps.vagrantDir, 'configs', 'config'),
      'clusters: [{name: k, cluster: {server: "https://192.168.56.10:6443"}}]\nusers: [{name: a, user: {token: t}}]\ncontexts: [{name: c, context: {cluster: k, user: a}}]\ncurrent-context: c\n',
    );
    await clusterKubeconfig(h.deps, { merge: true });
    assert.match(readFileSync(target, 'utf8'), /name: kubewars-vagrant/);
    assert.ok(!existsSync(join(h.deps.home, '.kube')));
    assert.match(h.output(), /kubectl config use-context kubewars-vagrant/);
  });

  test('prefetch downloads the pinned box for the provider and lists the image pulls per node', async () => {
    const h = harness({});
    await clusterPrefetch(h.deps, {});
    assert.deepEqual(h.vagrantCalls, [
      ['box', 'add', 'bento/ubuntu-24.04', '--box-version', '202508.03.0', '--provider', 'virtualbox'],
    ]);
    assert.match(h.output(), /vagrant ssh worker-2 -c 'sudo crictl pull docker\.io\/library\/nginx:1\.27'/);
  });

  test('prefetch skips a box already cached', async () => {
    const boxes = [{ name: 'bento/ubuntu-24.04', provider: 'libvirt', version: '202508.03.0' }];
    const h = harness({ facts: { ...laptop, boxes } });
    await clusterPrefetch(h.deps, { provider: 'libvirt' });
    assert.deepEqual(h.vagrantCalls, []);
    assert.match(h.output(), /already downloaded/);
  });

  test('ssh opens only nodes the settings define', async () => {
    const h = harness({});
    await assert.rejects(clusterSsh(h.deps, 'worker-7'), /No node named "worker-7"/);
    await clusterSsh(h.deps, 'worker-2');
    assert.deepEqual(h.vagrantCalls, [['ssh', 'worker-2']]);
  });

  test('doctor on a ready laptop names the provider up will use', async () => {
    const h = harness({});
    await clusterDoctor(h.deps);
    assert.match(h.output(), /Ready: `kubewars cluster up` will use virtualbox\./);
  });
});
