// Every manifest shipped in steps/ is valid YAML and accepted by the API server (dry run) with both kubectl versions.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { kubectlBinaries, kubectlFor } from '../../support/kubectl.ts';
import { sandboxForTests } from '../../support/sandbox.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const stepsDir = join(projectRoot, 'steps');
const manifests = readdirSync(stepsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join(stepsDir, d.name))
      .filter((f) => /\.ya?ml$/.test(f) && f !== 'checks.yaml')
      .map((f) => `${d.name}/${f}`),
  );

describe('step manifests', () => {
  for (const manifest of manifests) {
    test(`steps/${manifest} is valid YAML`, () => {
      const docs = parseAllDocuments(readFileSync(join(stepsDir, manifest), 'utf8'));
      for (const doc of Array.isArray(docs) ? docs : [docs]) assert.deepEqual(doc.errors, [], `steps/${manifest}`);
    });
  }
});

describe('step manifests against the sandbox', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubewars-manifests-'));
  const sandbox = sandboxForTests(dir);
  before(async () => {
    // The namespaces the steps make (lesson 13's team-rebels …) exist before what goes in them, as in the lessons:
    // a server dry run of an object in a namespace not yet made is refused.
    const namespaces = manifests.flatMap((manifest) =>
      parseAllDocuments(readFileSync(join(stepsDir, manifest), 'utf8'))
        .map((doc) => doc.toJS() as { kind?: string; metadata?: { name?: string } } | null)
        .filter((object) => object?.kind === 'Namespace')
        .map((object) => object?.metadata?.name as string),
    );
    const kubectl = kubectlFor(kubectlBinaries().at(-1)!, sandbox().kubeconfigPath);
    for (const name of new Set(namespaces)) {
      const made = await kubectl(['create', 'namespace', name]);
      assert.equal(made.exitCode, 0, made.stderr);
    }
  });
  for (const bin of kubectlBinaries()) {
    // kubectl 1.20 only sends a server dry run for a kind whose OpenAPI v2 PATCH operation lists a dryRun parameter
    // (else it refuses locally: "Kind=Pod doesn't support dry-run"): this also checks the sandbox's /openapi/v2.
    test(`every manifest passes apply --dry-run=server with kubectl ${bin.version}`, async () => {
      const kubectl = kubectlFor(bin, sandbox().kubeconfigPath);
      const failures: string[] = [];
      for (const manifest of manifests) {
        const r = await kubectl(['apply', '--dry-run=server', '-f', join(stepsDir, manifest)], { timeoutMs: 60_000 });
        if (r.exitCode !== 0) failures.push(`steps/${manifest}: ${r.stderr.trim()}`);
      }
      assert.deepEqual(failures, []);
    });
  }
});
