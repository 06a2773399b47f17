// Strict field validation of the kinds beyond the lessons' first ones (nodes, volumes, leases, endpoint slices …):
// kubectl 1.35 `apply --validate=strict` of a manifest with a misspelt field is refused with the server's strict
// decoding error, and the same manifest spelt right applies with no warning.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { kubectlBinaries, kubectlFor } from '../../support/kubectl.ts';
import { sandboxForTests } from '../../support/sandbox.ts';

const dir = mkdtempSync(join(tmpdir(), 'kubewars-field-validation-kinds-'));

interface Case {
  apiVersion: string;
  kind: string;
  resource: string;
  /** The manifest's body after apiVersion, kind and metadata.name; `TYPO` marks where the misspelt line goes. */
  body: string;
  /** The misspelt line (indented as its place needs) and the path the server names. */
  typo: string;
  path: string;
}

const cases: Case[] = [
  {
    apiVersion: 'v1',
    kind: 'Endpoints',
    resource: 'endpoints',
    body: 'subsets:\n  - addresses:\n      - ip: 10.9.0.1\nTYPO    ports:\n      - port: 80\n',
    typo: '        hostnmae: a\n',
    path: 'subsets[0].addresses[0].hostnmae',
  },
  {
    apiVersion: 'v1',
    kind: 'Event',
    resource: 'events',
    body: 'involvedObject:\n  kind: Pod\n  name: web\n  namespace: default\nTYPOreason: Started\nmessage: hi\ntype: Normal\n',
    typo: '  nmae: web\n',
    path: 'involvedObject.nmae',
  },
  {
    apiVersion: 'v1',
    kind: 'LimitRange',
    resource: 'limitranges',
    body: 'spec:\n  limits:\n    - type: Container\nTYPO      default:\n        cpu: 500m\n',
    typo: '      defualtRequest: {}\n',
    path: 'spec.limits[0].defualtRequest',
  },
  {
    apiVersion: 'v1',
    kind: 'Node',
    resource: 'nodes',
    body: 'spec:\n  unschedulable: true\nTYPO',
    typo: '  unschedulabel: true\n',
    path: 'spec.unschedulabel',
  },
  {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    resource: 'persistentvolumes',
    body:
      'spec:\n  capacity:\n    storage: 1Gi\n  accessModes: [ReadWriteOnce]\n  hostPath:\n    path: /tmp/pv\nTYPO' +
      '  storageClassName: manual\n',
    typo: '    tpye: Directory\n',
    path: 'spec.hostPath.tpye',
  },
  {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    resource: 'persistentvolumeclaims',
    body: 'spec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\nTYPO',
    typo: '  storageClasName: manual\n',
    path: 'spec.storageClasName',
  },
  {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    resource: 'replicationcontrollers',
    body:
      'spec:\n  replicas: 0\n  selector:\n    app: rc\n  template:\n    metadata:\n      labels:\n        app: rc\n' +
      '    spec:\n      containers:\n        - name: web\n          image: nginx\nTYPO',
    typo: '          imagePullPolcy: Always\n',
    path: 'spec.template.spec.containers[0].imagePullPolcy',
  },
  {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    resource: 'controllerrevisions',
    // data is free-form (RawExtension): its own keys are never unknown.
    body: 'data:\n  anything: goes\nrevision: 1\nTYPO',
    typo: 'revisoin: 2\n',
    path: 'revisoin',
  },
  {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    resource: 'leases',
    body: 'spec:\n  holderIdentity: me\n  leaseDurationSeconds: 15\nTYPO',
    typo: '  holderIdentiy: you\n',
    path: 'spec.holderIdentiy',
  },
  {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    resource: 'endpointslices',
    body: 'addressType: IPv4\nendpoints:\n  - addresses: [10.9.0.2]\nTYPOports:\n  - port: 80\n',
    typo: '    conditons: {}\n',
    path: 'endpoints[0].conditons',
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    resource: 'ingressclasses',
    body: 'spec:\n  controller: example.com/ingress\nTYPO',
    typo: '  controler: example.com/other\n',
    path: 'spec.controler',
  },
  {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    resource: 'storageclasses',
    body: 'provisioner: example.com/disk\nreclaimPolicy: Delete\nTYPO',
    typo: 'volumeBindingMdoe: Immediate\n',
    path: 'volumeBindingMdoe',
  },
];

function manifest(file: string, c: Case, name: string, typo: string): string {
  const path = join(dir, `${file}.yaml`);
  writeFileSync(
    path,
    `apiVersion: ${c.apiVersion}\nkind: ${c.kind}\nmetadata:\n  name: ${name}\n${c.body.replace('TYPO', typo)}`,
  );
  return path;
}

const sandbox = sandboxForTests(dir);

describe('kubectl 1.35 apply --validate=strict of every further kind', () => {
  const bin = kubectlBinaries().find((b) => b.version === '1.35');
  assert.ok(bin);

  for (const c of cases) {
    test(`${c.kind}: a misspelt field is refused by the server, the right manifest applies silently`, async () => {
      const kubectl = kubectlFor(bin, sandbox().kubeconfigPath);
      const name = `strict-${c.kind.toLowerCase()}`;
      const typoFile = manifest(`${name}-typo`, c, name, c.typo);
      const refused = await kubectl(['apply', '--validate=strict', '-f', typoFile], { timeoutMs: 60_000 });
      assert.equal(refused.exitCode, 1);
      assert.equal(
        refused.stderr.trim(),
        `Error from server (BadRequest): error when creating "${typoFile}": ${c.kind} in version "${c.apiVersion.split('/').pop()}" ` +
          `cannot be handled as a ${c.kind}: strict decoding error: unknown field "${c.path}"`,
      );
      const applied = await kubectl(['apply', '--validate=strict', '-f', manifest(name, c, name, '')], {
        timeoutMs: 60_000,
      });
      assert.equal(applied.exitCode, 0, applied.stderr);
      assert.equal(applied.stderr, '');
      assert.equal(
        applied.stdout.trim(),
        `${c.resource === 'endpoints' ? 'endpoints' : c.kind.toLowerCase()}${c.apiVersion.includes('/') ? '.' + c.apiVersion.split('/')[0] : ''}/${name} created`,
      );
    });
  }
});
