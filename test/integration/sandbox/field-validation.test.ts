// Field validation through real kubectl 1.20 and 1.35: a typo'd manifest is refused (or warned about) as a real
// apiserver (1.35) or kubectl itself from the OpenAPI schema (1.20) does, and every manifest the lessons ship
// applies with no warning at all.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { startSandbox } from '../../../server/sandbox/index.ts';
import { kubectlBinaries, kubectlFor } from '../../support/kubectl.ts';
import { sandboxForTests } from '../../support/sandbox.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const stepsDir = join(projectRoot, 'steps');
const dir = mkdtempSync(join(tmpdir(), 'kubewars-field-validation-'));

function manifest(name: string, text: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

/** A pod whose author misspelt `containers` and, in the real list, `imagePullPolicy`. */
const typoPod = (name: string) =>
  manifest(
    name,
    `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  contianers:
    - name: web
      image: nginx
  containers:
    - name: web
      image: nginx
      imagePullPolcy: Always
`,
  );

const validPod = (name: string) =>
  manifest(
    `${name}-valid`,
    `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
    - name: web
      image: nginx
`,
  );

// kubectl turns YAML into JSON from a map, so the server sees the keys sorted: containers before contianers.
const strictError = (name: string, verb: string) =>
  `Error from server (BadRequest): error when ${verb} "${join(dir, `${name}.yaml`)}": Pod in version "v1" ` +
  'cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagePullPolcy", ' +
  'unknown field "spec.contianers"';
const typoWarnings =
  'Warning: unknown field "spec.containers[0].imagePullPolcy"\nWarning: unknown field "spec.contianers"';

const stepManifests = readdirSync(stepsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((entry) =>
    readdirSync(join(stepsDir, entry.name))
      .filter((file) => /\.ya?ml$/.test(file) && file !== 'checks.yaml')
      .map((file) => join(stepsDir, entry.name, file)),
  );

const sandbox = sandboxForTests(dir);

const kubectlOf = (bin: ReturnType<typeof kubectlBinaries>[number]) => {
  const run = kubectlFor(bin, sandbox().kubeconfigPath);
  return (args: string[]) => run(args, { timeoutMs: 60_000 });
};

describe('kubectl 1.35 relies on the server for field validation', () => {
  const bin = kubectlBinaries().find((b) => b.version === '1.35');
  assert.ok(bin);

  test('apply and create of a typo’d pod are refused with the strict decoding error, and nothing is stored', async () => {
    const kubectl = kubectlOf(bin);
    const applied = await kubectl(['apply', '-f', typoPod('typo-apply')]);
    assert.equal(applied.exitCode, 1);
    assert.equal(applied.stderr.trim(), strictError('typo-apply', 'creating'));
    const created = await kubectl(['create', '-f', typoPod('typo-create')]);
    assert.equal(created.exitCode, 1);
    assert.equal(created.stderr.trim(), strictError('typo-create', 'creating'));
    const got = await kubectl(['get', 'pod', 'typo-apply', 'typo-create']);
    assert.match(got.stderr, /pods "typo-apply" not found/);
  });

  test('--validate=false (Ignore) stores the pod silently, --validate=warn with the warnings: both without the typos', async () => {
    const kubectl = kubectlOf(bin);
    const ignored = await kubectl(['apply', '--validate=false', '-f', typoPod('typo-ignore')]);
    assert.equal(ignored.exitCode, 0, ignored.stderr);
    assert.equal(ignored.stdout.trim(), 'pod/typo-ignore created');
    assert.equal(ignored.stderr, '');
    const warned = await kubectl(['create', '--validate=warn', '-f', typoPod('typo-warn')]);
    assert.equal(warned.exitCode, 0, warned.stderr);
    assert.equal(warned.stdout.trim(), 'pod/typo-warn created');
    assert.equal(warned.stderr.trim(), typoWarnings);
    // As on a real cluster, an unknown field has nowhere to go in the stored object (the annotation keeps it).
    for (const name of ['typo-ignore', 'typo-warn']) {
      const spec = await kubectl(['get', 'pod', name, '-o', 'jsonpath={.spec}']);
      assert.equal(spec.exitCode, 0, spec.stderr);
      assert.doesNotMatch(spec.stdout, /contianers|imagePullPolcy/);
      assert.match(spec.stdout, /"image":"nginx"/);
    }
  });

  test('kubectl replace of a typo’d pod is refused the same way', async () => {
    const kubectl = kubectlOf(bin);
    assert.equal((await kubectl(['apply', '-f', validPod('typo-replace')])).exitCode, 0);
    const replaced = await kubectl(['replace', '-f', typoPod('typo-replace')]);
    assert.equal(replaced.exitCode, 1);
    assert.equal(replaced.stderr.trim(), strictError('typo-replace', 'replacing'));
  });

  test('applying a typo to an existing pod is refused: the strategic merge patch is quoted in a 422', async () => {
    const kubectl = kubectlOf(bin);
    const first = await kubectl(['apply', '-f', validPod('typo-patch')]);
    assert.equal(first.exitCode, 0, first.stderr);
    const second = await kubectl(['apply', '-f', typoPod('typo-patch')]);
    assert.equal(second.exitCode, 1);
    // kubectl prints a 422 without a kind as "The request is invalid", then the cause: kubectl's patch map in
    // Go's %+v form, its last-applied annotation included.
    const refusal = second.stderr.trim();
    assert.ok(
      refusal.startsWith('The request is invalid: patch: Invalid value: "map[metadata:map[annotations:map['),
      refusal,
    );
    assert.ok(
      refusal.endsWith(
        ' spec:map[$setElementOrder/containers:[map[name:web]] containers:[map[imagePullPolcy:Always name:web]] ' +
          'contianers:[map[image:nginx name:web]]]]": strict decoding error: ' +
          'unknown field "spec.containers[0].imagePullPolcy", unknown field "spec.contianers"',
      ),
      refusal,
    );
    const stored = await kubectl(['get', 'pod', 'typo-patch', '-o', 'json']);
    assert.equal(stored.exitCode, 0, stored.stderr);
    assert.doesNotMatch(stored.stdout, /contianers|imagePullPolcy/, 'the refused patch changed nothing');
  });

  test('kubectl patch warns by default about an unknown field and stores the pod without it', async () => {
    const kubectl = kubectlOf(bin);
    assert.equal((await kubectl(['apply', '-f', validPod('typo-merge')])).exitCode, 0);
    const patched = await kubectl([
      'patch',
      'pod',
      'typo-merge',
      '--type=merge',
      '-p',
      '{"metadata":{"labels":{"hit":"yes"}},"spec":{"nodeSelecter":{"a":"b"}}}',
    ]);
    assert.equal(patched.exitCode, 0, patched.stderr);
    assert.equal(patched.stdout.trim(), 'pod/typo-merge patched');
    assert.equal(patched.stderr.trim(), 'Warning: unknown field "spec.nodeSelecter"');
    const stored = await kubectl(['get', 'pod', 'typo-merge', '-o', 'json']);
    assert.doesNotMatch(stored.stdout, /nodeSelecter/);
    assert.match(stored.stdout, /"hit": "yes"/);
  });
});

describe('kubectl 1.20 validates against the OpenAPI schema itself and sends no fieldValidation', () => {
  const bin = kubectlBinaries().find((b) => b.version === '1.20');
  assert.ok(bin);

  test('apply of a typo’d pod is refused by kubectl with the schema’s names for the types', async () => {
    const kubectl = kubectlOf(bin);
    const file = typoPod('typo-client');
    const applied = await kubectl(['apply', '-f', file]);
    assert.equal(applied.exitCode, 1);
    assert.equal(
      applied.stderr.trim(),
      `error: error validating "${file}": error validating data: [ValidationError(Pod.spec.containers[0]): ` +
        'unknown field "imagePullPolcy" in io.k8s.api.core.v1.Container, ValidationError(Pod.spec): unknown field ' +
        '"contianers" in io.k8s.api.core.v1.PodSpec]; if you choose to ignore these errors, turn validation off ' +
        'with --validate=false',
    );
  });

  test('with --validate=false the server default, Warn, applies: stored, with the server’s warnings', async () => {
    const kubectl = kubectlOf(bin);
    const applied = await kubectl(['apply', '--validate=false', '-f', typoPod('typo-old')]);
    assert.equal(applied.exitCode, 0, applied.stderr);
    assert.equal(applied.stdout.trim(), 'pod/typo-old created');
    assert.equal(applied.stderr.trim(), typoWarnings);
  });
});

for (const bin of kubectlBinaries()) {
  describe(`every lesson manifest with kubectl ${bin.version}`, () => {
    test('applies, and applies again, with no warning and no error', async () => {
      // Each version gets its own cluster: the second version must create, not only re-apply.
      const own = await startSandbox({
        port: 0,
        kubeconfigOut: join(dir, `steps-${bin.version}`),
        speed: 'fast',
      });
      try {
        const kubectl = kubectlFor(bin, own.kubeconfigPath);
        const problems: string[] = [];
        for (const round of ['first', 'second']) {
          for (const file of stepManifests) {
            const r = await kubectl(['apply', '-f', file], { timeoutMs: 60_000 });
            if (r.exitCode !== 0 || r.stderr.trim() !== '') {
              problems.push(`${round} apply of ${file.slice(projectRoot.length + 1)}: ${r.stderr.trim()}`);
            }
          }
        }
        assert.deepEqual(problems, []);
      } finally {
        await own.stop();
      }
    });
  });
}
