// `vagrant up` output → one progress line per VM. Vagrant prefixes what it does with `==> NAME: ` and details
// (including the provisioning scripts' own output) with `    NAME: `; our scripts print `[kubewars] step: …`.
// Each line is matched against a table of stages; a stage sets the VM's phase and detail and never names the next
// one, so interleaved output from parallel VMs and re-runs on machines already up are harmless.

export const PHASES = [
  'waiting',
  'downloading box',
  'booting',
  'configuring',
  'provisioning',
  'joined',
  'failed',
] as const;
export type VmPhase = (typeof PHASES)[number];

export interface VmProgress {
  name: string;
  phase: VmPhase;
  detail: string;
}

export interface UpProgress {
  /** Keyed by machine name, in the order Vagrant first mentions them. */
  vms: Readonly<Record<string, VmProgress>>;
  /** The machine the latest line was about: the one a failure at the end belongs to. */
  lastActive: string | undefined;
}

interface Stage {
  match: RegExp;
  phase: VmPhase;
  detail: (match: RegExpMatchArray) => string;
}

const fixed = (text: string) => () => text;

// First match wins: specific rows before general ones.
const STAGES: readonly Stage[] = [
  { match: /^\[kubewars\] step: joined/, phase: 'joined', detail: fixed('joined the cluster') },
  { match: /^\[kubewars\] step: control plane ready/, phase: 'joined', detail: fixed('control plane up') },
  { match: /^\[kubewars\] step: (.+)$/, phase: 'provisioning', detail: (m) => m[1] ?? '' },
  { match: /^This node has joined the cluster/, phase: 'joined', detail: fixed('joined the cluster') },
  { match: /^Machine already provisioned/, phase: 'joined', detail: fixed('already provisioned') },
  { match: /^Box '.+' could not be found/, phase: 'downloading box', detail: fixed('box not cached yet') },
  { match: /^(?:Adding box|Downloading:)/, phase: 'downloading box', detail: fixed('downloading') },
  { match: /^Progress: (\d+%)/, phase: 'downloading box', detail: (m) => m[1] ?? '' },
  {
    match: /^(?:Importing base box|Cloning VM|Creating image \(snapshot of base box volume\))/,
    phase: 'booting',
    detail: fixed('creating the VM from the box'),
  },
  { match: /^(?:Booting VM|Starting domain)/, phase: 'booting', detail: fixed('starting') },
  {
    match: /^(?:Waiting for machine to boot|Waiting for domain to get an IP address)/,
    phase: 'booting',
    detail: fixed('waiting for SSH'),
  },
  { match: /^Machine booted and ready!/, phase: 'configuring', detail: fixed('booted') },
  { match: /^Setting hostname/, phase: 'configuring', detail: fixed('hostname') },
  { match: /^Configuring and enabling network interfaces/, phase: 'configuring', detail: fixed('network') },
  { match: /^Mounting (?:NFS )?shared folders/, phase: 'configuring', detail: fixed('shared folder') },
  { match: /^Running provisioner: ([\w-]+)/, phase: 'provisioning', detail: (m) => `${m[1]} script` },
];

const BRINGING_UP = /^Bringing machine '([^']+)' up with '([^']+)' provider/;
const MACHINE_LINE = /^(?:==> |\s+)([\w.-]+): (.*)$/;

export function initialProgress(machineNames: readonly string[]): UpProgress {
  const vms: Record<string, VmProgress> = {};
  for (const name of machineNames) vms[name] = { name, phase: 'waiting', detail: '' };
  return { vms, lastActive: undefined };
}

function withVm(progress: UpProgress, vm: VmProgress): UpProgress {
  return { vms: { ...progress.vms, [vm.name]: vm }, lastActive: vm.name };
}

/** Applies one line of `vagrant up` output. Lines that say nothing about progress leave the state unchanged. */
export function applyUpLine(progress: UpProgress, rawLine: string): UpProgress {
  const line = rawLine.trimEnd();
  const bringing = line.match(BRINGING_UP);
  if (bringing?.[1]) {
    const name = bringing[1];
    const existing = progress.vms[name];
    return withVm(progress, existing ?? { name, phase: 'waiting', detail: `${bringing[2]} provider` });
  }
  const machineLine = line.match(MACHINE_LINE);
  const name = machineLine?.[1];
  if (!name) return progress;
  const message = (machineLine[2] ?? '').trim();
  for (const stage of STAGES) {
    const match = message.match(stage.match);
    if (match) return withVm(progress, { name, phase: stage.phase, detail: stage.detail(match) });
  }
  return progress;
}

/** After a failed `vagrant up`: the VM that was last being worked on is the one that failed. */
export function markFailed(progress: UpProgress, reason: string): UpProgress {
  const name = progress.lastActive;
  const vm = name ? progress.vms[name] : undefined;
  if (!vm || vm.phase === 'joined') return progress;
  return withVm(progress, { ...vm, phase: 'failed', detail: `${vm.detail ? `${vm.detail}: ` : ''}${reason}` });
}

const SYMBOLS: Record<VmPhase, string> = {
  waiting: '·',
  'downloading box': '↓',
  booting: '…',
  configuring: '…',
  provisioning: '…',
  joined: '✓',
  failed: '✗',
};

/** One aligned line per VM, e.g. `✓ worker-1       joined          joined the cluster`. */
export function renderProgress(progress: UpProgress): string[] {
  const vms = Object.values(progress.vms);
  const width = Math.max(0, ...vms.map((vm) => vm.name.length));
  const phaseWidth = Math.max(...PHASES.map((phase) => phase.length));
  return vms.map((vm) =>
    `${SYMBOLS[vm.phase]} ${vm.name.padEnd(width)}  ${vm.phase.padEnd(phaseWidth)}  ${vm.detail}`.trimEnd(),
  );
}
