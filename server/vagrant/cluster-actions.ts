// What each `kubewars cluster …` subcommand does. Everything that touches the host arrives in ClusterDeps, so
// tests run these with fakes and the real host alike.
import { existsSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UserError } from '../errors.ts';
import { chooseProvider, doctorPassed, formatDoctor, NO_MACHINES, runDoctor } from './doctor.ts';
import type { DoctorLine, ExistingMachines, HostFacts } from './doctor.ts';
import { classifyVagrantFailure } from './failures.ts';
import type { FailureExplanation } from './failures.ts';
import { kubectlReads, MERGED_CONTEXT, mergeKubeconfigFile, userKubeconfigPath } from './kubeconfig-merge.ts';
import { errorExitMessage, machineStates, parseMachineReadable } from './machine-readable.ts';
import { nodeReadiness, waitForNodesReady } from './node-readiness.ts';
import type { ListNodes } from './node-readiness.ts';
import { createProgressPrinter } from './progress-printer.ts';
import { applyUpLine, initialProgress, markFailed, renderProgress } from './progress.ts';
import { loadSettings, planNodes, totalMemoryMiB } from './settings.ts';
import type { ClusterSettings } from './settings.ts';
import type { VagrantResult, VagrantRunner } from './vagrant-process.ts';

const READY_TIMEOUT_MS = 10 * 60_000;
const READY_POLL_MS = 5_000;
const STATUS_API_TIMEOUT_MS = 10_000;

export interface ClusterDeps {
  vagrantDir: string;
  logPath: string;
  write: (text: string) => void;
  isTerminal: boolean;
  env: NodeJS.ProcessEnv;
  home: string;
  vagrant: VagrantRunner;
  hostFacts: () => Promise<HostFacts>;
  listNodes: (kubeconfigPath: string) => ListNodes;
  confirm: (question: string) => Promise<boolean>;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** The body of an HTTPS download (prefetch's manifests). */
  download: (url: string) => Promise<string>;
  /** The images the lessons, steps and game run (course-images.ts). */
  courseImages: () => string[];
}

export function clusterKubeconfigPath(vagrantDir: string): string {
  return join(vagrantDir, 'configs', 'config');
}

function say(deps: ClusterDeps, ...lines: string[]): void {
  deps.write(`${lines.join('\n')}\n`);
}

function explained(deps: ClusterDeps, failure: FailureExplanation): UserError {
  return new UserError(failure.explanation, `${failure.nextStep} Full log: ${deps.logPath}`);
}

function failed(deps: ClusterDeps, result: VagrantResult): UserError {
  return explained(deps, classifyVagrantFailure(result.output));
}

function describePlan(settings: ClusterSettings, machines: ExistingMachines): string {
  const workers = settings.workers.count;
  const memory = (totalMemoryMiB(settings) / 1024).toFixed(1);
  const running = planNodes(settings).filter((node) => machines.running.has(node.name)).length;
  const plan = `1 control plane + ${workers} worker${workers === 1 ? '' : 's'}, ${memory} GiB of RAM in all`;
  return running > 0 ? `${plan}; ${running} already running` : plan;
}

/**
 * The planned VMs Vagrant already has, so that `up` after a failure or on a running cluster (it resumes) asks for
 * room only for what it still has to start. Vagrant records every VM it creates under .vagrant/machines: without it
 * nothing exists and vagrant is not run (it would create .vagrant). When `vagrant status` fails nothing is assumed
 * to exist, and the preflight says what is wrong.
 */
async function existingMachines(deps: ClusterDeps, facts: HostFacts): Promise<ExistingMachines> {
  if (!facts.vagrantVersion || !existsSync(join(deps.vagrantDir, '.vagrant', 'machines'))) return NO_MACHINES;
  const result = await deps.vagrant.run(['status', '--machine-readable']);
  if (result.exitCode !== 0) return NO_MACHINES;
  const machines = machineStates(parseMachineReadable(result.output));
  const named = (keep: (state: string) => boolean) =>
    new Set(machines.filter((machine) => keep(machine.state)).map((machine) => machine.name));
  return {
    running: named((state) => state === 'running'),
    created: named((state) => state !== 'not_created' && state !== 'unknown'),
  };
}

async function preflight(deps: ClusterDeps, settings: ClusterSettings) {
  const facts = await deps.hostFacts();
  const machines = await existingMachines(deps, facts);
  const lines = runDoctor(facts, settings, machines);
  say(deps, `Preflight for the Vagrant cluster (${describePlan(settings, machines)}):`, ...formatDoctor(lines));
  return { facts, lines };
}

function firstFailure(lines: readonly DoctorLine[]): DoctorLine | undefined {
  return lines.find((line) => line.status === 'fail');
}

export async function clusterDoctor(deps: ClusterDeps): Promise<void> {
  const settings = loadSettings(deps.vagrantDir);
  const { facts, lines } = await preflight(deps, settings);
  if (!doctorPassed(lines)) {
    const failures = lines.filter((line) => line.status === 'fail').map((line) => line.title);
    throw new UserError(
      `${failures.length} check${failures.length === 1 ? '' : 's'} failed: ${failures.join(', ')}.`,
      'Do what the FAIL lines above say, then run `kubewars cluster doctor` again.',
    );
  }
  say(deps, '', `Ready: \`kubewars cluster up\` will use ${chooseProvider(facts)}.`);
}

export async function clusterUp(deps: ClusterDeps): Promise<void> {
  const settings = loadSettings(deps.vagrantDir);
  const { facts, lines } = await preflight(deps, settings);
  const blocker = firstFailure(lines);
  const provider = chooseProvider(facts);
  // Fail before Vagrant creates anything: no half-built cluster to clean up.
  if (blocker || !provider) {
    throw new UserError(`Cannot create the cluster: ${blocker?.detail ?? 'no VM provider'}.`, blocker?.fix);
  }

  const nodes = planNodes(settings);
  let progress = initialProgress(nodes.map((node) => node.name));
  const printer = createProgressPrinter(deps.write, deps.isTerminal);
  say(deps, '', `Creating ${nodes.length} VMs with ${provider} (full log: ${deps.logPath}):`);
  printer.show(renderProgress(progress));
  // One VM at a time: workers need the join command the control plane writes. --provision re-runs the (idempotent,
  // cached) scripts, so an `up` after a failure resumes; Vagrant alone provisions only a VM's first boot.
  const result = await deps.vagrant.run(['up', '--provider', provider, '--no-parallel', '--provision'], (line) => {
    const next = applyUpLine(progress, line);
    if (next === progress) return;
    progress = next;
    printer.show(renderProgress(progress));
  });
  if (result.exitCode !== 0) {
    const failure = classifyVagrantFailure(result.output);
    printer.show(renderProgress(markFailed(progress, failure.cause)));
    throw explained(deps, failure);
  }

  const kubeconfigPath = clusterKubeconfigPath(deps.vagrantDir);
  if (!existsSync(kubeconfigPath)) {
    throw new UserError(
      `The VMs are up but ${kubeconfigPath} was not written.`,
      `Run \`vagrant provision control-plane\` in ${deps.vagrantDir} and read its output. Full log: ${deps.logPath}`,
    );
  }
  say(deps, '', `Waiting for ${nodes.length} nodes to be Ready…`);
  const notReady = await waitForNodesReady({
    listNodes: deps.listNodes(kubeconfigPath),
    expected: nodes.map((node) => node.name),
    timeoutMs: READY_TIMEOUT_MS,
    pollMs: READY_POLL_MS,
    now: deps.now,
    sleep: deps.sleep,
  });
  if (notReady.length > 0) {
    throw new UserError(
      `Nodes not Ready after ${READY_TIMEOUT_MS / 60_000} minutes: ${notReady.join(', ')}.`,
      `Look at \`kubectl --kubeconfig ${kubeconfigPath} get pods -A\` (flannel, kube-proxy) and vagrant/README.md.`,
    );
  }
  say(
    deps,
    `Cluster ready: ${nodes.map((node) => node.name).join(', ')}.`,
    '',
    'Point kubectl at it:',
    `  export KUBECONFIG=${kubeconfigPath}`,
    '  kubectl get nodes',
    '',
    'Start Kube Wars on it:',
    `  kubewars start --kubeconfig ${kubeconfigPath}`,
  );
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export async function clusterStatus(deps: ClusterDeps): Promise<void> {
  const settings = loadSettings(deps.vagrantDir);
  const result = await deps.vagrant.run(['status', '--machine-readable']);
  const records = parseMachineReadable(result.output);
  if (result.exitCode !== 0) {
    // In machine-readable mode vagrant's own error message is one escaped record.
    throw explained(deps, classifyVagrantFailure(errorExitMessage(records) ?? result.output));
  }
  const machines = machineStates(records);

  const kubeconfigPath = clusterKubeconfigPath(deps.vagrantDir);
  const readiness = new Map<string, string>();
  let apiNote = 'API: no kubeconfig yet (`kubewars cluster up` writes it).';
  if (existsSync(kubeconfigPath) && machines.some((machine) => machine.state === 'running')) {
    try {
      const nodes = await withTimeout(deps.listNodes(kubeconfigPath)(), STATUS_API_TIMEOUT_MS);
      for (const node of nodeReadiness(nodes)) readiness.set(node.name, node.ready ? 'Ready' : 'NotReady');
      apiNote = `API: reachable (KUBECONFIG=${kubeconfigPath}).`;
    } catch (error) {
      apiNote = `API: not reachable (${(error as Error).message}).`;
    }
  } else if (existsSync(kubeconfigPath)) {
    apiNote = 'API: the control plane is not running (`kubewars cluster up` starts it).';
  }

  const addresses = new Map(planNodes(settings).map((node) => [node.name, node.ip]));
  const rows = [
    ['NODE', 'VM', 'KUBERNETES', 'ADDRESS'],
    ...machines.map((machine) => [
      machine.name,
      machine.description || machine.state,
      readiness.get(machine.name) ?? '-',
      addresses.get(machine.name) ?? '-',
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  say(deps, ...rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()));
  say(deps, '', apiNote);
}

function streamed(deps: ClusterDeps): (line: string) => void {
  return (line) => say(deps, `  ${line}`);
}

export async function clusterDown(deps: ClusterDeps): Promise<void> {
  const result = await deps.vagrant.run(['halt'], streamed(deps));
  if (result.exitCode !== 0) throw failed(deps, result);
  say(
    deps,
    '',
    'Stopped; the disks are kept. `kubewars cluster up` boots the same VMs again and re-runs the provisioning',
    'scripts, which skip what is already done.',
  );
}

export async function clusterDestroy(deps: ClusterDeps, options: { yes: boolean }): Promise<void> {
  if (!options.yes) {
    if (!deps.isTerminal) {
      throw new UserError('destroy deletes every VM of the cluster and its disk.', 'Add --yes to confirm.');
    }
    if (!(await deps.confirm("Delete all the cluster's VMs and their disks? [y/N] "))) {
      say(deps, 'Nothing deleted.');
      return;
    }
  }
  const result = await deps.vagrant.run(['destroy', '--force'], streamed(deps));
  if (result.exitCode !== 0) throw failed(deps, result);
  // The kubeconfig and join command belong to the cluster that is gone.
  for (const file of ['config', 'join.sh']) rmSync(join(deps.vagrantDir, 'configs', file), { force: true });
  say(deps, '', 'Destroyed. `kubewars cluster up` builds a fresh cluster.');
}

export async function clusterKubeconfig(deps: ClusterDeps, options: { merge: boolean }): Promise<void> {
  const kubeconfigPath = clusterKubeconfigPath(deps.vagrantDir);
  if (!existsSync(kubeconfigPath)) {
    throw new UserError(`No cluster kubeconfig yet (${kubeconfigPath}).`, 'Run `kubewars cluster up` first.');
  }
  if (!options.merge) {
    say(deps, kubeconfigPath);
    return;
  }
  const target = userKubeconfigPath(deps.env, deps.home, kubeconfigPath);
  mergeKubeconfigFile(kubeconfigPath, target);
  say(
    deps,
    `Merged into ${target} as context "${MERGED_CONTEXT}".`,
    `Use it: kubectl config use-context ${MERGED_CONTEXT}   (or kubectl --context ${MERGED_CONTEXT} …)`,
  );
  if (!kubectlReads(target, deps.env, deps.home)) {
    say(deps, `Your KUBECONFIG does not list ${target}; add it: export KUBECONFIG=${target}${delimiter}$KUBECONFIG`);
  }
}

export async function clusterSsh(deps: ClusterDeps, node: string): Promise<void> {
  const names = planNodes(loadSettings(deps.vagrantDir)).map((planned) => planned.name);
  if (!names.includes(node)) {
    throw new UserError(`No node named "${node}".`, `The cluster's nodes: ${names.join(', ')}.`);
  }
  const exitCode = await deps.vagrant.interactive(['ssh', node]);
  if (exitCode !== 0) {
    throw new UserError(
      `\`vagrant ssh ${node}\` exited with code ${exitCode}.`,
      'If the VM is not running, `kubewars cluster up` starts it.',
    );
  }
}
