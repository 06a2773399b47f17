// The Helm chart in server/game/deploy/chart is the one source of the in-cluster install: rendered with `helm
// template` and checked for what the game may do, then installed into the sandbox, upgraded and uninstalled with
// the Helm binary that ships beside kubectl 1.35.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import { parseAllDocuments } from 'yaml';
import { VIEW_RULES } from '../../../server/room/namespace/objects.ts';
import { startSandbox, type RunningSandbox } from '../../../server/sandbox/index.ts';
import { kubectlBinaries, kubectlFor, testToolPath } from '../../support/kubectl.ts';
import { projectRoot } from '../../support/kubewars.ts';
import { until } from '../../support/until.ts';

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
interface Container {
  image: string;
  env: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
  ports: { name: string; containerPort: number }[];
  resources: unknown;
}

const deployDir = join(projectRoot, 'server/game/deploy');
const chartDir = join(deployDir, 'chart');
const helm = testToolPath('helm');
// Helm keeps its caches and repository list under HOME unless told otherwise: keep them out of the user's.
const helmHome = mkdtempSync(join(tmpdir(), 'kubewars-helm-'));
const helmEnv = {
  HELM_CACHE_HOME: join(helmHome, 'cache'),
  HELM_CONFIG_HOME: join(helmHome, 'config'),
  HELM_DATA_HOME: join(helmHome, 'data'),
  HOME: helmHome,
};

async function helmRun(args: string[], kubeconfig?: string): Promise<string> {
  const result = await execa(helm, [...args, ...(kubeconfig ? ['--kubeconfig', kubeconfig] : [])], {
    env: helmEnv,
    reject: false,
  });
  assert.equal(result.exitCode, 0, `helm ${args.join(' ')}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

async function render(...set: string[]): Promise<Manifest[]> {
  const out = await helmRun(['template', 'kubewars', chartDir, '--namespace', 'kubewars', ...set]);
  return parseAllDocuments(out)
    .map((doc) => {
      assert.deepEqual(doc.errors, [], 'the rendered chart parses');
      return doc.toJS() as Manifest | null;
    })
    .filter((m): m is Manifest => m !== null);
}

/** A role's rules as sorted `group/resource:verb[names]` lines, one per thing granted. */
function grantsOf(rules: Rule[]): string[] {
  return rules
    .flatMap((rule) =>
      rule.apiGroups.flatMap((group) =>
        rule.resources.flatMap((resource) =>
          rule.verbs.map(
            (verb) =>
              `${group}/${resource}:${verb}${rule.resourceNames ? `[${(rule.resourceNames as string[]).join(',')}]` : ''}`,
          ),
        ),
      ),
    )
    .sort();
}

let manifests: Manifest[] = [];
const one = (kind: string, from = manifests): Manifest => {
  const found = from.filter((m) => m.kind === kind);
  assert.equal(found.length, 1, `exactly one ${kind}`);
  return found[0] as Manifest;
};
const containerOf = (from: Manifest[]): Container =>
  (one('Deployment', from) as unknown as { spec: { template: { spec: { containers: Container[] } } } }).spec
    .template.spec.containers[0] as Container;
const envOf = (from: Manifest[]) =>
  Object.fromEntries(containerOf(from).env.map((e) => [e.name, e.value ?? e.valueFrom]));

before(async () => {
  manifests = await render();
});

test('helm lint passes with the default values and refuses a bad one', async () => {
  await helmRun(['lint', '--strict', chartDir]);
  const bad = await execa(helm, ['lint', chartDir, '--set', 'image.pullPolicy=Sometimes'], {
    env: helmEnv,
    reject: false,
  });
  assert.notEqual(bad.exitCode, 0, 'values.schema.json rejects an unknown pull policy');
  assert.match(bad.stdout + bad.stderr, /pullPolicy/);
});

describe('in-cluster manifests', () => {
  test('a service account, the instructor Secret, a cluster role and its binding, a deployment and a service', () => {
    assert.deepEqual(manifests.map((m) => m.kind).sort(), [
      'ClusterRole',
      'ClusterRoleBinding',
      'Deployment',
      'Secret',
      'Service',
      'ServiceAccount',
    ]);
    for (const m of manifests) {
      if (!m.kind.startsWith('Cluster'))
        assert.equal(m.metadata.namespace, 'kubewars', `${m.kind} namespace`);
      assert.equal(m.metadata.labels?.['app.kubernetes.io/instance'], 'kubewars');
    }
  });

  test('the cluster role grants exactly pods get/list/watch/delete, pods/eviction create and namespaces list', () => {
    const rules = (one('ClusterRole') as unknown as { rules: Rule[] }).rules;
    const granted = grantsOf(rules);
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

  test('with capital ships allowed, the role may also read and delete the controllers a fleet is made of', async () => {
    const rules = (
      one('ClusterRole', await render('--set', 'game.capitalShips=true')) as unknown as { rules: Rule[] }
    ).rules;
    const granted = rules.flatMap((rule) =>
      rule.apiGroups.flatMap((group) =>
        rule.resources.flatMap((resource) => rule.verbs.map((verb) => `${group}/${resource}:${verb}`)),
      ),
    );
    for (const controller of [
      'apps/deployments',
      'apps/replicasets',
      'apps/statefulsets',
      '/replicationcontrollers',
    ]) {
      assert.ok(
        granted.includes(`${controller}:get`) && granted.includes(`${controller}:delete`),
        controller,
      );
    }
    assert.doesNotMatch(JSON.stringify(rules), /\*|secret/i);
    const controllerVerbs = granted.filter((g) =>
      /deployments|replicasets|statefulsets|replicationcontrollers/.test(g),
    );
    assert.deepEqual(new Set(controllerVerbs.map((g) => g.split(':')[1])), new Set(['get', 'delete']));
  });

  test('the binding gives the role to the deployment’s service account, in the game’s namespace', () => {
    const namespace = 'kubewars';
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
    assert.equal(service.metadata.namespace, 'kubewars');
    for (const [key, value] of Object.entries(service.spec.selector)) {
      assert.equal(deployment.spec.template.metadata.labels[key], value);
    }
    const ports = deployment.spec.template.spec.containers[0]?.ports ?? [];
    assert.ok(ports.some((p) => p.name === service.spec.ports[0]?.targetPort && p.containerPort === 8080));
  });

  test('values set the game selector, namespaces, instructor Secret, image, resources and the data claim', async () => {
    assert.deepEqual(envOf(manifests), {
      KUBEWARS_INSTRUCTOR_TOKEN: { secretKeyRef: { name: 'kubewars-instructor', key: 'token' } },
      KUBEWARS_GAME_SELECTOR: 'game=starwars',
    });
    assert.equal(containerOf(manifests).image, 'kubewars:0.1.0');
    const token = (one('Secret') as unknown as { data: { token: string } }).data.token;
    assert.ok(
      Buffer.from(token, 'base64').toString().length >= 16,
      'a generated token of at least 16 characters',
    );

    const custom = await render(
      '--set',
      'game.selector=game=rebels',
      '--set',
      'game.namespaces={team-a,team-b}',
      '--set',
      'game.protectedNamespaces={prod}',
      '--set',
      'instructor.existingSecret=room-token',
      '--set',
      'image.tag=dev',
      '--set',
      'resources.limits.memory=1Gi',
      '--set',
      'persistence.existingClaim=kubewars-data',
    );
    assert.deepEqual(envOf(custom), {
      KUBEWARS_INSTRUCTOR_TOKEN: { secretKeyRef: { name: 'room-token', key: 'token' } },
      KUBEWARS_GAME_SELECTOR: 'game=rebels',
      KUBEWARS_GAME_NAMESPACES: 'team-a,team-b',
      KUBEWARS_PROTECTED_NAMESPACES: 'prod',
    });
    assert.equal(custom.filter((m) => m.kind === 'Secret').length, 0, 'an existing Secret is used, not made');
    assert.equal(containerOf(custom).image, 'kubewars:dev');
    assert.deepEqual(containerOf(custom).resources, {
      requests: { cpu: '100m', memory: '256Mi' },
      limits: { memory: '1Gi' },
    });
    const volumes = (
      one('Deployment', custom) as unknown as { spec: { template: { spec: { volumes: unknown[] } } } }
    ).spec.template.spec.volumes;
    assert.deepEqual(volumes, [{ name: 'data', persistentVolumeClaim: { claimName: 'kubewars-data' } }]);
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

describe('a workshop room on the cluster (room.enabled)', () => {
  let room: Manifest[] = [];
  const roleNamed = (name: string) =>
    room.find((m) => m.kind === 'ClusterRole' && m.metadata.name === name) as unknown as { rules: Rule[] };
  before(async () => {
    room = await render(
      '--set',
      'room.enabled=true',
      '--set',
      'room.attendeeServer=https://k8s.example.org:6443',
      '--set',
      'room.attendeeQuota=pods=30',
    );
  });

  test('the room role replaces the game-only one: the game’s rights plus exactly what attendee namespaces take', () => {
    assert.deepEqual(
      room
        .filter((m) => m.kind.startsWith('Cluster'))
        .map((m) => `${m.kind}/${m.metadata.name}`)
        .sort(),
      ['ClusterRole/kubewars-room', 'ClusterRole/kubewars-room-view', 'ClusterRoleBinding/kubewars-room'],
    );
    assert.deepEqual(grantsOf(roleNamed('kubewars-room').rules), [
      '/limitranges:create',
      '/namespaces:create',
      '/namespaces:delete',
      '/namespaces:get',
      '/namespaces:list',
      '/pods/eviction:create',
      '/pods:delete',
      '/pods:get',
      '/pods:list',
      '/pods:watch',
      '/resourcequotas:create',
      '/serviceaccounts/token:create',
      '/serviceaccounts:create',
      'rbac.authorization.k8s.io/clusterrolebindings:create',
      'rbac.authorization.k8s.io/clusterrolebindings:delete',
      'rbac.authorization.k8s.io/clusterroles:bind[admin,kubewars-room-view]',
      'rbac.authorization.k8s.io/clusterroles:get[kubewars-room-view]',
      'rbac.authorization.k8s.io/rolebindings:create',
    ]);
    const binding = one('ClusterRoleBinding', room) as unknown as {
      roleRef: { name: string };
      subjects: { name: string; namespace: string }[];
    };
    assert.equal(binding.roleRef.name, 'kubewars-room');
    assert.deepEqual(
      binding.subjects.map((s) => `${s.namespace}/${s.name}`),
      ['kubewars/kubewars'],
    );
  });

  test('attendees read what the platform’s own view role says, no Secrets, no wildcards', () => {
    assert.deepEqual(roleNamed('kubewars-room-view').rules, VIEW_RULES);
    const rbac = JSON.stringify(room.filter((m) => m.apiVersion.startsWith('rbac.')));
    assert.doesNotMatch(rbac, /\*/);
    assert.doesNotMatch(rbac, /secret/i);
  });

  test('the deployment runs the room with the values given', () => {
    assert.deepEqual(envOf(room), {
      KUBEWARS_INSTRUCTOR_TOKEN: { secretKeyRef: { name: 'kubewars-instructor', key: 'token' } },
      KUBEWARS_GAME_SELECTOR: 'game=starwars',
      KUBEWARS_ROOM: 'true',
      KUBEWARS_ATTENDEE_SERVER: 'https://k8s.example.org:6443',
      KUBEWARS_ATTENDEE_QUOTA: 'pods=30',
    });
  });
});

describe('the chart in the sandbox: install, upgrade, uninstall', () => {
  let sandbox: RunningSandbox;
  let run: ReturnType<typeof kubectlFor>;
  const kubectl = async (args: string[]) => {
    const result = await run(args);
    assert.equal(result.exitCode, 0, `kubectl ${args.join(' ')}: ${result.stderr}`);
    return result.stdout.trim();
  };
  const dir = mkdtempSync(join(tmpdir(), 'kubewars-helm-sandbox-'));

  before(async () => {
    sandbox = await startSandbox({ port: 0, kubeconfigOut: join(dir, 'kubeconfig'), speed: 'fast' });
    run = kubectlFor(kubectlBinaries()[1]!, sandbox.kubeconfigPath);
  });
  after(() => sandbox?.stop());

  const tokenOf = async () =>
    Buffer.from(
      await kubectl([
        '-n',
        'kubewars',
        'get',
        'secret',
        'kw-kubewars-instructor',
        '-o',
        'jsonpath={.data.token}',
      ]),
      'base64',
    ).toString();
  const deploymentEnv = async () =>
    JSON.parse(
      await kubectl([
        '-n',
        'kubewars',
        'get',
        'deployment',
        'kw-kubewars',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].env}',
      ]),
    ) as { name: string; value?: string }[];

  test('install makes every object, upgrade changes the selector and keeps the token, uninstall removes them', async () => {
    const config = sandbox.kubeconfigPath;
    await helmRun(['install', 'kw', chartDir, '--namespace', 'kubewars', '--create-namespace'], config);
    assert.match(
      await helmRun(['list', '--namespace', 'kubewars', '-o', 'json'], config),
      /"name":"kw".*"status":"deployed"/,
    );
    for (const [kind, name] of [
      ['serviceaccount', 'kw-kubewars'],
      ['secret', 'kw-kubewars-instructor'],
      ['deployment.apps', 'kw-kubewars'],
      ['service', 'kw-kubewars'],
    ]) {
      assert.equal(await kubectl(['-n', 'kubewars', 'get', kind!, name!, '-o', 'name']), `${kind}/${name}`);
    }
    assert.match(
      await kubectl(['get', 'clusterrole,clusterrolebinding', '-o', 'name']),
      /clusterrole\.rbac\.authorization\.k8s\.io\/kw-kubewars-game/,
    );
    const token = await tokenOf();
    assert.ok(token.length >= 16);
    await until('the Deployment to make its pod', async () =>
      (await kubectl(['-n', 'kubewars', 'get', 'pods', '-o', 'name'])).startsWith('pod/kw-kubewars-'),
    );

    await helmRun(
      ['upgrade', 'kw', chartDir, '--namespace', 'kubewars', '--set', 'game.selector=game=rebels'],
      config,
    );
    assert.equal(
      (await deploymentEnv()).find((e) => e.name === 'KUBEWARS_GAME_SELECTOR')?.value,
      'game=rebels',
    );
    assert.equal(await tokenOf(), token, 'an upgrade keeps the instructor token');
    assert.match(await helmRun(['history', 'kw', '--namespace', 'kubewars'], config), /2\s.*deployed/);

    await helmRun(['uninstall', 'kw', '--namespace', 'kubewars', '--wait'], config);
    assert.equal(
      await kubectl([
        '-n',
        'kubewars',
        'get',
        'all,secret,serviceaccount',
        '-l',
        'app.kubernetes.io/instance=kw',
        '-o',
        'name',
      ]),
      '',
    );
    assert.doesNotMatch(
      await kubectl(['get', 'clusterrole,clusterrolebinding', '-o', 'name']),
      /kw-kubewars/,
    );
  });
});
