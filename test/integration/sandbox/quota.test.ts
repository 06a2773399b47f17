// ResourceQuota and LimitRange as kubectl shows them: the apiserver's refusals, the quota controller's status in
// `describe quota` and `get quota`, defaults from a LimitRange, and a Deployment's FailedCreate events.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSandbox } from '../../../server/sandbox/index.ts';
import type { RunningSandbox } from '../../../server/sandbox/index.ts';
import { kubectlBinaries, kubectlFor } from '../../support/kubectl.ts';
import { until } from '../../support/until.ts';

let sandbox: RunningSandbox;
before(async () => {
  sandbox = await startSandbox({
    port: 0,
    kubeconfigOut: join(mkdtempSync(join(tmpdir(), 'kubewars-quota-')), 'config'),
    speed: 'fast',
    nodes: 1,
  });
});
after(async () => sandbox?.stop());

const limitRange = JSON.stringify({
  apiVersion: 'v1',
  kind: 'LimitRange',
  metadata: { name: 'defaults' },
  spec: {
    limits: [
      {
        type: 'Container',
        default: { cpu: '500m', memory: '256Mi' },
        defaultRequest: { cpu: '250m', memory: '128Mi' },
        max: { cpu: '1', memory: '1Gi' },
      },
    ],
  },
});

for (const binary of kubectlBinaries()) {
  describe(`kubectl ${binary.version} with a ResourceQuota and a LimitRange`, () => {
    const ns = `team-${binary.version.replace('.', '')}`;
    const kubectl = () => kubectlFor(binary, sandbox.kubeconfigPath);
    const ok = async (args: string[], input?: string) => {
      const result = await kubectl()(['-n', ns, ...args], input === undefined ? {} : { input });
      assert.equal(result.exitCode, 0, `${args.join(' ')}: ${result.stderr}`);
      return result.stdout;
    };

    test('quota and limit range refusals are the apiserver’s, and describe shows what is used', async () => {
      await kubectlFor(binary, sandbox.kubeconfigPath)(['create', 'namespace', ns]);
      await ok([
        'create',
        'quota',
        'compute',
        '--hard=pods=2,requests.cpu=1,requests.memory=1Gi,limits.cpu=2,limits.memory=2Gi',
      ]);
      const bare = await kubectl()(['-n', ns, 'run', 'bare', '--image=nginx:1.27']);
      assert.match(
        bare.stderr,
        new RegExp(
          'Error from server \\(Forbidden\\): pods "bare" is forbidden: failed quota: compute: must specify limits\\.cpu for: bare; limits\\.memory for: bare; requests\\.cpu for: bare; requests\\.memory for: bare',
        ),
      );
      await ok(['apply', '-f', '-'], limitRange);
      await ok(['run', 'a', '--image=nginx:1.27']);
      assert.equal(
        await ok([
          'get',
          'pod',
          'a',
          '-o',
          'jsonpath={.spec.containers[0].resources.requests.cpu}/{.spec.containers[0].resources.limits.memory}',
        ]),
        '250m/256Mi',
      );
      await ok(['run', 'b', '--image=nginx:1.27']);
      const third = await kubectl()(['-n', ns, 'run', 'c', '--image=nginx:1.27']);
      assert.match(
        third.stderr,
        /pods "c" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2/,
      );
      const describeQuota = await until(
        'the quota controller counts both pods',
        () => ok(['describe', 'quota', 'compute']),
        (out) => /^pods\s+2\s+2$/m.test(out),
      );
      assert.match(describeQuota, /^Resource\s+Used\s+Hard$/m);
      assert.match(describeQuota, /^limits\.memory\s+512Mi\s+2Gi$/m);
      assert.match(describeQuota, /^requests\.cpu\s+500m\s+1$/m);
      assert.match(
        await ok(['get', 'quota']),
        /^compute\s+\S+\s+pods: 2\/2, requests\.cpu: 500m\/1, requests\.memory: 256Mi\/1Gi\s+limits\.cpu: 1\/2, limits\.memory: 512Mi\/2Gi$/m,
      );
      assert.match(
        await ok(['describe', 'limitrange', 'defaults']),
        /^Container\s+cpu\s+-\s+1\s+250m\s+500m\s+-$/m,
      );
    });

    test('a pod over the limit range’s max is refused, and a Deployment over quota reports FailedCreate', async () => {
      const big = await kubectl()([
        '-n',
        ns,
        'run',
        'big',
        '--image=nginx:1.27',
        '--overrides={"spec":{"containers":[{"name":"big","image":"nginx:1.27","resources":{"limits":{"cpu":"2"}}}]}}',
      ]);
      assert.match(
        big.stderr,
        /pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2/,
      );
      await ok(['create', 'deployment', 'web', '--image=nginx:1.27']);
      const events = await until(
        'the ReplicaSet reports its refused pod',
        () => ok(['get', 'events', '--field-selector', 'reason=FailedCreate']),
        (out) => out.includes('exceeded quota'),
      );
      assert.match(
        events,
        /Error creating: pods "web-[a-z0-9]+-[a-z0-9]+" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2/,
      );
    });
  });
}
