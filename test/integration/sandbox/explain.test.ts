// `kubectl explain` and client-side validation read the sandbox's OpenAPI documents: kubectl 1.20 the v2 protobuf
// document, kubectl 1.35 the v3 documents. Every served kind is explained by both, at any depth.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { resources } from '../../../server/sandbox/registry/resources.ts';
import { descriptions } from '../../../server/sandbox/schema/descriptions.ts';
import { kubectlBinaries, kubectlFor } from '../../support/kubectl.ts';
import { sandboxForTests } from '../../support/sandbox.ts';

const dir = mkdtempSync(join(tmpdir(), 'kubewars-explain-'));
const sandbox = sandboxForTests(dir);

/** kubectl wraps descriptions at 80 columns: compare texts with their spaces squeezed. */
const squeezed = (text: string) => text.replace(/\s+/g, ' ');

const manifest = (name: string, text: string) => {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
};

const typoDeployment = (name: string) =>
  manifest(
    name,
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  replica: 2
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

for (const bin of kubectlBinaries()) {
  describe(`kubectl ${bin.version} explain`, () => {
    const kubectl = (args: string[]) => {
      return kubectlFor(bin, sandbox().kubeconfigPath)(args, { timeoutMs: 60_000 });
    };

    test('explains every served kind, with its description and its fields', async () => {
      for (const r of resources) {
        const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
        const explained = await kubectl(['explain', r.resource, `--api-version=${apiVersion}`]);
        assert.equal(explained.exitCode, 0, `${r.kind}: ${explained.stderr}`);
        assert.match(explained.stdout, new RegExp(`KIND:\\s+${r.kind}\\n`), r.kind);
        const message = `${r.group ? r.group.split('.')[0] : 'core'}.${r.version}.${r.kind}`;
        const description = descriptions[message]?.[''];
        if (description)
          assert.ok(squeezed(explained.stdout).includes(description), `${r.kind} is described`);
        assert.match(explained.stdout, /FIELDS:\n(.|\n)*\bmetadata\b/, `${r.kind} lists its fields`);
      }
    });

    test('explains a nested field through lists and references: pod.spec.containers.livenessProbe', async () => {
      const explained = await kubectl(['explain', 'pod.spec.containers.livenessProbe']);
      assert.equal(explained.exitCode, 0, explained.stderr);
      const text = squeezed(explained.stdout);
      assert.ok(text.includes(descriptions['core.v1.Container']?.livenessProbe as string), text);
      assert.match(text, /failureThreshold <integer> Failures in a row/);
      assert.match(text, /httpGet <(Object|HTTPGetAction)> Send an HTTP GET/);
      const httpGet = await kubectl(['explain', 'pod.spec.containers.livenessProbe.httpGet']);
      assert.equal(httpGet.exitCode, 0, httpGet.stderr);
      assert.match(squeezed(httpGet.stdout), /port <(string|IntOrString)> -required- The port, as a number/);
    });

    test('--recursive prints the whole tree of field names', async () => {
      const explained = await kubectl(['explain', 'pod.spec', '--recursive']);
      assert.equal(explained.exitCode, 0, explained.stderr);
      for (const field of [
        'containers',
        'livenessProbe',
        'httpGet',
        'volumeMounts',
        'mountPath',
        'tolerations',
      ]) {
        assert.match(explained.stdout, new RegExp(`^\\s+${field}\\s`, 'm'), field);
      }
    });

    test('--api-version=apps/v1 deployment, and enums and required fields of a nested type', async () => {
      const deployment = await kubectl(['explain', '--api-version=apps/v1', 'deployment.spec.strategy']);
      assert.equal(deployment.exitCode, 0, deployment.stderr);
      assert.match(
        squeezed(deployment.stdout),
        /type <string> (enum: Recreate, RollingUpdate )?RollingUpdate \(a few/,
      );
      const v1 = await kubectl(['explain', '--api-version=autoscaling/v1', 'hpa.spec']);
      assert.match(squeezed(v1.stdout), /targetCPUUtilizationPercentage <integer>/);
      assert.match(squeezed(v1.stdout), /maxReplicas <integer> -required-/);
    });
  });
}

describe('client-side validation reads the same schemas', () => {
  test('kubectl 1.20 --validate=true refuses an unknown field with the schema’s type name', async () => {
    const bin = kubectlBinaries().find((b) => b.version === '1.20');
    assert.ok(bin);
    const file = typoDeployment('typo-client');
    const applied = await kubectlFor(bin, sandbox().kubeconfigPath)(['apply', '--validate=true', '-f', file]);
    assert.equal(applied.exitCode, 1);
    assert.equal(
      applied.stderr.trim(),
      `error: error validating "${file}": error validating data: ValidationError(Deployment.spec): unknown field ` +
        '"replica" in io.k8s.api.apps.v1.DeploymentSpec; if you choose to ignore these errors, turn validation ' +
        'off with --validate=false',
    );
  });

  test('kubectl 1.35 --validate=strict finds fieldValidation in the v3 document and the server refuses', async () => {
    const bin = kubectlBinaries().find((b) => b.version === '1.35');
    assert.ok(bin);
    const file = typoDeployment('typo-strict');
    const kubectl = kubectlFor(bin, sandbox().kubeconfigPath);
    const applied = await kubectl(['apply', '--validate=strict', '-f', file]);
    assert.equal(applied.exitCode, 1);
    assert.equal(
      applied.stderr.trim(),
      `Error from server (BadRequest): error when creating "${file}": Deployment in version "v1" cannot be ` +
        'handled as a Deployment: strict decoding error: unknown field "spec.replica"',
    );
  });
});

describe('@kubernetes/client-node reads the OpenAPI v3 documents', () => {
  const get = (kubeConfig: KubeConfig, path: string) =>
    new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const server = new URL(kubeConfig.getCurrentCluster()?.server as string);
      const options = { host: server.hostname, port: server.port, path, method: 'GET', headers: {} };
      kubeConfig.applyToHTTPSOptions(options);
      const req = request(options, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', body }),
        );
      });
      req.on('error', reject).end();
    });

  test('the index lists every group-version with a hashed URL, and each document explains its kinds', async () => {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(sandbox().kubeconfigPath);
    const index = await get(kubeConfig, '/openapi/v3');
    assert.equal(index.status, 200);
    const paths = (JSON.parse(index.body) as { paths: Record<string, { serverRelativeURL: string }> }).paths;
    const groupVersions = new Set(
      resources.map((r) => (r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`)),
    );
    assert.deepEqual(new Set(Object.keys(paths)), groupVersions);
    const apps = paths['apis/apps/v1']?.serverRelativeURL as string;
    assert.match(apps, /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
    const document = await get(kubeConfig, apps);
    assert.equal(document.status, 200);
    assert.equal(document.type, 'application/json');
    type V3 = {
      components: {
        schemas: Record<string, { properties?: Record<string, { allOf?: { $ref: string }[] }> }>;
      };
    };
    const schemas = (JSON.parse(document.body) as V3).components.schemas;
    const deployment = schemas['io.k8s.api.apps.v1.Deployment'];
    assert.deepEqual(deployment?.properties?.spec?.allOf, [
      { $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' },
    ]);
    assert.ok(schemas['io.k8s.api.core.v1.Container'], 'the documents carry every type their kinds reach');
    assert.equal((await get(kubeConfig, '/openapi/v3/apis/nothing/v1')).status, 404);
  });
});
