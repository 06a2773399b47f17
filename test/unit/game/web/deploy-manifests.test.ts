import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { projectRoot } from '../../../support/kubewars.ts';

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}
interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  [key: string]: unknown;
}

const deployDir = join(projectRoot, 'server/game/deploy');
const manifestFiles = readdirSync(deployDir)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort();
const manifests: Manifest[] = manifestFiles.flatMap((name) =>
  parseAllDocuments(readFileSync(join(deployDir, name), 'utf8')).map((doc) => {
    assert.deepEqual(doc.errors, [], `${name} parses`);
    return doc.toJS() as Manifest;
  }),
);
const one = (kind: string): Manifest => {
  const found = manifests.filter((m) => m.kind === kind);
  assert.equal(found.length, 1, `exactly one ${kind}`);
  return found[0] as Manifest;
};

describe('in-cluster manifests', () => {
  test('there is a namespace, service account, cluster role, binding, deployment and service, applied in that order', () => {
    assert.deepEqual(
      manifests.map((m) => m.kind),
      ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Deployment', 'Service'],
    );
  });

  test('the cluster role grants exactly pods get/list/watch/delete, pods/eviction create and namespaces list', () => {
    const rules = (one('ClusterRole') as unknown as { rules: Rule[] }).rules;
    const granted = rules
      .flatMap((rule) =>
        rule.apiGroups.flatMap((group) =>
          rule.resources.flatMap((resource) => rule.verbs.map((verb) => `${group}/${resource}:${verb}`)),
        ),
      )
      .sort();
    assert.deepEqual(granted, [
      '/namespaces:list',
      '/pods/eviction:create',
      '/pods:delete',
      '/pods:get',
      '/pods:list',
      '/pods:watch',
    ]);
    for (const rule of rules) {
      assert.deepEqual(
        Object.keys(rule).sort(),
        ['apiGroups', 'resources', 'verbs'],
        'no resourceNames or URLs',
      );
    }
  });

  test('no manifest contains a wildcard or mentions secrets in its RBAC', () => {
    const rbac = JSON.stringify(manifests.filter((m) => m.apiVersion.startsWith('rbac.')));
    assert.doesNotMatch(rbac, /\*/);
    assert.doesNotMatch(rbac, /secret/i);
    assert.equal(manifests.filter((m) => m.kind === 'Role' || m.kind === 'RoleBinding').length, 0);
  });

  test('the binding gives the role to the deployment’s service account, in the game’s namespace', () => {
    const namespace = one('Namespace').metadata.name;
    const account = one('ServiceAccount');
    const binding = one('ClusterRoleBinding') as unknown as {
      roleRef: { kind: string; name: string };
      subjects: { kind: string; name: string; namespace: string }[];
    };
    assert.deepEqual(binding.roleRef, {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: one('ClusterRole').metadata.name,
    });
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: account.metadata.name, namespace }]);
    const deployment = one('Deployment') as unknown as {
      metadata: { namespace: string };
      spec: {
        replicas: number;
        strategy: { type: string };
        template: { spec: { serviceAccountName: string } };
      };
    };
    assert.equal(account.metadata.namespace, namespace);
    assert.equal(deployment.metadata.namespace, namespace);
    assert.equal(deployment.spec.template.spec.serviceAccountName, account.metadata.name);
    // One writer for the SQLite file.
    assert.equal(deployment.spec.replicas, 1);
    assert.equal(deployment.spec.strategy.type, 'Recreate');
  });

  test('the service reaches the deployment’s pods on their http port', () => {
    const deployment = one('Deployment') as unknown as {
      spec: {
        template: {
          metadata: { labels: Record<string, string> };
          spec: { containers: { ports: { name: string; containerPort: number }[]; args?: string[] }[] };
        };
      };
    };
    const service = one('Service') as unknown as {
      metadata: { namespace: string };
      spec: { selector: Record<string, string>; ports: { targetPort: string }[] };
    };
    assert.equal(service.metadata.namespace, one('Namespace').metadata.name);
    for (const [key, value] of Object.entries(service.spec.selector)) {
      assert.equal(deployment.spec.template.metadata.labels[key], value);
    }
    const ports = deployment.spec.template.spec.containers[0]?.ports ?? [];
    assert.ok(ports.some((p) => p.name === service.spec.ports[0]?.targetPort && p.containerPort === 8080));
  });

  test('the image runs `kubewars start --cluster kubeconfig` on node:20-slim, listening on the container port', () => {
    const dockerfile = readFileSync(join(deployDir, 'Dockerfile'), 'utf8');
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    assert.ok(froms.length > 0 && froms.every((image) => image === 'node:20-slim'), froms.join());
    assert.match(dockerfile, /^RUN npm ci\b/m);
    const cmd = dockerfile.match(/^CMD (\[.*\])$/m);
    assert.ok(cmd, 'a CMD in exec form');
    const argv = JSON.parse(cmd[1] as string) as string[];
    assert.deepEqual(argv.slice(0, 5), ['node', 'bin/kubewars.js', 'start', '--cluster', 'kubeconfig']);
    assert.equal(argv[argv.indexOf('--port') + 1], '8080');
    assert.equal(argv[argv.indexOf('--host') + 1], '0.0.0.0');
    assert.ok(!argv.includes('--kubeconfig'), 'in-cluster credentials, not a file');
  });
});
