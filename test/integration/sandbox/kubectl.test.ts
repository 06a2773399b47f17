import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { startSandbox } from '../../../server/sandbox/index.ts';
import type { RunningSandbox } from '../../../server/sandbox/index.ts';
import { kubectlBinaries, kubectlFor } from '../../support/kubectl.ts';
import { until } from '../../support/until.ts';

const manifests = mkdtempSync(join(tmpdir(), 'kubewars-manifests-'));
const podManifest = (name: string, image = 'nginx:1.27', extraLabel = '') => {
  const file = join(manifests, `${name}-${image.replace(/\W/g, '')}${extraLabel}.yaml`);
  writeFileSync(
    file,
    `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels:
    app: ${name}${extraLabel ? `\n    ${extraLabel}` : ''}
spec:
  containers:
    - name: web
      image: ${image}
`,
  );
  return file;
};
const deploymentManifest = (name: string, replicas: number) => {
  const file = join(manifests, `${name}-deploy-${replicas}.yaml`);
  writeFileSync(
    file,
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
`,
  );
  return file;
};

let sandbox: RunningSandbox;
before(async () => {
  sandbox = await startSandbox({
    port: 0,
    kubeconfigOut: join(mkdtempSync(join(tmpdir(), 'kubewars-sandbox-')), 'config'),
    speed: 'fast',
  });
});
after(async () => sandbox?.stop());

for (const binary of kubectlBinaries()) {
  describe(`kubectl ${binary.version} against the sandbox`, () => {
    const ns = `kubectl-${binary.version.replace('.', '-')}`;
    let kubectl: ReturnType<typeof kubectlFor>;
    const ok = async (args: string[], input?: string) => {
      const result = await kubectl([...args, '-n', ns], input === undefined ? {} : { input });
      assert.equal(result.exitCode, 0, `kubectl ${args.join(' ')} failed:\n${result.stderr}`);
      assert.doesNotMatch(result.stderr, /skew|error/i);
      return result.stdout;
    };

    before(async () => {
      kubectl = kubectlFor(binary, sandbox.kubeconfigPath);
      const created = await kubectl(['create', 'namespace', ns]);
      assert.equal(created.exitCode, 0, created.stderr);
    });

    test('version reports the server without a skew warning', async () => {
      const result = await kubectl(['version']);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.match(result.stdout, /Server Version: (version\.Info\{.*GitVersion:"v1\.35\.0"|v1\.35\.0)/);
    });

    test('api-resources lists core and apps resources with short names', async () => {
      const out = await ok(['api-resources']);
      assert.match(out, /^pods\s+po\s+v1\s+true\s+Pod$/m);
      assert.match(out, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
      assert.match(out, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
    });

    test('an empty namespace prints "No resources found"', async () => {
      const result = await kubectl(['get', 'pods', '-n', ns]);
      assert.equal(result.exitCode, 0);
      assert.match(result.stderr + result.stdout, new RegExp(`No resources found in ${ns} namespace`));
    });

    test('create -f then get prints the columns a real cluster prints', async () => {
      assert.match(await ok(['create', '-f', podManifest('created')]), /pod\/created created/);
      const out = await ok(['get', 'pods']);
      assert.match(out, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
      assert.match(out, /^created\s+\d\/1\s+\w+\s+\d+/m);
      const wide = await ok(['get', 'pods', '-o', 'wide']);
      assert.match(
        wide,
        /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/m,
      );
    });

    test('-o yaml and -o json give the stored object with server defaults', async () => {
      const yaml = parse(await ok(['get', 'pod', 'created', '-o', 'yaml'])) as {
        metadata: { uid: string };
        spec: { restartPolicy: string };
      };
      assert.match(yaml.metadata.uid, /^[0-9a-f-]{36}$/);
      assert.equal(yaml.spec.restartPolicy, 'Always');
      const json = JSON.parse(await ok(['get', 'pod', 'created', '-o', 'json'])) as {
        spec: { dnsPolicy: string };
      };
      assert.equal(json.spec.dnsPolicy, 'ClusterFirst');
    });

    test('apply twice says unchanged, then a changed manifest says configured', async () => {
      assert.match(await ok(['apply', '-f', podManifest('applied')]), /pod\/applied created/);
      assert.match(await ok(['apply', '-f', podManifest('applied')]), /pod\/applied unchanged/);
      assert.match(
        await ok(['apply', '-f', podManifest('applied', 'nginx:1.27', 'tier: front')]),
        /pod\/applied configured/,
      );
      assert.match(await ok(['get', 'pods', '-l', 'tier=front']), /^applied\s/m);
    });

    test('apply --server-side creates and re-applies a deployment', async () => {
      const file = deploymentManifest('ssa', 2);
      assert.match(
        await ok(['apply', '--server-side', '-f', file]),
        /deployment\.apps\/ssa serverside-applied/,
      );
      assert.match(
        await ok(['apply', '--server-side', '-f', file]),
        /deployment\.apps\/ssa serverside-applied/,
      );
      assert.match(await ok(['get', 'deployments']), /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m);
    });

    test('label, annotate and the three kinds of patch change the object', async () => {
      await ok(['label', 'pod', 'created', 'team=rebels']);
      await ok(['annotate', 'pod', 'created', 'note=hello']);
      await ok([
        'patch',
        'pod',
        'created',
        '--type',
        'merge',
        '-p',
        '{"metadata":{"labels":{"merged":"yes"}}}',
      ]);
      await ok([
        'patch',
        'pod',
        'created',
        '--type',
        'json',
        '-p',
        '[{"op":"add","path":"/metadata/labels/json","value":"yes"}]',
      ]);
      await ok(['patch', 'pod', 'created', '-p', '{"metadata":{"labels":{"strategic":"yes"}}}']);
      const labels = JSON.parse(
        await ok(['get', 'pod', 'created', '-o', 'jsonpath={.metadata.labels}']),
      ) as Record<string, string>;
      assert.deepEqual(
        { team: labels.team, merged: labels.merged, json: labels.json, strategic: labels.strategic },
        { team: 'rebels', merged: 'yes', json: 'yes', strategic: 'yes' },
      );
      assert.match(
        await ok([
          'get',
          'pods',
          '-l',
          'team in (rebels,empire),!missing',
          '--field-selector',
          'metadata.name=created',
        ]),
        /^created\s/m,
      );
    });

    test('replace puts a whole object back', async () => {
      const current = await ok(['get', 'deployment', 'ssa', '-o', 'yaml']);
      const changed = current.replace(/replicas: 2/, 'replicas: 3');
      assert.match(await ok(['replace', '-f', '-'], changed), /deployment\.apps\/ssa replaced/);
    });

    test('scale changes the replicas through the scale subresource', async () => {
      assert.match(
        await ok(['scale', 'deployment', 'ssa', '--replicas', '4']),
        /deployment\.apps\/ssa scaled/,
      );
      assert.equal(await ok(['get', 'deployment', 'ssa', '-o', 'jsonpath={.spec.replicas}']), '4');
    });

    test('get -A lists pods of every namespace with a NAMESPACE column', async () => {
      const out = await ok(['get', 'pods', '-A']);
      assert.match(out, /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
      assert.match(out, new RegExp(`^${ns}\\s+created\\s`, 'm'));
    });

    test('an unknown field selector is refused with the apiserver message', async () => {
      const result = await kubectl(['get', 'pods', '-n', ns, '--field-selector', 'spec.bogus=1']);
      assert.notEqual(result.exitCode, 0);
      assert.match(result.stderr, /field label not supported: spec\.bogus/);
    });

    test('describe shows the pod', async () => {
      const out = await ok(['describe', 'pod', 'created']);
      assert.match(out, /^Name:\s+created$/m);
      assert.match(out, new RegExp(`^Namespace:\\s+${ns}$`, 'm'));
    });

    test('get -w prints a pod created while it watches', async () => {
      const child = spawn(binary.path, ['get', 'pods', '-w', '-n', ns], {
        env: {
          KUBECONFIG: sandbox.kubeconfigPath,
          KUBECACHEDIR: mkdtempSync(join(tmpdir(), 'kc-')),
          HOME: tmpdir(),
        },
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      try {
        await until('the watch to list the existing pod', async () => /^created\s/m.test(output));
        await ok(['create', '-f', podManifest('watched')]);
        await until('the watch to print the new pod', async () => /^watched\s/m.test(output));
        assert.match(output, /^watched\s+\d\/1/m, output);
      } finally {
        child.kill();
      }
    });

    test('delete removes the pod and waits until it is gone', async () => {
      const out = await ok(['delete', 'pod', 'applied', '--wait=true', '--timeout=60s']);
      assert.match(out, /pod "applied" deleted/);
      const result = await kubectl(['get', 'pod', 'applied', '-n', ns]);
      assert.notEqual(result.exitCode, 0);
      assert.match(result.stderr, /pods "applied" not found/);
    });
  });
}
