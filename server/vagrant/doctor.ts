// `kubewars cluster doctor`: preflight checks on the host. The facts are gathered first (host-probes.ts); each
// check is a pure record turning facts + settings into pass/warn/fail, so the table is tested without a host.
import { VAGRANT_FOR_VIRTUALBOX, VAGRANT_INSTALL_URL } from './failures.ts';
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
  /** deniedSocket: libvirt's socket exists but this user may not open it (not in the libvirt group yet). */
  libvirt: { plugin: boolean; daemon: boolean; deniedSocket?: string };
  /**
   * The loaded KVM vendor module, and whether it takes VT-x/AMD-V as soon as it loads (kvm.enable_virt_at_load,
   * Linux 6.12 and newer), which keeps VirtualBox from starting VMs.
   */
  kvm: { module: 'kvm_intel' | 'kvm_amd' | undefined; virtAtLoad: boolean };
  /** The host's IPv4 addresses by interface (vboxnet0, virbr1…): another provider's network may hold ours. */
  hostAddresses: { name: string; address: string }[];
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
  if (facts.virtualBoxVersion && !vagrantTooOld(facts)) providers.push('virtualbox');
  if (facts.libvirt.plugin && facts.libvirt.daemon && !facts.libvirt.deniedSocket) providers.push('libvirt');
  return providers;
}

const minorOf = (version: string) => version.split('.').slice(0, 2).join('.');
const parseVersion = (version: string) => version.split('.').map((part) => Number.parseInt(part, 10) || 0);

/** The Vagrant release the installed VirtualBox needs, when this Vagrant is older than that. */
export function vagrantTooOld(facts: HostFacts): { virtualBox: string; needs: string } | undefined {
  if (!facts.vagrantVersion || !facts.virtualBoxVersion) return undefined;
  const virtualBox = minorOf(facts.virtualBoxVersion);
  const needs = VAGRANT_FOR_VIRTUALBOX.find(([known]) => known === virtualBox)?.[1];
  if (!needs || versionAtLeast(facts.vagrantVersion, parseVersion(needs))) return undefined;
  return { virtualBox, needs };
}

/** A VirtualBox newer than every row of VAGRANT_FOR_VIRTUALBOX: which Vagrant it needs is not known here yet. */
function virtualBoxNewerThanKnown(version: string): boolean {
  const newestKnown = VAGRANT_FOR_VIRTUALBOX.at(-1)![0];
  return !versionAtLeast(newestKnown, parseVersion(minorOf(version)));
}

const NEWEST_NEEDED_VAGRANT = VAGRANT_FOR_VIRTUALBOX.at(-1)![1];
const installVagrant = (version: string) =>
  `Install Vagrant ${version} or newer from ${VAGRANT_INSTALL_URL} (Debian and Ubuntu package an older one: use ` +
  "HashiCorp's apt repository there).";

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
    run(facts) {
      const { vagrantVersion, virtualBoxVersion } = facts;
      if (!vagrantVersion) {
        const needs = vagrantTooOld({ ...facts, vagrantVersion: '0' })?.needs ?? NEWEST_NEEDED_VAGRANT;
        return { status: 'fail', detail: 'vagrant is not on the PATH', fix: installVagrant(needs) };
      }
      const tooOld = vagrantTooOld(facts);
      if (tooOld) {
        // With libvirt usable `cluster up` still works; VirtualBox just cannot be used.
        return {
          status: chooseProvider(facts) ? 'warn' : 'fail',
          detail: `Vagrant ${vagrantVersion} cannot use VirtualBox ${tooOld.virtualBox} (it needs Vagrant ${tooOld.needs} or newer)`,
          fix: installVagrant(tooOld.needs),
        };
      }
      if (virtualBoxVersion && virtualBoxNewerThanKnown(virtualBoxVersion)) {
        return {
          status: 'warn',
          detail: `Vagrant ${vagrantVersion}; VirtualBox ${minorOf(virtualBoxVersion)} is newer than the pairs this check knows`,
          fix: `If \`cluster up\` says VirtualBox is not supported, install the newest Vagrant from ${VAGRANT_INSTALL_URL}.`,
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
      if (provider === 'virtualbox') {
        if (facts.preferredProvider === 'libvirt' && facts.libvirt.deniedSocket) {
          return {
            status: 'warn',
            detail: `VirtualBox ${facts.virtualBoxVersion}: VAGRANT_DEFAULT_PROVIDER asks for libvirt, but your user may not use it`,
            fix: 'For libvirt run `sudo usermod -aG libvirt $USER`, then log out and back in.',
          };
        }
        return { status: 'pass', detail: `VirtualBox ${facts.virtualBoxVersion}` };
      }
      if (provider === 'libvirt') return { status: 'pass', detail: 'libvirt (vagrant-libvirt plugin, libvirtd)' };
      const tooOld = vagrantTooOld(facts);
      if (tooOld) {
        return {
          status: 'fail',
          detail: `VirtualBox ${tooOld.virtualBox} is installed, but this Vagrant cannot use it (see Vagrant above)`,
          fix: installVagrant(tooOld.needs),
        };
      }
      if (facts.libvirt.deniedSocket && facts.libvirt.plugin) {
        return {
          status: 'fail',
          detail: `libvirt runs, but your user may not use it (permission denied on ${facts.libvirt.deniedSocket})`,
          fix: 'Run `sudo usermod -aG libvirt $USER`, then log out and back in (`groups` then lists libvirt).',
        };
      }
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
    id: 'kvm',
    title: 'KVM modules',
    run(facts) {
      const { platform, kvm } = facts;
      if (platform !== 'linux') return { status: 'pass', detail: `no KVM on ${platform}` };
      if (!kvm.module) return { status: 'pass', detail: 'kvm_intel/kvm_amd not loaded' };
      if (chooseProvider(facts) !== 'virtualbox') {
        return { status: 'pass', detail: `${kvm.module} loaded (libvirt uses it)` };
      }
      if (!kvm.virtAtLoad) return { status: 'pass', detail: `${kvm.module} loaded, holding VT-x/AMD-V only while a VM runs` };
      const code = kvm.module === 'kvm_amd' ? 'VERR_SVM_IN_USE' : 'VERR_VMX_IN_VMX_ROOT_MODE';
      return {
        status: 'warn',
        detail: `${kvm.module} holds VT-x/AMD-V since it loaded (Linux 6.12+): VirtualBox may stop with ${code}`,
        fix:
          `Run \`sudo modprobe -r ${kvm.module}\` before \`cluster up\` (until the next boot), or use libvirt: ` +
          'export VAGRANT_DEFAULT_PROVIDER=libvirt.',
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
      // The other provider's interface on the same /24 (left from an `up` before switching) holds the network.
      const subnet = addresses[0]!.split('.').slice(0, 3).join('.');
      const other = provider === 'libvirt' ? 'vboxnet' : 'virbr';
      const taken = facts.hostAddresses.find(
        (entry) => entry.name.startsWith(other) && entry.address.split('.').slice(0, 3).join('.') === subnet,
      );
      if (taken) {
        return {
          status: 'fail',
          detail: `${taken.name} already holds ${taken.address}, in the cluster's ${subnet}.0/24`,
          fix:
            (other === 'vboxnet'
              ? `Stop the VirtualBox VMs on it, then \`VBoxManage hostonlyif remove ${taken.name}\``
              : `Stop the libvirt VMs on it, then \`virsh net-destroy\` its network (\`virsh net-list\` names it)`) +
            ', or move network.control_plane_ip to another /24.',
        };
      }
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
