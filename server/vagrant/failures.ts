// What went wrong in a failed vagrant command, as one line a workshop attendee can act on. A table: the first row
// whose pattern appears in the output explains it; a new known failure is a new row.

export interface FailureExplanation {
  cause: string;
  explanation: string;
  nextStep: string;
}

interface FailureRow {
  cause: string;
  pattern: RegExp;
  /** What went wrong; a function when the matched text says more (which version, which interface). */
  explanation: string | ((match: RegExpMatchArray) => string);
  nextStep: string | ((match: RegExpMatchArray) => string);
}

/** The first Vagrant release that drives each VirtualBox minor version (Vagrant's changelog). */
export const VAGRANT_FOR_VIRTUALBOX: ReadonlyArray<readonly [virtualBox: string, vagrant: string]> = [
  ['7.0', '2.3.4'],
  ['7.1', '2.4.3'],
  ['7.2', '2.4.9'],
];
export const VAGRANT_INSTALL_URL = 'https://developer.hashicorp.com/vagrant/install';

/** The KVM module holding VT-x (Intel) or AMD-V, from VirtualBox's VERR_ code. */
const kvmModuleOf = (code: string) => (code.includes('SVM') ? 'kvm_amd' : 'kvm_intel');

const FAILURES: readonly FailureRow[] = [
  // common.sh's refusal (printed before the SSH failure it causes): a changed kubernetes.version on a built cluster.
  {
    cause: 'version-change',
    pattern: /This node runs Kubernetes (\d+\.\d+) but vagrant\/settings\.yaml asks for (\d+\.\d+)/,
    explanation: (match) =>
      `The cluster runs Kubernetes ${match[1]}; settings.yaml asks for ${match[2]}, and packages alone cannot upgrade it.`,
    nextStep: (match) =>
      `Set kubernetes.version back to "${match[1]}", or \`kubewars cluster destroy\` then \`up\` for a ${match[2]} ` +
      'cluster (to keep it: kubeadm upgrade, control plane first; see the log).',
  },
  // First: Vagrant's own verdict on a failed script. The script's output above it can hold curl, DNS or memory errors
  // that other rows would take for a box download or the host running out of memory.
  {
    cause: 'provisioning',
    pattern: /The (?:following )?SSH command responded with a non-zero exit status/,
    explanation: 'A provisioning script failed inside a VM (often a download that did not finish).',
    nextStep: 'Read the last lines of the log, then `vagrant provision NODE` in vagrant/ to retry it (safe to re-run).',
  },
  {
    cause: 'settings',
    pattern: /Kube Wars: vagrant\/settings\.yaml is invalid:\n\s+- (.*)/,
    explanation: 'vagrant/settings.yaml is invalid',
    nextStep: 'Fix the value named above (the comments in settings.yaml give the allowed ranges).',
  },
  // Vagrant's words when the installed VirtualBox is newer than it knows (vagrant's en.yml,
  // virtualbox_invalid_version); the list ends with the newest it supports.
  {
    cause: 'vagrant-too-old',
    pattern:
      /version of VirtualBox installed\s+that is not supported by this version of Vagrant[\s\S]*?to use Vagrant:\s+([\d., ]*\d)/,
    explanation: (match) =>
      `This Vagrant does not support the installed VirtualBox (it knows VirtualBox up to ${match[1]!.split(', ').at(-1)}).`,
    nextStep:
      `Install a newer Vagrant from ${VAGRANT_INSTALL_URL} (` +
      VAGRANT_FOR_VIRTUALBOX.slice(1)
        .map(([virtualBox, vagrant]) => `VirtualBox ${virtualBox} needs Vagrant ${vagrant}`)
        .join(', ') +
      '), then run `kubewars cluster doctor`.',
  },
  // vagrant-libvirt cannot open libvirt's socket: the user is not (yet, in this login session) in the libvirt group.
  {
    cause: 'libvirt-permission',
    pattern: /Failed to connect socket to '([^']*libvirt[^']*)': Permission denied/,
    explanation: (match) => `libvirt runs, but your user may not use it (permission denied on ${match[1]}).`,
    nextStep: 'Run `sudo usermod -aG libvirt $USER`, log out and back in (`groups` then lists libvirt), and try again.',
  },
  // libvirt's network for the cluster collides with VirtualBox's host-only interface from an earlier `up`.
  {
    cause: 'network-taken',
    pattern: /Network is already in use by interface ([\w.-]+?)\.?$/m,
    explanation: (match) =>
      `libvirt cannot create the cluster's network: interface ${match[1]} already holds its addresses.`,
    nextStep: (match) =>
      match[1]!.startsWith('vboxnet')
        ? `Stop the VirtualBox VMs on it, then \`VBoxManage hostonlyif remove ${match[1]}\` (or move ` +
          'network.control_plane_ip to another /24), and `kubewars cluster up` again.'
        : `Free ${match[1]} or move network.control_plane_ip to another /24, then \`kubewars cluster up\` again.`,
  },
  {
    cause: 'no-provider',
    pattern:
      /No usable default provider could be found|Vagrant could not detect VirtualBox|reporting that it isn't usable|Error while connecting to Libvirt|Failed to connect socket to '[^']*libvirt/,
    explanation: 'No usable VM provider: VirtualBox is not installed and libvirt is not running.',
    nextStep:
      'Install VirtualBox (or on Linux: libvirt-daemon-system + vagrant-libvirt), then run `kubewars cluster doctor`.',
  },
  // Since Linux 6.12 the KVM modules take VT-x/AMD-V when they load, and VirtualBox cannot start a VM.
  {
    cause: 'kvm-loaded',
    pattern: /VERR_VMX_IN_VMX_ROOT_MODE|VERR_SVM_IN_USE/,
    explanation: (match) =>
      `VirtualBox cannot start VMs while the ${kvmModuleOf(match[0])} kernel module holds the CPU's virtualisation.`,
    nextStep: (match) =>
      `Run \`sudo modprobe -r ${kvmModuleOf(match[0])}\` (until the next boot) and \`kubewars cluster up\` again, ` +
      'or use libvirt: export VAGRANT_DEFAULT_PROVIDER=libvirt.',
  },
  {
    cause: 'virtualisation-disabled',
    pattern:
      /VT-x is (?:disabled|not available)|AMD-V is disabled|VERR_VMX_|VERR_SVM_|VERR_NEM_|Could not access KVM kernel module|\/dev\/kvm/,
    explanation: 'The VM could not start: hardware virtualisation (VT-x/AMD-V) is off or taken by another hypervisor.',
    nextStep:
      'Enable VT-x/AMD-V in the BIOS/UEFI setup; on Windows turn off Hyper-V/Memory Integrity or use its provider.',
  },
  {
    cause: 'host-only-range',
    pattern: /not within the\s+allowed ranges|host-only network is not within|E_ACCESSDENIED.*host-only/i,
    explanation: 'VirtualBox refused the private network address (outside its allowed host-only range).',
    nextStep:
      'Use an address in 192.168.56.0/21 for network.control_plane_ip, or allow yours in /etc/vbox/networks.conf.',
  },
  {
    cause: 'box-download',
    pattern:
      /An error occurred while downloading the remote file|Error downloading:|Could not resolve host|The box '[^']+' could not be found|box could not be found|Failed to connect to vagrantcloud|SSL certificate problem/i,
    explanation: 'The box could not be downloaded (no network, proxy or a blocked download).',
    nextStep:
      'On a working network run `kubewars cluster prefetch`, or add the box from a file (see vagrant/README.md).',
  },
  {
    cause: 'out-of-memory',
    pattern: /VERR_NO_MEMORY|NS_ERROR_OUT_OF_MEMORY|Cannot allocate memory|failed to allocate memory/i,
    explanation: 'The host ran out of memory starting the VMs.',
    nextStep: 'Close other programs, or lower workers.count or the memory values in vagrant/settings.yaml.',
  },
  {
    cause: 'port-collision',
    pattern: /Vagrant cannot forward the specified ports|fixed port collision/i,
    explanation: "A port Vagrant forwards (SSH) is taken by another program or another VM.",
    nextStep: 'Stop the other VM (`vagrant global-status`), then run `kubewars cluster up` again.',
  },
  {
    cause: 'boot-timeout',
    pattern: /Timed out while waiting for the machine to boot/,
    explanation: 'A VM booted but never answered on SSH within the boot timeout.',
    nextStep: 'Check VT-x is on and the host is not overloaded, then `kubewars cluster up` again (it resumes).',
  },
];

/** The most recent non-empty line, a fallback explanation for failures the table does not know. */
function lastMeaningfulLine(output: string): string {
  const lines = output
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  return lines.at(-1) ?? 'no output';
}

export function classifyVagrantFailure(output: string): FailureExplanation {
  for (const row of FAILURES) {
    const match = output.match(row.pattern);
    if (!match) continue;
    const { cause, explanation, nextStep } = row;
    return {
      cause,
      // For settings problems Vagrant's own message is the clearest explanation.
      explanation:
        typeof explanation === 'function' ? explanation(match) : match[1] ? `${explanation}: ${match[1]}` : explanation,
      nextStep: typeof nextStep === 'function' ? nextStep(match) : nextStep,
    };
  }
  return {
    cause: 'unknown',
    explanation: `vagrant failed: ${lastMeaningfulLine(output)}`,
    nextStep: 'Read the log for details; `kubewars cluster doctor` checks the usual causes.',
  };
}
