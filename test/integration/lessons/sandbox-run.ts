// Runs Markdown code blocks as a learner would: in order, with real kubectl 1.35, against a fresh sandbox in its own
// namespace; then the step's checks must pass through the check runner the viewer uses. Lessons and solutions share it.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, type TestContext } from 'node:test';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { checksUntilPass, namespacedKubeconfig, runBlock } from '../../../server/course/block-runner.ts';
import type { CodeBlock } from '../../../server/lessons/code-blocks.ts';
import type { StepFiles } from '../../../server/lessons/loader.ts';
import { kubectlBinaries } from '../../support/kubectl.ts';
import { startSandbox } from '../../../server/sandbox/index.ts';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const workDir = mkdtempSync(join(tmpdir(), 'kubewars-lessons-run-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

// A PATH entry whose `kubectl` is the 1.35 binary, so lesson text runs exactly as a learner types it.
export const kubectlBinDir = join(workDir, 'bin');
mkdirSync(kubectlBinDir);
const kubectl135 = kubectlBinaries().find((b) => b.version === '1.35');
if (!kubectl135) throw new Error('kubectl 1.35 is missing from test/support/kubectl.ts');
symlinkSync(kubectl135.path, join(kubectlBinDir, 'kubectl'));

const checkDeadlineMs = 90_000;
// A stalled block's limit, not a speed target: lesson 16's node stop/start block took 137 s at load 16.
const blockTimeoutMs = 300_000;

export interface BlockRun {
  /** Names the run in failure messages and its work folder, e.g. lessons/en/04-pods.md. */
  source: string;
  namespace: string;
  blocks: CodeBlock[];
  step: StepFiles;
  lang: string;
  /** The attendee whose pilot name fills `{player}` in the checks; the sample pilots when undefined. */
  player?: string;
  /** Folder the blocks run in; the project root (where `steps/` is) unless given. */
  cwd?: string;
}

let runs = 0;

/** Runs the `bash run` blocks of `run.blocks` in a fresh sandbox, then requires every check of the step to pass. */
export async function runBlocksThenCheck(t: TestContext, run: BlockRun): Promise<void> {
  const dir = join(workDir, `run-${++runs}`);
  mkdirSync(dir);
  const sandbox = await startSandbox({ port: 0, kubeconfigOut: join(dir, 'sandbox.kubeconfig'), speed: 'fast' });
  try {
    const kubeconfig = join(dir, 'kubeconfig');
    const base = new KubeConfig();
    base.loadFromFile(sandbox.kubeconfigPath);
    const kc = namespacedKubeconfig(base, run.namespace, kubeconfig);
    const env = {
      ...process.env,
      PATH: `${kubectlBinDir}${delimiter}${process.env.PATH ?? ''}`,
      KUBECONFIG: kubeconfig,
      KUBECACHEDIR: join(dir, 'kube-cache'),
      HOME: dir,
      // `npx kubewars` in a lesson must not ask the registry whether npm is up to date.
      npm_config_update_notifier: 'false',
    };
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: run.namespace } } });
    for (const [i, block] of run.blocks.entries()) {
      if (block.mode === 'skip-sandbox') t.diagnostic(`block ${i + 1} skipped: ${block.reason}`);
      if (block.mode !== 'run') continue;
      const result = await runBlock(block.code, { cwd: run.cwd ?? projectRoot, env, timeoutMs: blockTimeoutMs });
      assert.equal(
        result.exitCode,
        0,
        `${run.source} block ${i + 1} exited ${result.exitCode}:\n$ ${block.code}\n${result.output}`,
      );
    }
    const results = await checksUntilPass(kc, run.step.checks, run.namespace, run.lang, checkDeadlineMs, run.player);
    const failed = results.filter((r) => !r.passed).map((r) => `${r.id}: ${r.message} (${r.detail})`);
    assert.deepEqual(failed, [], `steps/${run.step.folder} checks failed after running ${run.source}`);
  } finally {
    await sandbox.stop();
  }
}
