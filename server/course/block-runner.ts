// Runs a lesson's Markdown blocks as a learner would type them, and waits for a step's checks: shared by the lesson
// tests and `kubewars course rehearse`, so what CI proves is what the instructor rehearses.
import { writeFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { execa } from 'execa';
import type { CheckResult, Check } from '../lessons/checks.ts';
import { runChecks } from '../lessons/check-runner.ts';

export interface BlockResult {
  exitCode: number;
  /** stdout and stderr interleaved, as the learner's terminal shows them. */
  output: string;
  timedOut: boolean;
}

export interface BlockEnvironment {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** A stalled block's limit, not a speed target. */
  timeoutMs: number;
}

/** Runs one block with `bash -euo pipefail`: the first failing command stops it, as it would stop a careful learner. */
export async function runBlock(code: string, where: BlockEnvironment): Promise<BlockResult> {
  // Its own process group, killed whole at the deadline: a kubectl left behind by a killed bash would keep the output
  // pipe open and the run waiting forever.
  const child = execa('bash', ['-euo', 'pipefail', '-c', code], {
    cwd: where.cwd,
    env: where.env,
    reject: false,
    all: true,
    detached: true,
  });
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group ended on its own meanwhile.
    }
  }, where.timeoutMs);
  const result = await child.finally(() => clearTimeout(deadline));
  return { exitCode: result.exitCode ?? 1, output: result.all ?? '', timedOut };
}

/** Runs the checks until they all pass or `deadlineMs` has gone by; the last results either way. */
export async function checksUntilPass(
  kc: KubeConfig,
  checks: Check[],
  namespace: string,
  lang: string,
  deadlineMs: number,
  player?: string,
): Promise<CheckResult[]> {
  const deadline = Date.now() + deadlineMs;
  let results: CheckResult[] = [];
  do {
    results = await runChecks(kc, checks, namespace, lang, player);
    if (results.every((r) => r.passed)) return results;
    await new Promise((r) => setTimeout(r, 500));
  } while (Date.now() < deadline);
  return results;
}

/** Writes `base` again with every context pointing at `namespace`, so the blocks' kubectl works there. */
export function namespacedKubeconfig(base: KubeConfig, namespace: string, path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: base.clusters,
    users: base.users,
    contexts: base.contexts.map((c) => ({ ...c, namespace })),
    currentContext: base.currentContext,
  });
  writeFileSync(path, kc.exportConfig(), { mode: 0o600 });
  return kc;
}
