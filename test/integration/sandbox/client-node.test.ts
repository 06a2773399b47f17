import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type { V1Pod } from '@kubernetes/client-node';
import { startSandbox } from '../../../server/sandbox/index.ts';
import { sandboxForTests } from '../../support/sandbox.ts';
import { until } from '../../support/until.ts';

const pod = (name: string, labels: Record<string, string>): V1Pod => ({
  metadata: { name, labels },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
});

describe('@kubernetes/client-node against the sandbox', () => {
  let kubeConfig: KubeConfig;
  let core: CoreV1Api;
  const sandbox = sandboxForTests(mkdtempSync(join(tmpdir(), 'kubewars-client-node-')));

  before(() => {
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(sandbox().kubeconfigPath);
    core = kubeConfig.makeApiClient(CoreV1Api);
  });

  test('creates, reads, updates, lists by label and deletes', async () => {
    const created = await core.createNamespacedPod({
      namespace: 'default',
      body: pod('crud', { app: 'crud' }),
    });
    assert.equal(created.metadata?.name, 'crud');
    const read = await core.readNamespacedPod({ name: 'crud', namespace: 'default' });
    assert.equal(read.metadata?.uid, created.metadata?.uid);
    read.metadata!.labels = { ...read.metadata!.labels, updated: 'yes' };
    const updated = await core.replaceNamespacedPod({ name: 'crud', namespace: 'default', body: read });
    assert.equal(updated.metadata?.labels?.updated, 'yes');
    await assert.rejects(
      core.replaceNamespacedPod({ name: 'crud', namespace: 'default', body: read }),
      (error: { code?: number }) => error.code === 409,
    );
    const listed = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'updated=yes' });
    assert.deepEqual(
      listed.items.map((item) => item.metadata?.name),
      ['crud'],
    );
    await core.deleteNamespacedPod({ name: 'crud', namespace: 'default', gracePeriodSeconds: 0 });
    await assert.rejects(
      core.readNamespacedPod({ name: 'crud', namespace: 'default' }),
      (error: { code?: number }) => error.code === 404,
    );
  });

  test('a deployment is served by the apps group', async () => {
    const apps = kubeConfig.makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'fleet' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'fleet' } },
          template: {
            metadata: { labels: { app: 'fleet' } },
            spec: { containers: [{ name: 'web', image: 'nginx' }] },
          },
        },
      },
    });
    const scale = await apps.readNamespacedDeploymentScale({ name: 'fleet', namespace: 'default' });
    assert.equal(scale.spec?.replicas, 2);
    assert.equal(scale.status?.selector, 'app=fleet');
  });

  test('an informer sees adds, updates, and a pod leaving its selector as a delete', async () => {
    const path = '/api/v1/namespaces/default/pods';
    const informer = makeInformer(
      kubeConfig,
      path,
      () => core.listNamespacedPod({ namespace: 'default', labelSelector: 'game=starwars' }),
      'game=starwars',
    );
    const added: string[] = [];
    const updated: string[] = [];
    const deleted: string[] = [];
    informer.on('add', (object) => added.push(object.metadata?.name ?? ''));
    informer.on('update', (object) => updated.push(object.metadata?.name ?? ''));
    informer.on('delete', (object) => deleted.push(object.metadata?.name ?? ''));
    await informer.start();
    try {
      await core.createNamespacedPod({ namespace: 'default', body: pod('tie-1', { game: 'starwars' }) });
      await core.createNamespacedPod({ namespace: 'default', body: pod('bystander', { app: 'other' }) });
      await until('the add', async () => added.includes('tie-1'));
      await core.patchNamespacedPod(
        { name: 'tie-1', namespace: 'default', body: { metadata: { annotations: { hit: 'no' } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await until('the update', async () => updated.includes('tie-1'));
      await core.patchNamespacedPod(
        { name: 'tie-1', namespace: 'default', body: { metadata: { labels: { game: 'retired' } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await until('the selector transition', async () => deleted.includes('tie-1'));
      assert.equal(added.includes('bystander'), false);
    } finally {
      await informer.stop();
    }
  });
});

describe('the sandbox keeps objects and credentials across a restart with --state', () => {
  test('an informer restarted after the server went away resumes and sees new pods', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubewars-restart-'));
    const statePath = join(dir, 'state.json');
    const kubeconfigOut = join(dir, 'config');
    let sandbox = await startSandbox({ port: 0, kubeconfigOut, statePath, speed: 'fast' });
    const port = Number(new URL(sandbox.url).port);
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(sandbox.kubeconfigPath);
    const core = kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespacedPod({ namespace: 'default', body: pod('before', { game: 'starwars' }) });
    const informer = makeInformer(
      kubeConfig,
      '/api/v1/namespaces/default/pods',
      () => core.listNamespacedPod({ namespace: 'default', labelSelector: 'game=starwars' }),
      'game=starwars',
    );
    const seen = new Set<string>();
    informer.on('add', (object) => seen.add(object.metadata?.name ?? ''));
    // As client-node documents: after an error the informer stays stopped until started again. (Whether the
    // restart shows up as an error or as a watch that simply ended is the client's business.)
    let stopped = false;
    informer.on('error', () => {
      setTimeout(() => {
        if (!stopped) void informer.start().catch(() => undefined);
      }, 200);
    });
    await informer.start();
    try {
      await until('the first pod', async () => seen.has('before'));
      await sandbox.stop();
      sandbox = await startSandbox({ port, kubeconfigOut, statePath, speed: 'fast' });
      const restored = await core.readNamespacedPod({ name: 'before', namespace: 'default' });
      assert.equal(restored.metadata?.name, 'before');
      await core.createNamespacedPod({ namespace: 'default', body: pod('after', { game: 'starwars' }) });
      await until('the pod created after the restart', async () => seen.has('after'), 30_000);
    } finally {
      stopped = true;
      await informer.stop();
      await sandbox.stop();
    }
  });
});
