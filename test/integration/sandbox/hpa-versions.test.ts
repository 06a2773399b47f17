// One HorizontalPodAutoscaler, two served versions: kubectl 1.20 writes autoscaling/v1, 1.35 autoscaling/v2, and
// every client reads the same stored object in the version it asked for, as from a real apiserver.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  AutoscalingV1Api,
  AutoscalingV2Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
import { startSandbox } from '../../../server/sandbox/index.ts';
import type { RunningSandbox } from '../../../server/sandbox/index.ts';
import { kubectlBinaries, kubectlFor } from '../../support/kubectl.ts';
import { until } from '../../support/until.ts';

let sandbox: RunningSandbox;
before(async () => {
  sandbox = await startSandbox({
    port: 0,
    kubeconfigOut: join(mkdtempSync(join(tmpdir(), 'kubewars-hpa-')), 'config'),
    speed: 'fast',
  });
});
after(async () => sandbox?.stop());

const scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

for (const binary of kubectlBinaries()) {
  describe(`kubectl ${binary.version} and HorizontalPodAutoscaler versions`, () => {
    const ns = `hpa-${binary.version.replace('.', '-')}`;
    let kubectl: ReturnType<typeof kubectlFor>;
    const ok = async (args: string[]) => {
      const result = await kubectl(args);
      assert.equal(result.exitCode, 0, `kubectl ${args.join(' ')} failed:\n${result.stderr}`);
      return result.stdout;
    };

    before(async () => {
      kubectl = kubectlFor(binary, sandbox.kubeconfigPath);
      await ok(['create', 'namespace', ns]);
      await ok(['create', 'deployment', 'web', '--image=nginx:1.27', '-n', ns]);
    });

    test('autoscale makes an HPA that get hpa prints with kubectl’s columns', async () => {
      const cpu = binary.version === '1.20' ? '--cpu-percent=80' : '--cpu=80%';
      assert.match(
        await ok(['autoscale', 'deployment', 'web', '--min=2', '--max=5', cpu, '-n', ns]),
        /horizontalpodautoscaler\.autoscaling\/web autoscaled/,
      );
      const [header, row] = (await ok(['get', 'hpa', '-n', ns])).split('\n');
      assert.deepEqual(header?.split(/\s+/), [
        'NAME',
        'REFERENCE',
        'TARGETS',
        'MINPODS',
        'MAXPODS',
        'REPLICAS',
        'AGE',
      ]);
      // REPLICAS is 0 until the controller's first pass, which reads the Deployment's 1 and raises it to the minimum 2;
      // without CPU requests the utilization stays <unknown>.
      assert.match(row ?? '', /^web\s+Deployment\/web\s+cpu: <unknown>\/80%\s+2\s+5\s+[0-2]\s+\d+s$/);
    });

    test('get -o yaml answers in the version asked for', async () => {
      const preferred = await ok(['get', 'hpa', 'web', '-n', ns, '-o', 'yaml']);
      assert.match(preferred, /^apiVersion: autoscaling\/v2$/m);
      assert.match(preferred, /averageUtilization: 80/);
      const v1 = await ok(['get', 'horizontalpodautoscalers.v1.autoscaling', 'web', '-n', ns, '-o', 'yaml']);
      assert.match(v1, /^apiVersion: autoscaling\/v1$/m);
      assert.match(v1, /targetCPUUtilizationPercentage: 80/);
      assert.doesNotMatch(v1, /metrics:/);
    });

    test('apply of an autoscaling/v1 manifest is unchanged the second time', async () => {
      const manifest = join(mkdtempSync(join(tmpdir(), 'kubewars-hpa-manifest-')), 'hpa.yaml');
      writeFileSync(
        manifest,
        [
          'apiVersion: autoscaling/v1',
          'kind: HorizontalPodAutoscaler',
          'metadata: {name: applied}',
          'spec:',
          '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}',
          '  maxReplicas: 4',
          '  targetCPUUtilizationPercentage: 60',
          '',
        ].join('\n'),
      );
      assert.match(await ok(['apply', '-n', ns, '-f', manifest]), /applied created/);
      assert.match(await ok(['apply', '-n', ns, '-f', manifest]), /applied unchanged/);
      assert.match(await ok(['get', 'hpa', 'applied', '-n', ns]), /cpu: <unknown>\/60%/);
    });

    test('delete hpa removes it from both versions', async () => {
      assert.match(await ok(['delete', 'hpa', 'web', '-n', ns]), /horizontalpodautoscaler.* "web" deleted/);
      const gone = await kubectl(['get', 'horizontalpodautoscalers.v1.autoscaling', 'web', '-n', ns]);
      assert.notEqual(gone.exitCode, 0);
      assert.match(gone.stderr, /NotFound|not found/);
    });
  });
}

describe('@kubernetes/client-node AutoscalingV1Api and AutoscalingV2Api', () => {
  const namespace = 'default';
  let kubeConfig: KubeConfig;
  let v1: AutoscalingV1Api;
  let v2: AutoscalingV2Api;
  before(() => {
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(sandbox.kubeconfigPath);
    v1 = kubeConfig.makeApiClient(AutoscalingV1Api);
    v2 = kubeConfig.makeApiClient(AutoscalingV2Api);
  });

  test('both read the object one of them wrote, and a v1 patch changes the v2 metric', async () => {
    await v1.createNamespacedHorizontalPodAutoscaler({
      namespace,
      body: {
        metadata: { name: 'api' },
        spec: { scaleTargetRef, minReplicas: 1, maxReplicas: 4, targetCPUUtilizationPercentage: 70 },
      },
    });
    const asV2 = await v2.readNamespacedHorizontalPodAutoscaler({ name: 'api', namespace });
    // client-node answers class instances: compare their JSON.
    assert.deepEqual(JSON.parse(JSON.stringify(asV2.spec?.metrics)), [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
      },
    ]);

    await v1.patchNamespacedHorizontalPodAutoscaler(
      { name: 'api', namespace, body: { spec: { targetCPUUtilizationPercentage: 50 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const patched = await v2.readNamespacedHorizontalPodAutoscaler({ name: 'api', namespace });
    assert.equal(patched.spec?.metrics?.[0]?.resource?.target.averageUtilization, 50);
    assert.equal(patched.spec?.metrics?.length, 1);
  });

  test('a v1 status write is stored as v2 current metrics', async () => {
    // The HPA controller rewrites the status on each pass: write and read back between two passes.
    const status = await until(
      'the v1 status to read back as v2',
      async () => {
        const current = await v1.readNamespacedHorizontalPodAutoscaler({ name: 'api', namespace });
        await v1.replaceNamespacedHorizontalPodAutoscalerStatus({
          name: 'api',
          namespace,
          body: {
            ...current,
            status: { currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 90 },
          },
        });
        return (await v2.readNamespacedHorizontalPodAutoscalerStatus({ name: 'api', namespace })).status;
      },
      (read) => read?.desiredReplicas === 3,
    );
    assert.equal(status?.desiredReplicas, 3);
    assert.equal(status?.currentMetrics?.[0]?.resource?.current.averageUtilization, 90);
  });

  test('a v2 memory metric survives a v1 read-modify-write', async () => {
    await v2.createNamespacedHorizontalPodAutoscaler({
      namespace,
      body: {
        metadata: { name: 'mem' },
        spec: {
          scaleTargetRef,
          maxReplicas: 3,
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } },
            },
          ],
        },
      },
    });
    const asV1 = await v1.readNamespacedHorizontalPodAutoscaler({ name: 'mem', namespace });
    assert.equal(asV1.spec?.targetCPUUtilizationPercentage, undefined);
    assert.match(asV1.metadata?.annotations?.['autoscaling.alpha.kubernetes.io/metrics'] ?? '', /500Mi/);
    await v1.replaceNamespacedHorizontalPodAutoscaler({
      name: 'mem',
      namespace,
      body: { ...asV1, spec: { scaleTargetRef, ...asV1.spec, maxReplicas: 6 } },
    });
    const back = await v2.readNamespacedHorizontalPodAutoscaler({ name: 'mem', namespace });
    assert.equal(back.spec?.maxReplicas, 6);
    assert.deepEqual(
      back.spec?.metrics?.map((metric) => metric.resource?.name),
      ['memory'],
    );
    assert.equal(back.metadata?.annotations, undefined);
  });

  test('a v1 watch carries v1 objects', async () => {
    const seen: { type: string; apiVersion?: string; target?: number }[] = [];
    let stop: (() => void) | undefined;
    const controller = await new Watch(kubeConfig).watch(
      `/apis/autoscaling/v1/namespaces/${namespace}/horizontalpodautoscalers`,
      {},
      (type, object: { apiVersion?: string; spec?: { targetCPUUtilizationPercentage?: number } }) => {
        seen.push({
          type,
          apiVersion: object.apiVersion,
          target: object.spec?.targetCPUUtilizationPercentage,
        });
        if (type === 'MODIFIED') stop?.();
      },
      () => {},
    );
    const modified = new Promise<void>((resolve) => {
      stop = resolve;
    });
    await v2.patchNamespacedHorizontalPodAutoscaler(
      {
        name: 'api',
        namespace,
        body: {
          spec: {
            metrics: [
              {
                type: 'Resource',
                resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 65 } },
              },
            ],
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await Promise.race([
      modified,
      new Promise((_, reject) => setTimeout(() => reject(new Error('no MODIFIED event in 10 s')), 10_000)),
    ]);
    controller.abort();
    assert.ok(seen.every((event) => event.apiVersion === 'autoscaling/v1'));
    assert.deepEqual(seen.at(-1), { type: 'MODIFIED', apiVersion: 'autoscaling/v1', target: 65 });
  });
});
