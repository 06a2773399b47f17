// Gathers the host facts `cluster doctor` judges: which programs exist, memory, CPU flags, disk, cached boxes.
// Only reads; never starts a VM or touches the vagrant/ folder.
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { freemem, homedir, networkInterfaces, tmpdir } from 'node:os';
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
  const socket = sockets.find((path) => existsSync(path));
  if (!socket) return { plugin, daemon: false };
  try {
    accessSync(socket, constants.R_OK | constants.W_OK);
    return { plugin, daemon: true };
  } catch {
    // Only members of the libvirt group may connect (and a new member only after logging in again).
    return { plugin, daemon: true, deniedSocket: socket };
  }
}

/** The KVM vendor module in /proc/modules (`kvm_intel 413696 0 - Live 0x…`). */
export function parseKvmModule(procModules: string): HostFacts['kvm']['module'] {
  const loaded = procModules.match(/^(kvm_intel|kvm_amd) /m)?.[1];
  return loaded === 'kvm_intel' || loaded === 'kvm_amd' ? loaded : undefined;
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

function kvm(platform: NodeJS.Platform): HostFacts['kvm'] {
  if (platform !== 'linux') return { module: undefined, virtAtLoad: false };
  // The parameter exists from Linux 6.12 on, where it defaults to Y; older kernels take VT-x only while a VM runs.
  const virtAtLoad = /^[Y1]/.test(readOr('/sys/module/kvm/parameters/enable_virt_at_load', 'N'));
  return { module: parseKvmModule(readOr('/proc/modules', '')), virtAtLoad };
}

function hostAddresses(): HostFacts['hostAddresses'] {
  return Object.entries(networkInterfaces()).flatMap(([name, entries]) =>
    (entries ?? []).filter((entry) => entry.family === 'IPv4').map((entry) => ({ name, address: entry.address })),
  );
}

/**
 * Memory macOS can hand to new VMs from `vm_stat`: free, inactive, speculative and purgeable pages. os.freemem()
 * counts only free pages there, which a Mac keeps near zero by caching files in the rest.
 */
export function parseVmStat(output: string): number | undefined {
  const pageSize = Number(output.match(/page size of (\d+) bytes/)?.[1]);
  if (!pageSize) return undefined;
  let pages = 0;
  for (const kind of ['free', 'inactive', 'speculative', 'purgeable']) {
    const count = output.match(new RegExp(`^Pages ${kind}:\\s+(\\d+)\\.?\\s*$`, 'm'))?.[1];
    if (count === undefined) return undefined;
    pages += Number(count);
  }
  return Math.floor((pages * pageSize) / MIB);
}

async function freeMemoryMiB(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): Promise<number> {
  if (platform === 'darwin') {
    const available = parseVmStat((await outputOf('vm_stat', [], env)) ?? '');
    if (available !== undefined) return available;
  }
  // Elsewhere os.freemem() is what can be allocated (MemAvailable on Linux, available physical memory on Windows).
  return Math.floor(freemem() / MIB);
}

/** Prints `firmware=<per CPU, comma-separated>` and `hypervisor=<True|False>` for parseWindowsVirtualisation. */
export const WINDOWS_VIRTUALISATION_SCRIPT =
  "'firmware=' + ((Get-CimInstance Win32_Processor).VirtualizationFirmwareEnabled -join ','); " +
  "'hypervisor=' + (Get-CimInstance Win32_ComputerSystem).HypervisorPresent";

export function parseWindowsVirtualisation(output: string): HostFacts['virtualisation'] {
  const value = (key: string) => output.match(new RegExp(`^${key}=(.*)$`, 'mi'))?.[1]?.trim().toLowerCase();
  // With Hyper-V running, Windows reports the firmware flag as False although VT-x is on (Hyper-V holds it);
  // VirtualBox then runs on top of Hyper-V, and a refusal is explained from its own error message.
  if (value('hypervisor') === 'true') return 'yes';
  const cpus = (value('firmware') ?? '').split(',').filter((flag) => flag.length > 0);
  if (cpus.includes('true')) return 'yes';
  if (cpus.length > 0 && cpus.every((flag) => flag === 'false')) return 'no';
  return 'unknown';
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
  if (platform === 'win32') {
    const script = ['-NoProfile', '-NonInteractive', '-Command', WINDOWS_VIRTUALISATION_SCRIPT];
    return parseWindowsVirtualisation((await outputOf('powershell.exe', script, env)) ?? '');
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
  const [vagrant, virtualBox, libvirtFacts, cpu, disk, boxList, memory] = await Promise.all([
    vagrantVersion(env),
    virtualBoxVersion(env),
    libvirt(env, platform),
    virtualisation(platform, env),
    freeDiskMiB(env),
    outputOf('vagrant', ['box', 'list', '--machine-readable'], env),
    freeMemoryMiB(platform, env),
  ]);
  return {
    platform,
    vagrantVersion: vagrant,
    virtualBoxVersion: virtualBox,
    libvirt: libvirtFacts,
    preferredProvider: env.VAGRANT_DEFAULT_PROVIDER,
    freeMemoryMiB: memory,
    virtualisation: cpu,
    kvm: kvm(platform),
    hostAddresses: hostAddresses(),
    hostOnlyRanges: hostOnlyRanges(platform),
    freeDiskMiB: disk,
    boxes: installedBoxes(parseMachineReadable(boxList ?? '')),
  };
}
