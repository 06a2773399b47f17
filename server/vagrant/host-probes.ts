// Gathers the host facts `cluster doctor` judges: which programs exist, memory, CPU flags, disk, cached boxes.
// Only reads; never starts a VM or touches the vagrant/ folder.
import { existsSync, readFileSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { freemem, homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parseNetworksConf } from './doctor.ts';
import type { HostFacts } from './doctor.ts';
import { installedBoxes, parseMachineReadable } from './machine-readable.ts';
import { vagrantEnvironment } from './vagrant-process.ts';

const MIB = 1024 * 1024;

/** Runs a probe command; undefined when it is missing or fails. */
async function outputOf(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string | undefined> {
  // Outside any project folder and with no Vagrantfile name that exists: the probes must not load ours.
  const result = await execa(command, args, {
    cwd: tmpdir(),
    env: { ...vagrantEnvironment(env), VAGRANT_VAGRANTFILE: 'kubewars-probe-no-vagrantfile' },
    reject: false,
    timeout: 60_000,
  });
  return result.exitCode === 0 ? result.stdout : undefined;
}

async function vagrantVersion(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const output = await outputOf('vagrant', ['--version'], env);
  return output?.match(/Vagrant (\S+)/)?.[1];
}

/** VBoxManage on the PATH, or where the Windows installer puts it (as Vagrant itself looks). */
async function virtualBoxVersion(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const candidates = ['VBoxManage'];
  for (const dir of [env.VBOX_MSI_INSTALL_PATH, env.VBOX_INSTALL_PATH]) {
    if (dir) candidates.push(join(dir, 'VBoxManage.exe'));
  }
  for (const command of candidates) {
    const output = await outputOf(command, ['--version'], env);
    if (output) return output.trim();
  }
  return undefined;
}

async function libvirt(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<HostFacts['libvirt']> {
  if (platform !== 'linux') return { plugin: false, daemon: false };
  const plugins = parseMachineReadable((await outputOf('vagrant', ['plugin', 'list', '--machine-readable'], env)) ?? '');
  const plugin = plugins.some((record) => record.type === 'plugin-name' && record.data[0] === 'vagrant-libvirt');
  // The monolithic libvirtd or the modular virtqemud socket.
  const sockets = ['/run/libvirt/libvirt-sock', '/var/run/libvirt/libvirt-sock', '/run/libvirt/virtqemud-sock'];
  return { plugin, daemon: sockets.some((socket) => existsSync(socket)) };
}

async function virtualisation(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): Promise<HostFacts['virtualisation']> {
  if (platform === 'linux') {
    try {
      return /^flags\s*:.*\b(vmx|svm)\b/m.test(readFileSync('/proc/cpuinfo', 'utf8')) ? 'yes' : 'no';
    } catch {
      return 'unknown';
    }
  }
  if (platform === 'darwin') {
    const supported = await outputOf('sysctl', ['-n', 'kern.hv_support'], env);
    if (supported === undefined) return 'unknown';
    return supported.trim() === '1' ? 'yes' : 'no';
  }
  return 'unknown';
}

function hostOnlyRanges(platform: NodeJS.Platform): string[] | undefined {
  if (platform !== 'linux' && platform !== 'darwin') return undefined;
  try {
    return parseNetworksConf(readFileSync('/etc/vbox/networks.conf', 'utf8'));
  } catch {
    return undefined;
  }
}

async function freeDiskMiB(env: NodeJS.ProcessEnv): Promise<number | undefined> {
  try {
    const stats = await statfs(env.VAGRANT_HOME ?? homedir());
    return Math.floor((stats.bavail * stats.bsize) / MIB);
  } catch {
    return undefined;
  }
}

export async function gatherHostFacts(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): Promise<HostFacts> {
  const [vagrant, virtualBox, libvirtFacts, cpu, disk, boxList] = await Promise.all([
    vagrantVersion(env),
    virtualBoxVersion(env),
    libvirt(env, platform),
    virtualisation(platform, env),
    freeDiskMiB(env),
    outputOf('vagrant', ['box', 'list', '--machine-readable'], env),
  ]);
  return {
    platform,
    vagrantVersion: vagrant,
    virtualBoxVersion: virtualBox,
    libvirt: libvirtFacts,
    preferredProvider: env.VAGRANT_DEFAULT_PROVIDER,
    freeMemoryMiB: Math.floor(freemem() / MIB),
    virtualisation: cpu,
    hostOnlyRanges: hostOnlyRanges(platform),
    freeDiskMiB: disk,
    boxes: installedBoxes(parseMachineReadable(boxList ?? '')),
  };
}
