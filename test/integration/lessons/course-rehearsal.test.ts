// The course rehearsed as `kubewars course rehearse` does it, in order in one sandbox: side effects between lessons
// (a drain, a taint left behind) fail here, and so does a lesson that leans on the sandbox's own node names. Every
// language on the default shape; English only on the kind-shaped and single-worker ones. Each run has its sandbox and
// they all go at once: a course run is sequential by nature (about 5 min at load 16), so CI waits for one, not six.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { listLanguages } from '../../../server/lessons/loader.ts';
import { rehearseCourse } from '../../../server/course/rehearse.ts';
import { startSandbox, type SandboxOptions } from '../../../server/sandbox/index.ts';
import { kubectlBinDir, projectRoot } from './sandbox-run.ts';

const workDir = mkdtempSync(join(tmpdir(), 'kubewars-rehearsal-test-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

const shapes: { name: string; sandbox: SandboxOptions; langs: string[] }[] = [
  { name: 'the default sandbox', sandbox: {}, langs: listLanguages(projectRoot) },
  {
    name: 'a kind-shaped sandbox',
    sandbox: { nodeNames: ['kind-control-plane', 'kind-worker', 'kind-worker2'] },
    langs: ['en'],
  },
  { name: 'a single-worker sandbox', sandbox: { nodes: 1 }, langs: ['en'] },
];

/** What the rehearsal must leave as it found: every node's labels, taints and schedulability. */
async function nodesAsFound(kc: KubeConfig) {
  const nodes = await kc.makeApiClient(CoreV1Api).listNode();
  return nodes.items.map((n) => ({
    name: n.metadata?.name,
    labels: n.metadata?.labels,
    taints: n.spec?.taints ?? [],
    unschedulable: n.spec?.unschedulable ?? false,
  }));
}

const runs = shapes.flatMap((shape) => shape.langs.map((lang) => ({ shape, lang })));

describe('kubewars course rehearse', { concurrency: runs.length }, () => {
  for (const { shape, lang } of runs) {
    test(`the whole course in ${lang} passes in order on ${shape.name} and leaves the nodes as they were`, async (t) => {
      const dir = join(workDir, `${shape.name.replace(/\W+/g, '-')}-${lang}`);
      const sandbox = await startSandbox({
        port: 0,
        kubeconfigOut: join(dir, 'sandbox.kubeconfig'),
        speed: 'fast',
        ...shape.sandbox,
      });
      try {
        const kc = new KubeConfig();
        kc.loadFromFile(sandbox.kubeconfigPath);
        const before = await nodesAsFound(kc);
        const lines: string[] = [];
        const summary = await rehearseCourse({
          kubeConfig: kc,
          projectRoot,
          lang,
          env: {
            ...process.env,
            PATH: `${kubectlBinDir}${delimiter}${process.env.PATH ?? ''}`,
            HOME: dir,
            KUBECACHEDIR: join(dir, 'kube-cache'),
          },
          workDir: join(dir, lang),
          namespace: `rehearsal-${lang}`,
          write: (line) => {
            lines.push(line);
            t.diagnostic(`${lang}: ${line}`);
          },
        });
        assert.equal(summary.failed, 0, `${lang} on ${shape.name}:\n${lines.join('\n')}`);
        assert.equal(summary.passed, summary.lessons, `nothing skipped on the sandbox:\n${lines.join('\n')}`);
        assert.deepEqual(JSON.parse(lines.at(-1) ?? '{}'), summary, 'the last line is the JSON summary');
        assert.equal(lines.filter((l) => /^lesson \d+ /.test(l)).length, summary.lessons, 'one line per lesson');
        assert.deepEqual(await nodesAsFound(kc), before, 'the nodes are left as they were found');
      } finally {
        await sandbox.stop();
      }
    });
  }
});
