// What went wrong in a failed vagrant command, as one line a workshop attendee can act on. A table: the first row
// whose pattern appears in the output explains it; a new known failure is a new row.

export interface FailureExplanation {
  cause: string;
  explanation: string;
  nextStep: string;
}

interface FailureRow extends FailureExplanation {
  pattern: RegExp;
}

const FAILURES: readonly FailureRow[] = [
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
  {
    cause: 'no-provider',
    pattern:
      /No usable default provider could be found|Vagrant could not detect VirtualBox|reporting that it isn't usable|Error while connecting to Libvirt|Failed to connect socket to '[^']*libvirt/,
    explanation: 'No usable VM provider: VirtualBox is not installed and libvirt is not running.',
    nextStep:
      'Install VirtualBox (or on Linux: libvirt-daemon-system + vagrant-libvirt), then run `kubewars cluster doctor`.',
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
    // For settings problems Vagrant's own message is the clearest explanation.
    return { cause, explanation: match[1] ? `${explanation}: ${match[1]}` : explanation, nextStep };
  }
  return {
    cause: 'unknown',
    explanation: `vagrant failed: ${lastMeaningfulLine(output)}`,
    nextStep: 'Read the log for details; `kubewars cluster doctor` checks the usual causes.',
  };
}
