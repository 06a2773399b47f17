// `kubewars cluster doctor`: preflight checks on the host. The facts are gathered first (host-probes.ts); each
// check is a pure record turning facts + settings into pass/warn/fail, so the table is tested without a host.
import type { InstalledBox } from './machine-readable.ts';
import { planNodes } from './settings.ts';
import type { ClusterSettings } from './settings.ts';

export type Provider = 'virtualbox' | 'libvirt';

export interface HostFacts {
  platform: NodeJS.Platform;
  /** e.g. "2.3.4"; undefined when `vagrant` is not on the PATH. */
  vagrantVersion: string | undefined;
  /** e.g. "7.0.14r161095"; undefined when `VBoxManage` is not on the PATH. */
  virtualBoxVersion: string | undefined;
  libvirt: { plugin: boolean; daemon: boolean };
  /** VAGRANT_DEFAULT_PROVIDER, when the user chose one. */
  preferredProvider: string | undefined;
  freeMemoryMiB: number;
  /** Whether the CPU offers VT-x/AMD-V (or the hypervisor framework on macOS). */
  virtualisation: 'yes' | 'no' | 'unknown';
  /** Ranges from /etc/vbox/networks.conf; undefined when the file does not exist (VirtualBox's default applies). */
  hostOnlyRanges: string[] | undefined;
  /** Free space where Vagrant keeps boxes and VMs; undefined when it cannot be measured. */
  freeDiskMiB: number | undefined;
  boxes: InstalledBox[];
}

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface CheckResult {
  status: CheckStatus;
  detail: string;
  /** What to do about a warn or fail. */
  fix?: string;
}

/** The planned VMs Vagrant already knows (from `vagrant status`): a resumed `up` needs room only for the others. */
export interface ExistingMachines {
  /** Running VMs already hold their memory. */
  running: ReadonlySet<string>;
  /** Created VMs (running or stopped) already hold their disk. */
  created: ReadonlySet<string>;
}

export const NO_MACHINES: ExistingMachines = { running: new Set(), created: new Set() };

export interface DoctorCheck {
  id: string;
  title: string;
  run(facts: HostFacts, settings: ClusterSettings, machines: ExistingMachines): CheckResult;
}

/** VirtualBox ≥ 6.1.28 on Linux and macOS accepts only this host-only range unless networks.conf says otherwise. */
export const VIRTUALBOX_DEFAULT_RANGES = ['192.168.56.0/21'];
export const MIN_VAGRANT_VERSION = [2, 3, 0] as const;
/** Disk per VM (linked clone or qcow2 overlay growing with images) and for the box itself. */
const DISK_PER_VM_MIB = 3 * 1024;
const DISK_FOR_BOX_MIB = 2 * 1024;
/** Memory the host keeps for itself on top of the VMs. */
const HOST_HEADROOM_MIB = 1024;

export function usableProviders(facts: HostFacts): Provider[] {
  const providers: Provider[] = [];
  if (facts.virtualBoxVersion) providers.push('virtualbox');
  if (facts.libvirt.plugin && facts.libvirt.daemon) providers.push('libvirt');
  return providers;
}

/** The provider `cluster up` will pass to `vagrant up`: the user's VAGRANT_DEFAULT_PROVIDER if usable, else the first. */
export function chooseProvider(facts: HostFacts): Provider | undefined {
  const usable = usableProviders(facts);
  return usable.find((provider) => provider === facts.preferredProvider) ?? usable[0];
}

function versionAtLeast(version: string, minimum: readonly number[]): boolean {
  const parts = version.split('.').map((part) => Number.parseInt(part, 10) || 0);
  for (const [index, wanted] of minimum.entries()) {
    const have = parts[index] ?? 0;
    if (have !== wanted) return have > wanted;
  }
  return true;
}

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
}

export function ipInRange(ip: string, cidr: string): boolean {
  const [base = '', bitsText = '32'] = cidr.split('/');
  const bits = Number(bitsText);
  const size = 2 ** (32 - bits);
  const start = Math.floor(ipToNumber(base) / size) * size;
  const value = ipToNumber(ip);
  return value >= start && value < start + size;
}

/** `* 10.0.0.0/8 192.168.0.0/16` lines of /etc/vbox/networks.conf → the ranges they allow. */
export function parseNetworksConf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('*'))
    .flatMap((line) => line.slice(1).trim().split(/\s+/))
    .filter((range) => range.length > 0);
}

const gib = (mib: number) => `${(mib / 1024).toFixed(1)} GiB`;
const names = (nodes: readonly { name: string }[]) => nodes.map((node) => node.name).join(', ');

export const DOCTOR_CHECKS: readonly DoctorCheck[] = [
  {
    id: 'vagrant',
    title: 'Vagrant',
    run({ vagrantVersion }) {
      if (!vagrantVersion) {
        return {
          status: 'fail',
          detail: 'vagrant is not on the PATH',
          fix: 'Install Vagrant: https://developer.hashicorp.com/vagrant/install (Debian/Ubuntu: apt install vagrant).',
        };
      }
      if (!versionAtLeast(vagrantVersion, MIN_VAGRANT_VERSION)) {
        return {
          status: 'warn',
          detail: `Vagrant ${vagrantVersion} is older than ${MIN_VAGRANT_VERSION.join('.')}`,
          fix: 'Upgrade Vagrant if `cluster up` fails.',
        };
      }
      return { status: 'pass', detail: `Vagrant ${vagrantVersion}` };
    },
  },
  {
    id: 'provider',
    title: 'VM provider',
    run(facts) {
      const provider = chooseProvider(facts);
      if (provider === 'virtualbox') return { status: 'pass', detail: `VirtualBox ${facts.virtualBoxVersion}` };
      if (provider === 'libvirt') return { status: 'pass', detail: 'libvirt (vagrant-libvirt plugin, libvirtd)' };
      if (facts.libvirt.daemon && !facts.libvirt.plugin) {
        return {
          status: 'fail',
          detail: 'libvirtd runs but the vagrant-libvirt plugin is missing',
          fix: 'Run `vagrant plugin install vagrant-libvirt` (Debian/Ubuntu: apt install vagrant-libvirt).',
        };
      }
      return {
        status: 'fail',
        detail: 'no VM provider: VBoxManage (VirtualBox) not found and libvirt not running',
        fix:
          facts.platform === 'linux'
            ? 'Install VirtualBox (https://www.virtualbox.org/wiki/Downloads), or libvirt: ' +
              'apt install libvirt-daemon-system vagrant-libvirt && sudo usermod -aG libvirt $USER (then log in again).'
            : 'Install VirtualBox: https://www.virtualbox.org/wiki/Downloads',
      };
    },
  },
  {
    id: 'memory',
    title: 'Free memory',
    run(facts, settings, machines) {
      const planned = planNodes(settings);
      const starting = planned.filter((node) => !machines.running.has(node.name));
      if (starting.length === 0) return { status: 'pass', detail: `all ${planned.length} VMs already running` };
      const needed = starting.reduce((sum, node) => sum + node.memoryMiB, 0);
      const which = starting.length === planned.length ? `the ${planned.length} VMs` : `${names(starting)} (not running)`;
      const detail = `${gib(facts.freeMemoryMiB)} free, ${which} need${starting.length === 1 ? 's' : ''} ${gib(needed)}`;
      const fix = 'Close other programs, or lower workers.count or the memory values in vagrant/settings.yaml.';
      if (facts.freeMemoryMiB < needed) return { status: 'fail', detail, fix };
      if (facts.freeMemoryMiB < needed + HOST_HEADROOM_MIB) {
        return { status: 'warn', detail: `${detail}, leaving the host under ${gib(HOST_HEADROOM_MIB)}`, fix };
      }
      return { status: 'pass', detail };
    },
  },
  {
    id: 'virtualisation',
    title: 'CPU virtualisation',
    run({ virtualisation, platform }) {
      if (virtualisation === 'yes') return { status: 'pass', detail: 'VT-x/AMD-V available' };
      if (virtualisation === 'unknown') {
        return {
          status: 'warn',
          detail: `could not check on ${platform}`,
          fix: 'Make sure VT-x/AMD-V is enabled in the BIOS/UEFI setup (Windows: Task Manager › CPU › Virtualization).',
        };
      }
      return {
        status: 'fail',
        detail:
          platform === 'win32'
            ? 'VT-x/AMD-V is off in the firmware (Win32_Processor.VirtualizationFirmwareEnabled is False)'
            : 'the CPU does not offer VT-x/AMD-V (vmx/svm flags missing)',
        fix: 'Enable Intel VT-x or AMD-V (SVM) in the BIOS/UEFI setup; inside a VM, enable nested virtualisation.',
      };
    },
  },
  {
    id: 'host-only-range',
    title: 'Host-only network',
    run(facts, settings) {
      const provider = chooseProvider(facts);
      const addresses = planNodes(settings).map((node) => node.ip);
      const span = `${addresses[0]}–${addresses.at(-1)}`;
      if (provider === 'libvirt') return { status: 'pass', detail: `${span} (libvirt creates its own network)` };
      if (facts.platform === 'win32') return { status: 'pass', detail: `${span} (no range limit on Windows)` };
      const ranges = facts.hostOnlyRanges ?? VIRTUALBOX_DEFAULT_RANGES;
      const outside = addresses.filter((ip) => !ranges.some((range) => ipInRange(ip, range)));
      const source = facts.hostOnlyRanges ? '/etc/vbox/networks.conf' : "VirtualBox's default";
      if (outside.length > 0) {
        return {
          status: 'fail',
          detail: `${outside.join(', ')} outside ${ranges.join(' ')} (${source})`,
          fix: 'Set network.control_plane_ip inside 192.168.56.0/21, or add the range to /etc/vbox/networks.conf.',
        };
      }
      return { status: 'pass', detail: `${span} inside ${ranges.join(' ')} (${source})` };
    },
  },
  {
    id: 'disk',
    title: 'Free disk',
    run(facts, settings, machines) {
      const planned = planNodes(settings);
      const toCreate = planned.filter((node) => !machines.created.has(node.name));
      if (toCreate.length === 0) return { status: 'pass', detail: `all ${planned.length} VMs already created` };
      // Once a VM exists the box it was cloned from is on disk too.
      const boxNeeded = toCreate.length === planned.length ? DISK_FOR_BOX_MIB : 0;
      const needed = boxNeeded + DISK_PER_VM_MIB * toCreate.length;
      if (facts.freeDiskMiB === undefined) {
        return { status: 'warn', detail: 'could not measure', fix: `Keep ${gib(needed)} free for boxes and VMs.` };
      }
      const detail = `${gib(facts.freeDiskMiB)} free, about ${gib(needed)} needed`;
      if (facts.freeDiskMiB < needed) {
        return { status: 'fail', detail, fix: 'Free some disk space, or lower workers.count.' };
      }
      return { status: 'pass', detail };
    },
  },
  {
    id: 'box',
    title: 'Box cached',
    run(facts, settings) {
      const { name, version } = settings.box;
      const provider = chooseProvider(facts);
      const cached = facts.boxes.some(
        (box) => box.name === name && box.version === version && (!provider || box.provider === provider),
      );
      if (cached) return { status: 'pass', detail: `${name} ${version}` };
      return {
        status: 'warn',
        detail: `${name} ${version} not downloaded yet (about 1 GB on first \`up\`)`,
        fix: 'Run `kubewars cluster prefetch` on a good network before the workshop.',
      };
    },
  },
];

export interface DoctorLine extends CheckResult {
  id: string;
  title: string;
}

export function runDoctor(
  facts: HostFacts,
  settings: ClusterSettings,
  machines: ExistingMachines = NO_MACHINES,
  checks: readonly DoctorCheck[] = DOCTOR_CHECKS,
): DoctorLine[] {
  return checks.map((check) => ({ id: check.id, title: check.title, ...check.run(facts, settings, machines) }));
}

export function doctorPassed(lines: readonly DoctorLine[]): boolean {
  return lines.every((line) => line.status !== 'fail');
}

export function formatDoctor(lines: readonly DoctorLine[]): string[] {
  const width = Math.max(...lines.map((line) => line.title.length));
  return lines.flatMap((line) => {
    const head = `${line.status.toUpperCase().padEnd(4)}  ${line.title.padEnd(width)}  ${line.detail}`;
    return line.fix && line.status !== 'pass' ? [head, `      ${' '.repeat(width)}  fix: ${line.fix}`] : [head];
  });
}
