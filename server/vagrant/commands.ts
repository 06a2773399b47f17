// `kubewars cluster …`: the Vagrant cluster's subcommands, wired to cluster-actions.ts with the real host.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Option } from 'commander';
import type { Command } from 'commander';
import { UserError } from '../errors.ts';
import {
  clusterDestroy,
  clusterDoctor,
  clusterDown,
  clusterKubeconfig,
  clusterSsh,
  clusterStatus,
  clusterUp,
} from './cluster-actions.ts';
import type { ClusterDeps } from './cluster-actions.ts';
import { courseImages } from './course-images.ts';
import { gatherHostFacts } from './host-probes.ts';
import { listNodesWith } from './node-readiness.ts';
import { clusterPrefetch } from './prefetch.ts';
import { createVagrantRunner } from './vagrant-process.ts';
import { clusterWorkspace } from './workspace.ts';

/** This Kube Wars installation (its lessons and steps name the course's images), and its vagrant/ folder. */
const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
export const defaultVagrantDir = fileURLToPath(new URL('../../vagrant', import.meta.url));

async function download(url: string): Promise<string> {
  const response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(60_000) });
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
  return response.text();
}

async function confirm(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}

/** The real host: vagrant in `dir`, the log under the working directory, the terminal for output. */
export function hostClusterDeps(
  dir: string,
  { env = process.env, cwd = process.cwd() }: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): ClusterDeps {
  const vagrantDir = resolve(dir);
  if (!existsSync(join(vagrantDir, 'Vagrantfile'))) {
    throw new UserError(`No Vagrantfile in ${vagrantDir}.`, 'Point --dir at the vagrant/ folder of Kube Wars.');
  }
  const logPath = resolve(cwd, '.kubewars', 'vagrant.log');
  return {
    vagrantDir,
    logPath,
    write: (text) => process.stdout.write(text),
    isTerminal: Boolean(process.stdout.isTTY),
    env,
    home: homedir(),
    vagrant: createVagrantRunner({ vagrantDir, logPath, env }),
    hostFacts: () => gatherHostFacts(env),
    listNodes: listNodesWith,
    confirm,
    now: Date.now,
    sleep: (ms) => sleep(ms),
    download,
    courseImages: () => courseImages(projectRoot),
  };
}

function subcommand(cluster: Command, name: string, description: string): Command {
  return cluster
    .command(name)
    .description(description)
    .addOption(
      new Option('--dir <path>', 'the folder of the Vagrantfile and settings.yaml')
        .default(defaultVagrantDir, "this checkout's vagrant/ folder; from an installed package ~/.kubewars/vagrant")
    )
    .hook('preAction', (command) => {
      if (command.getOptionValueSource('dir') === 'default') {
        command.setOptionValueWithSource('dir', clusterWorkspace(defaultVagrantDir, homedir()), 'default');
      }
    });
}

export function registerClusterCommands(program: Command): void {
  const cluster = program
    .command('cluster')
    .description('a real multi-VM kubeadm cluster with Vagrant (VirtualBox or libvirt); see vagrant/README.md');

  subcommand(cluster, 'doctor', 'check this computer can run the cluster: vagrant, a provider, RAM, VT-x, disk').action(
    (options: { dir: string }) => clusterDoctor(hostClusterDeps(options.dir)),
  );
  subcommand(cluster, 'up', 'create or start the VMs, wait until every node is Ready, print the KUBECONFIG line')
    .addHelpText('after', '\nThe full vagrant output goes to .kubewars/vagrant.log in the current directory.\n')
    .action((options: { dir: string }) => clusterUp(hostClusterDeps(options.dir)));
  subcommand(cluster, 'status', 'show each VM and whether its Kubernetes node is Ready').action(
    (options: { dir: string }) => clusterStatus(hostClusterDeps(options.dir)),
  );
  subcommand(cluster, 'down', 'stop the VMs, keeping their disks (`up` starts them again)').action(
    (options: { dir: string }) => clusterDown(hostClusterDeps(options.dir)),
  );
  subcommand(cluster, 'destroy', 'delete the VMs and their disks (asks first)')
    .option('--yes', 'do not ask for confirmation', false)
    .action((options: { dir: string; yes: boolean }) => clusterDestroy(hostClusterDeps(options.dir), options));
  subcommand(cluster, 'kubeconfig', "print the path of the cluster's kubeconfig")
    .option('--merge', 'add the cluster to your kubeconfig (KUBECONFIG or ~/.kube/config) as "kubewars-vagrant"', false)
    .action((options: { dir: string; merge: boolean }) => clusterKubeconfig(hostClusterDeps(options.dir), options));
  subcommand(
    cluster,
    'prefetch',
    'prepare for a room without internet: the box, the add-on manifests, and every image the course uses, pulled into the VMs',
  )
    .addOption(new Option('--provider <name>', 'the provider to download the box for').choices(['virtualbox', 'libvirt']))
    .action((options: { dir: string; provider?: 'virtualbox' | 'libvirt' }) =>
      clusterPrefetch(hostClusterDeps(options.dir), options),
    );
  subcommand(cluster, 'ssh', 'open a shell on a node (control-plane, worker-1, …)')
    .argument('<node>', 'the node name, as `kubewars cluster status` lists it')
    .action((node: string, options: { dir: string }) => clusterSsh(hostClusterDeps(options.dir), node));
}
