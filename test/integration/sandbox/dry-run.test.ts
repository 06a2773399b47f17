// Server dry runs, explain and validated creates through both real kubectl versions: all of them read the
// sandbox's /openapi/v2 document first (kubectl 1.20 only sends a server dry run for kinds it lists with dryRun).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { kubectlBinaries, kubectlFor } from '../../support/kubectl.ts';
import { sandboxForTests } from '../../support/sandbox.ts';

const dir = mkdtempSync(join(tmpdir(), 'kubewars-dry-run-'));

/** A pod, a deployment, a service and a config map, with fields from all over their schemas. */
function workload(suffix: string, image = 'nginx:1.27'): string {
  const file = join(dir, `workload-${suffix}-${image.replace(/\W/g, '')}.yaml`);
  writeFileSync(
    file,
    `apiVersion: v1
kind: Pod
metadata:
  name: solo-${suffix}
  labels: {app: solo-${suffix}}
  annotations: {kubewars.io/note: dry}
spec:
  restartPolicy: Always
  containers:
    - name: web
      image: ${image}
      ports: [{name: http, containerPort: 80, protocol: TCP}]
      env: [{name: MODE, value: test}]
      resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {memory: 64Mi}}
      readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 5}
      volumeMounts: [{name: scratch, mountPath: /scratch}]
  volumes: [{name: scratch, emptyDir: {}}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: fleet-${suffix}
spec:
  replicas: 2
  selector: {matchLabels: {app: fleet-${suffix}}}
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
  template:
    metadata: {labels: {app: fleet-${suffix}}}
    spec:
      containers: [{name: web, image: ${image}}]
---
apiVersion: v1
kind: Service
metadata:
  name: fleet-${suffix}
spec:
  selector: {app: fleet-${suffix}}
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings-${suffix}
data: {mode: test}
`,
  );
  return file;
}

const objects = (suffix: string) => [
  `pod/solo-${suffix}`,
  `deployment.apps/fleet-${suffix}`,
  `service/fleet-${suffix}`,
  `configmap/settings-${suffix}`,
];

const sandbox = sandboxForTests(dir);

for (const bin of kubectlBinaries()) {
  const suffix = `v${bin.version.replace('.', '')}`;
  describe(`kubectl ${bin.version} against the sandbox's OpenAPI`, () => {
    const kubectl = (args: string[]) => {
      return kubectlFor(bin, sandbox().kubeconfigPath)(args, { timeoutMs: 60_000 });
    };

    test('apply --dry-run=server reports every object as a server dry run and creates none of them', async () => {
      const applied = await kubectl(['apply', '--dry-run=server', '-f', workload(suffix)]);
      assert.equal(applied.exitCode, 0, applied.stderr);
      assert.deepEqual(
        applied.stdout.trim().split('\n'),
        objects(suffix).map((name) => `${name} created (server dry run)`),
      );
      assert.equal(applied.stderr, '');
      for (const name of objects(suffix)) {
        const got = await kubectl(['get', name]);
        assert.notEqual(got.exitCode, 0, `${name} exists after a dry run`);
        assert.match(got.stderr, /NotFound/);
      }
    });

    test('apply --dry-run=server on existing objects changes nothing; a real apply afterwards updates them', async () => {
      const created = await kubectl(['apply', '-f', workload(`${suffix}-live`)]);
      assert.equal(created.exitCode, 0, created.stderr);
      const changed = workload(`${suffix}-live`, 'nginx:1.28');
      const dry = await kubectl(['apply', '--dry-run=server', '-f', changed]);
      assert.equal(dry.exitCode, 0, dry.stderr);
      assert.match(
        dry.stdout,
        new RegExp(`deployment.apps/fleet-${suffix}-live configured \\(server dry run\\)`),
      );
      assert.equal(dry.stderr, '', 'no warnings about the OpenAPI document');
      const image = [
        'get',
        `deployment/fleet-${suffix}-live`,
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image}',
      ];
      assert.equal((await kubectl(image)).stdout, 'nginx:1.27');
      const real = await kubectl(['apply', '-f', changed]);
      assert.equal(real.exitCode, 0, real.stderr);
      assert.equal(real.stderr, '', 'no warnings about the OpenAPI document');
      assert.equal((await kubectl(image)).stdout, 'nginx:1.28');
    });

    test('create -f validates each manifest and creates the objects', async () => {
      const created = await kubectl(['create', '-f', workload(`${suffix}-create`)]);
      assert.equal(created.exitCode, 0, created.stderr);
      assert.deepEqual(
        created.stdout.trim().split('\n'),
        objects(`${suffix}-create`).map((name) => `${name} created`),
      );
      const noKind = join(dir, `no-kind-${suffix}.yaml`);
      writeFileSync(noKind, `apiVersion: v1\nmetadata:\n  name: nameless-${suffix}\n`);
      const refused = await kubectl(['create', '-f', noKind]);
      assert.notEqual(refused.exitCode, 0);
      assert.match(refused.stderr, /error validating data: kind not set/);
    });

    test('explain pod answers, or fails with a plain error message', async () => {
      const explained = await kubectl(['explain', 'pod']);
      assert.doesNotMatch(explained.stderr, /panic|goroutine/);
      if (explained.exitCode === 0) assert.match(explained.stdout, /KIND:\s+Pod/);
      else assert.match(explained.stderr, /^error: .*Pod/);
    });
  });
}
