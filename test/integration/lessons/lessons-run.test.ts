// Every lesson is executed like code: its runnable blocks run in order with real kubectl against a fresh sandbox,
// then the step's checks must pass through the same check runner the viewer uses.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { execa } from 'execa';
import type { CheckResult } from '../../../server/lessons/checks.ts';
import { runChecks } from '../../../server/lessons/check-runner.ts';
import { listLanguages, loadCourse, loadStep } from '../../../server/lessons/loader.ts';
import { renderLesson } from '../../../server/lessons/render.ts';
import { kubectlBinaries } from '../../support/kubectl.ts';
import { startSandbox } from '../../../server/sandbox/index.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const workDir = mkdtempSync(join(tmpdir(), 'kubewars-lessons-run-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

// A PATH entry whose `kubectl` is the 1.35 binary, so lesson text runs exactly as a learner types it.
const binDir = join(workDir, 'bin');
mkdirSync(binDir);
const kubectl135 = kubectlBinaries().find((b) => b.version === '1.35');
if (!kubectl135) throw new Error('kubectl 1.35 is missing from test/support/kubectl.ts');
symlinkSync(kubectl135.path, join(binDir, 'kubectl'));

const checkDeadlineMs = 90_000;
const blockTimeoutMs = 120_000;

/** A kubeconfig for the sandbox whose context points at the lesson's own namespace. */
function namespacedKubeconfig(sandboxKubeconfig: string, namespace: string, path: string): KubeConfig {
  const base = new KubeConfig();
  base.loadFromFile(sandboxKubeconfig);
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: base.clusters,
    users: base.users,
    contexts: base.contexts.map((c) => ({ ...c, namespace })),
    currentContext: base.currentContext,
  });
  writeFileSync(path, kc.exportConfig());
  return kc;
}

async function checksUntilPass(kc: KubeConfig, step: ReturnType<typeof loadStep>, namespace: string, lang: string) {
  const deadline = Date.now() + checkDeadlineMs;
  let results: CheckResult[] = [];
  do {
    results = await runChecks(kc, step.checks, namespace, lang);
    if (results.every((r) => r.passed)) return results;
    await new Promise((r) => setTimeout(r, 500));
  } while (Date.now() < deadline);
  return results;
}

// Only lessons written in each language: English fallbacks are already run under en.
const lessons = listLanguages(projectRoot).flatMap((lang) =>
  loadCourse(projectRoot, lang)
    .filter((l) => l.lang === lang)
    .map((lesson) => ({ lang, lesson })),
);

// Lessons mostly wait for simulated pods (the 34 use ~45 s of CPU in all), so every language shares one pool of 6.
// Measured on 2 cores busy with other jobs (load 14): 84 s at 4 at a time, 64 s at 6; 71 s as two pools of 4.
describe('lessons', { concurrency: 6 }, () => {
  for (const { lang, lesson } of lessons) {
      test(`lessons/${lang}/${lesson.slug} runs to completion and passes its checks`, async (t) => {
        const dir = join(workDir, `${lang}-${lesson.slug}`);
        mkdirSync(dir);
        const sandbox = await startSandbox({ port: 0, kubeconfigOut: join(dir, 'sandbox.kubeconfig'), speed: 'fast' });
        try {
          const namespace = `lesson-${lesson.number}`;
          const kubeconfig = join(dir, 'kubeconfig');
          const kc = namespacedKubeconfig(sandbox.kubeconfigPath, namespace, kubeconfig);
          const env = {
            ...process.env,
            PATH: `${binDir}${delimiter}${process.env.PATH ?? ''}`,
            KUBECONFIG: kubeconfig,
            KUBECACHEDIR: join(dir, 'kube-cache'),
            HOME: dir,
          };
          await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
          const { blocks } = renderLesson(lesson.body);
          for (const [i, block] of blocks.entries()) {
            if (block.mode === 'skip-sandbox') t.diagnostic(`block ${i + 1} skipped: ${block.reason}`);
            if (block.mode !== 'run') continue;
            const run = await execa('bash', ['-euo', 'pipefail', '-c', block.code], {
              cwd: projectRoot,
              env,
              reject: false,
              timeout: blockTimeoutMs,
              all: true,
            });
            assert.equal(
              run.exitCode,
              0,
              `lessons/${lang}/${lesson.slug}.md block ${i + 1} exited ${run.exitCode}:\n$ ${block.code}\n${run.all ?? ''}`,
            );
          }
          const step = loadStep(projectRoot, lesson.meta.step, lang);
          const results = await checksUntilPass(kc, step, namespace, lang);
          const failed = results.filter((r) => !r.passed).map((r) => `${r.id}: ${r.detail}`);
          assert.deepEqual(failed, [], `steps/${step.folder} checks failed after running the lesson`);
        } finally {
          await sandbox.stop();
        }
      });
  }
});
