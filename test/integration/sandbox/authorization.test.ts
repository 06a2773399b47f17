// The authorisation layer after authentication: a refused request is a 403 in the apiserver's words, which real
// kubectl prints as it would for a cluster's RBAC.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSandbox } from '../../../server/sandbox/index.ts';
import type { RunningSandbox } from '../../../server/sandbox/index.ts';
import type { Authorizer, ResourceAttributes } from '../../../server/sandbox/api/auth.ts';
import { kubectlBinaries, kubectlFor } from '../../support/kubectl.ts';
import { fetchTrusting } from '../../support/https-fetch.ts';
import { nodePowerPath } from '../../../server/sandbox/api/node-power.ts';

// An attendee limited to their own namespace, as a shared room would hand out, who may not scale.
const seen: ResourceAttributes[] = [];
const teamOnly: Authorizer = {
  allows: (_identity, request) => {
    seen.push(request);
    if (request.resource === 'namespaces' && request.verb === 'create') return true;
    return request.namespace === 'team-a' && request.subresource !== 'scale';
  },
};

let sandbox: RunningSandbox;
before(async () => {
  sandbox = await startSandbox({
    port: 0,
    kubeconfigOut: join(mkdtempSync(join(tmpdir(), 'kubewars-authz-')), 'config'),
    speed: 'fast',
    authorizer: teamOnly,
  });
});
after(async () => sandbox?.stop());

for (const binary of kubectlBinaries()) {
  describe(`kubectl ${binary.version} against an authorizer`, () => {
    const kubectl = () => kubectlFor(binary, sandbox.kubeconfigPath);

    test('what the authorizer allows works; the rest is Forbidden in the apiserver’s words', async () => {
      const run = kubectl();
      const allowed = await run(['-n', 'team-a', 'get', 'configmaps']);
      assert.equal(allowed.exitCode, 0, allowed.stderr);

      const list = await run(['-n', 'default', 'get', 'pods']);
      assert.equal(list.exitCode, 1);
      assert.match(
        list.stderr,
        /Error from server \(Forbidden\): pods is forbidden: User "kubewars-admin" cannot list resource "pods" in API group "" in the namespace "default"/,
      );

      const nodes = await run(['get', 'nodes']);
      assert.match(
        nodes.stderr,
        /nodes is forbidden: .* cannot list resource "nodes" in API group "" at the cluster scope/,
      );

      const remove = await run(['-n', 'default', 'delete', 'deployment', 'web']);
      assert.match(
        remove.stderr,
        /deployments\.apps "web" is forbidden: User "kubewars-admin" cannot delete resource "deployments" in API group "apps" in the namespace "default"/,
      );
    });
  });
}

test('the authorizer sees each request as RBAC rules name it, subresources included', async () => {
  const run = kubectlFor(kubectlBinaries()[1]!, sandbox.kubeconfigPath);
  for (const args of [
    ['create', 'namespace', 'team-a'],
    ['-n', 'team-a', 'create', 'deployment', 'web', '--image=nginx:1.27'],
  ]) {
    const made = await run(args);
    assert.equal(made.exitCode, 0, made.stderr);
  }
  seen.length = 0;
  const scale = await run(['-n', 'team-a', 'scale', 'deployment', 'web', '--replicas=2']);
  assert.equal(scale.exitCode, 1);
  assert.match(
    scale.stderr,
    /deployments\.apps "web" is forbidden: User "kubewars-admin" cannot \w+ resource "deployments\/scale" in API group "apps" in the namespace "team-a"/,
  );
  assert.ok(
    seen.some(
      (r) =>
        r.group === 'apps' && r.resource === 'deployments' && r.subresource === 'scale' && r.name === 'web',
    ),
    JSON.stringify(seen),
  );
});

test('stopping a node asks the authorizer for its status, as writing it would', async () => {
  const response = await fetchTrusting(sandbox.caCert)(`${sandbox.url}${nodePowerPath('worker-1', 'stop')}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${sandbox.token}` },
  });
  assert.equal(response.status, 403);
  assert.match(
    ((await response.json()) as { message: string }).message,
    /^nodes "worker-1" is forbidden: User "kubewars-admin" cannot update resource "nodes\/status" in API group "" at the cluster scope$/,
  );
});
