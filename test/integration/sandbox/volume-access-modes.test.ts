// A claim's access mode as a cluster enforces it, seen with real kubectl 1.35: a ReadWriteOnce claim attaches to one
// node (a pod elsewhere waits with a Multi-Attach event until the first is gone), a ReadWriteOncePod claim to one pod.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { kubectlBinaries, kubectlFor } from '../../support/kubectl.ts';
import { sandboxForTests } from '../../support/sandbox.ts';
import { until } from '../../support/until.ts';

const dir = mkdtempSync(join(tmpdir(), 'kubewars-access-modes-'));

function manifest(name: string, text: string): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, text);
  return path;
}

const claim = (name: string, mode: string) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: ${name}}
spec: {accessModes: [${mode}], resources: {requests: {storage: 1Gi}}}
`;

/** A pod on the claim, kept off the other pod's node (or on it) by pod anti-affinity (or affinity). */
const pod = (name: string, claimName: string, apart: boolean) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {uses: ${claimName}}}
spec:
  affinity:
    ${apart ? 'podAntiAffinity' : 'podAffinity'}:
      requiredDuringSchedulingIgnoredDuringExecution:
        - labelSelector: {matchLabels: {uses: ${claimName}}}
          topologyKey: kubernetes.io/hostname
  containers: [{name: app, image: 'busybox:1.36', command: [sleep, '3600'], volumeMounts: [{name: data, mountPath: /data}]}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: ${claimName}}}]
`;

const sandbox = sandboxForTests(dir);

describe('volume access modes', () => {
  const binary = kubectlBinaries().find((b) => b.version === '1.35');
  if (!binary) throw new Error('kubectl 1.35 is missing');
  let kubectl: ReturnType<typeof kubectlFor>;
  before(() => {
    kubectl = kubectlFor(binary, sandbox().kubeconfigPath);
  });
  const running = (name: string) => async () =>
    /1\/1\s+Running/.test((await kubectl(['get', 'pod', name, '--no-headers'])).stdout);

  test('a ReadWriteOnce claim used on another node holds the second pod in ContainerCreating', async () => {
    assert.equal(
      (await kubectl(['apply', '-f', manifest('rwo', claim('rwo', 'ReadWriteOnce'))])).exitCode,
      0,
    );
    assert.equal((await kubectl(['apply', '-f', manifest('first', pod('first', 'rwo', true))])).exitCode, 0);
    await until('first runs', running('first'));
    assert.equal(
      (await kubectl(['apply', '-f', manifest('second', pod('second', 'rwo', true))])).exitCode,
      0,
    );
    const events = await until('the Multi-Attach event', async () => {
      const out = (await kubectl(['get', 'events', '--field-selector', 'involvedObject.name=second'])).stdout;
      return /FailedAttachVolume/.test(out) && out;
    });
    assert.match(
      events,
      /Multi-Attach error for volume "pvc-[0-9a-f-]+" Volume is already used by pod\(s\) first/,
    );
    assert.match(
      (await kubectl(['get', 'pod', 'second', '--no-headers'])).stdout,
      /0\/1\s+ContainerCreating/,
    );
    assert.equal((await kubectl(['delete', 'pod', 'first', '--grace-period=0', '--force'])).exitCode, 0);
    await until('second runs once the volume is free', running('second'), 30_000);
  });

  test('a ReadWriteOncePod claim refuses a second pod even on the same node', async () => {
    assert.equal(
      (await kubectl(['apply', '-f', manifest('rwop', claim('rwop', 'ReadWriteOncePod'))])).exitCode,
      0,
    );
    assert.equal((await kubectl(['apply', '-f', manifest('only', pod('only', 'rwop', false))])).exitCode, 0);
    await until('only runs', running('only'));
    assert.equal((await kubectl(['apply', '-f', manifest('also', pod('also', 'rwop', false))])).exitCode, 0);
    const events = await until('the FailedScheduling event', async () => {
      const out = (await kubectl(['get', 'events', '--field-selector', 'involvedObject.name=also'])).stdout;
      return /FailedScheduling/.test(out) && out;
    });
    assert.match(
      events,
      /0\/3 nodes are available: node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode\./,
    );
    assert.match((await kubectl(['get', 'pod', 'also', '--no-headers'])).stdout, /0\/1\s+Pending/);
  });
});
