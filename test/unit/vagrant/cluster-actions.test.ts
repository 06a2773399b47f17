import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { V1Node } from '@kubernetes/client-node';
import { UserError } from '../../../server/errors.ts';
import {
  clusterDestroy,
  clusterDoctor,
  clusterKubeconfig,
  clusterSsh,
  clusterStatus,
  clusterUp,
} from '../../../server/vagrant/cluster-actions.ts';
import type { ClusterDeps } from '../../../server/vagrant/cluster-actions.ts';
import type { HostFacts } from '../../../server/vagrant/doctor.ts';
import { clusterPrefetch } from '../../../server/vagrant/prefetch.ts';
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
  downloads: string[];
}

/** A vagrant/ folder with the shipped settings and fakes for vagrant, the host and the API. */
function harness(options: {
  facts?: HostFacts;
  vagrant?: (args: string[], onLine?: (line: string) => void) => VagrantResult;
  nodes?: () => V1Node[];
  isTerminal?: boolean;
  answer?: boolean;
  env?: NodeJS.ProcessEnv;
  /** `vagrant status --machine-readable` of VMs vagrant already created (recorded under .vagrant/machines). */
  status?: string;
  /** What each URL serves; any other download fails as offline. */
  downloads?: Record<string, string>;
}): Harness {
  const vagrantDir = mkdtempSync(join(scratch, 'vagrant-'));
  writeFileSync(join(vagrantDir, 'settings.yaml'), shippedSettingsYaml);
  if (options.status) mkdirSync(join(vagrantDir, '.vagrant', 'machines'), { recursive: true });
  let written = '';
  const vagrantCalls: string[][] = [];
  let now = 0;
  const downloads: string[] = [];
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
        if (options.status && args[0] === 'status') return { exitCode: 0, output: options.status };
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
    download: async (url) => {
      downloads.push(url);
      const body = options.downloads?.[url];
      if (body === undefined) throw new Error('getaddrinfo ENOTFOUND github.com');
      return body;
    },
    courseImages: () => ['docker.io/library/busybox:1.36', 'docker.io/library/nginx:1.27'],
  };
  return { deps, output: () => written, vagrantCalls, downloads };
}

/** `vagrant status --machine-readable` for the shipped three VMs, in the given states. */
function statusOutput(states: [string, string, string]): string {
  return ['control-plane', 'worker-1', 'worker-2']
    .flatMap((name, index) => [
      `1763800000,${name},provider-name,virtualbox`,
      `1763800000,${name},state,${states[index]}`,
      `1763800000,${name},state-human-short,${states[index]?.replace('_', ' ')}`,
    ])
    .join('\n');
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
      vagrant: (args, onLine) => {
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

  test('a re-run on a running cluster is not refused for memory the running VMs already hold', async () => {
    let dir = '';
    // 2 GB of RAM and 1 GB of disk would refuse a cluster still to be created.
    const h = harness({
      facts: { ...laptop, freeMemoryMiB: 2000, freeDiskMiB: 1000 },
      status: statusOutput(['running', 'running', 'running']),
      vagrant: successfulUp(() => dir),
      nodes: () => ['control-plane', 'worker-1', 'worker-2'].map(readyNode),
    });
    dir = h.deps.vagrantDir;
    await clusterUp(h.deps);
    assert.deepEqual(h.vagrantCalls.at(-1), ['up', '--provider', 'virtualbox', '--no-parallel', '--provision']);
    assert.match(h.output(), /3 already running/);
    assert.match(h.output(), /PASS {2}Free memory +all 3 VMs already running/);
    assert.match(h.output(), /PASS {2}Free disk +all 3 VMs already created/);
  });

  test('resuming a partly running cluster counts memory only for the VMs still to start', async () => {
    const status = statusOutput(['running', 'poweroff', 'not_created']);
    const tooLittle = harness({ facts: { ...laptop, freeMemoryMiB: 1500 }, status });
    await assert.rejects(clusterUp(tooLittle.deps), /Cannot create the cluster: 1\.5 GiB free, worker-1, worker-2 \(not running\) need 4\.0 GiB/);
    assert.deepEqual(tooLittle.vagrantCalls, [['status', '--machine-readable']]);

    let dir = '';
    const h = harness({
      facts: { ...laptop, freeMemoryMiB: 5200, freeDiskMiB: 4000 },
      status,
      vagrant: successfulUp(() => dir),
      nodes: () => ['control-plane', 'worker-1', 'worker-2'].map(readyNode),
    });
    dir = h.deps.vagrantDir;
    await clusterUp(h.deps);
    assert.match(h.output(), /PASS {2}Free memory +5\.1 GiB free, worker-1, worker-2 \(not running\) need 4\.0 GiB/);
    // worker-2 alone still needs a disk; the box is already there.
    assert.match(h.output(), /PASS {2}Free disk +3\.9 GiB free, about 3\.0 GiB needed/);
  });

  test('nodes that never become Ready are named after the deadline', async () => {
    let dir = '';
    const h = harness({ vagrant: successfulUp(() => dir), nodes: () => [readyNode('control-plane')] });
    dir = h.deps.vagrantDir;
    await assert.rejects(clusterUp(h.deps), /Nodes not Ready after 10 minutes: worker-1, worker-2\./);
  });
});

describe('cluster status, destroy, kubeconfig, ssh, doctor', () => {
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

  test('kubeconfig --merge never writes into the cluster config or a sandbox kubeconfig that KUBECONFIG lists', async () => {
    const adminConf =
      'clusters: [{name: k, cluster: {server: "https://192.168.56.10:6443"}}]\nusers: [{name: a, user: {token: t}}]\ncontexts: [{name: c, context: {cluster: k, user: a}}]\ncurrent-context: c\n';
    const sandboxConf =
      'clusters: [{name: kubewars-sandbox, cluster: {server: "https://127.0.0.1:6443"}}]\nusers: [{name: kubewars-sandbox, user: {token: s}}]\ncontexts: [{name: kubewars-sandbox, context: {cluster: kubewars-sandbox, user: kubewars-sandbox}}]\ncurrent-context: kubewars-sandbox\n';
    const sandbox = join(scratch, 'sandbox-merge', 'sandbox.kubeconfig');
    mkdirSync(join(scratch, 'sandbox-merge'), { recursive: true });
    writeFileSync(sandbox, sandboxConf);
    const h = harness({});
    const clusterConfig = join(h.deps.vagrantDir, 'configs', 'config');
    h.deps.env.KUBECONFIG = [clusterConfig, sandbox].join(delimiter);
    mkdirSync(join(h.deps.vagrantDir, 'configs'));
    writeFileSync(clusterConfig, adminConf);

    await clusterKubeconfig(h.deps, { merge: true });
    assert.equal(readFileSync(clusterConfig, 'utf8'), adminConf);
    assert.equal(readFileSync(sandbox, 'utf8'), sandboxConf);
    const fallback = join(h.deps.home, '.kube', 'config');
    assert.match(readFileSync(fallback, 'utf8'), /name: kubewars-vagrant/);
    assert.match(h.output(), new RegExp(`Merged into ${fallback} `));
    assert.match(h.output(), /Your KUBECONFIG does not list .*\.kube\/config; add it: export KUBECONFIG=/);
  });

  test('kubeconfig --merge skips the cluster config in KUBECONFIG for the next entry', async () => {
    const h = harness({});
    const clusterConfig = join(h.deps.vagrantDir, 'configs', 'config');
    const mine = join(h.deps.vagrantDir, 'mine.kubeconfig');
    h.deps.env.KUBECONFIG = [clusterConfig, mine].join(delimiter);
    mkdirSync(join(h.deps.vagrantDir, 'configs'));
    writeFileSync(
      clusterConfig,
      'clusters: [{name: k, cluster: {server: "https://192.168.56.10:6443"}}]\nusers: [{name: a, user: {token: t}}]\ncontexts: [{name: c, context: {cluster: k, user: a}}]\ncurrent-context: c\n',
    );
    await clusterKubeconfig(h.deps, { merge: true });
    assert.match(readFileSync(mine, 'utf8'), /name: kubewars-vagrant/);
    assert.doesNotMatch(readFileSync(clusterConfig, 'utf8'), /kubewars-vagrant/);
    assert.doesNotMatch(h.output(), /does not list/);
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

describe('cluster prefetch', () => {
  const FLANNEL_URL = 'https://github.com/flannel-io/flannel/releases/download/v0.27.4/kube-flannel.yml';
  const METRICS_URL = 'https://github.com/kubernetes-sigs/metrics-server/releases/download/v0.8.0/components.yaml';
  const LOCAL_PATH_URL =
    'https://raw.githubusercontent.com/rancher/local-path-provisioner/v0.0.32/deploy/local-path-storage.yaml';
  const CONTOUR_URL = 'https://raw.githubusercontent.com/projectcontour/contour/v1.33.0/examples/render/contour.yaml';
  const downloads = {
    [LOCAL_PATH_URL]:
      '      containers:\n        - name: local-path-provisioner\n          image: rancher/local-path-provisioner:v0.0.32\n' +
      '    helperPod.yaml: |-\n      spec:\n        containers:\n        - name: helper-pod\n          image: busybox\n',
    [CONTOUR_URL]:
      '      - image: ghcr.io/projectcontour/contour:v1.33.0\n        imagePullPolicy: Always\n' +
      '      - image: docker.io/envoyproxy/envoy:v1.35.2\n',
    [FLANNEL_URL]:
      'containers:\n      - name: install-cni-plugin\n        image: ghcr.io/flannel-io/flannel-cni-plugin:v1.7.1-flannel1\n' +
      '      - name: kube-flannel\n        image: ghcr.io/flannel-io/flannel:v0.27.4\n',
    [METRICS_URL]: '      containers:\n      - image: registry.k8s.io/metrics-server/metrics-server:v0.8.0\n',
  };

  function prefetchHarness(facts: HostFacts = laptop) {
    let dir = '';
    const h = harness({
      facts,
      downloads,
      vagrant: (args, onLine) => (args[0] === 'up' ? successfulUp(() => dir)(args, onLine) : { exitCode: 0, output: '' }),
      nodes: () => ['control-plane', 'worker-1', 'worker-2'].map(readyNode),
    });
    dir = h.deps.vagrantDir;
    return h;
  }

  test('downloads the box and the add-on manifests, lists every image, then builds the cluster that pulls them', async () => {
    const h = prefetchHarness();
    await clusterPrefetch(h.deps, {});
    assert.deepEqual(h.vagrantCalls, [
      ['box', 'add', 'bento/ubuntu-24.04', '--box-version', '202508.03.0', '--provider', 'virtualbox'],
      ['up', '--provider', 'virtualbox', '--no-parallel', '--provision'],
    ]);
    const cache = join(h.deps.vagrantDir, 'cache');
    assert.equal(readFileSync(join(cache, 'kube-flannel-v0.27.4.yml'), 'utf8'), downloads[FLANNEL_URL]);
    assert.equal(readFileSync(join(cache, 'metrics-server-v0.8.0.yaml'), 'utf8'), downloads[METRICS_URL]);
    assert.equal(readFileSync(join(cache, 'local-path-storage-v0.0.32.yaml'), 'utf8'), downloads[LOCAL_PATH_URL]);
    assert.equal(readFileSync(join(cache, 'contour-v1.33.0.yaml'), 'utf8'), downloads[CONTOUR_URL]);
    assert.equal(
      readFileSync(join(cache, 'images.txt'), 'utf8'),
      [
        'docker.io/envoyproxy/envoy:v1.35.2',
        'docker.io/library/busybox',
        'docker.io/library/busybox:1.36',
        'docker.io/library/nginx:1.27',
        'docker.io/rancher/local-path-provisioner:v0.0.32',
        'ghcr.io/flannel-io/flannel-cni-plugin:v1.7.1-flannel1',
        'ghcr.io/flannel-io/flannel:v0.27.4',
        'ghcr.io/projectcontour/contour:v1.33.0',
        'registry.k8s.io/metrics-server/metrics-server:v0.8.0',
        '',
      ].join('\n'),
    );
    assert.match(h.output(), /Prepared for a room without internet\. Now `kubewars cluster down`/);
  });

  test('a second prefetch reuses the kept manifests and the cached box: no download at all', async () => {
    const h = prefetchHarness({ ...laptop, boxes: [{ name: 'bento/ubuntu-24.04', provider: 'virtualbox', version: '202508.03.0' }] });
    await clusterPrefetch(h.deps, {});
    const again = await (async () => {
      h.downloads.length = 0;
      h.vagrantCalls.length = 0;
      await clusterPrefetch(h.deps, {});
      return { downloads: [...h.downloads], vagrant: h.vagrantCalls.map((call) => call[0]) };
    })();
    assert.deepEqual(again, { downloads: [], vagrant: ['up'] });
    assert.match(h.output(), /already downloaded/);
  });

  test('offline, it stops at the first manifest and says where to run it', async () => {
    const h = harness({ downloads: {} });
    await assert.rejects(clusterPrefetch(h.deps, {}), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.equal(error.message, `Could not download ${FLANNEL_URL}: getaddrinfo ENOTFOUND github.com.`);
      assert.match(error.hint ?? '', /on a network that reaches github\.com/);
      return true;
    });
    assert.ok(!h.vagrantCalls.some((call) => call[0] === 'up'));
  });

  test('for another provider than `up` uses it fetches the box and files but builds nothing', async () => {
    const h = prefetchHarness();
    await clusterPrefetch(h.deps, { provider: 'libvirt' });
    assert.deepEqual(h.vagrantCalls.map((call) => call[0]), ['box']);
    assert.match(h.output(), /VAGRANT_DEFAULT_PROVIDER=libvirt kubewars cluster prefetch/);
  });
});
