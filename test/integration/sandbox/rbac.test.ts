// Identities and RBAC as real clients see them: ServiceAccount tokens from `kubectl create token`, Roles and
// bindings enforced, `auth can-i` / `--list` / `whoami`, impersonation, escalation refused, aggregated roles,
// tokens of a deleted account refused — with kubectl 1.20 and 1.35, client-node and Debian's python3-kubernetes.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AuthorizationV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { execa } from 'execa';
import { startSandbox } from '../../../server/sandbox/index.ts';
import type { RunningSandbox } from '../../../server/sandbox/index.ts';
import { fetchTrusting } from '../../support/https-fetch.ts';
import { kubectlBinaries, kubectlFor } from '../../support/kubectl.ts';
import { until } from '../../support/until.ts';

let sandbox: RunningSandbox;
let admin: ReturnType<typeof kubectlFor>;

before(async () => {
  sandbox = await startSandbox({
    port: 0,
    kubeconfigOut: join(mkdtempSync(join(tmpdir(), 'kubewars-rbac-')), 'config'),
    speed: 'fast',
    nodes: 1,
  });
  admin = kubectlFor(kubectlBinaries()[1]!, sandbox.kubeconfigPath);
});
after(async () => sandbox?.stop());

async function ok(args: string[], input?: string): Promise<string> {
  const result = await admin(args, input === undefined ? {} : { input });
  assert.equal(result.exitCode, 0, `kubectl ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** A namespace with ServiceAccount `reader` allowed to read its pods, and a token for it. */
async function readerIn(namespace: string): Promise<string> {
  await ok(['create', 'namespace', namespace]);
  await ok(['-n', namespace, 'create', 'serviceaccount', 'reader']);
  await ok(['-n', namespace, 'create', 'role', 'pod-reader', '--verb=get,list,watch', '--resource=pods']);
  await ok([
    '-n',
    namespace,
    'create',
    'rolebinding',
    'reader',
    '--role=pod-reader',
    `--serviceaccount=${namespace}:reader`,
  ]);
  return (await ok(['-n', namespace, 'create', 'token', 'reader'])).trim();
}

for (const binary of kubectlBinaries()) {
  describe(`kubectl ${binary.version} with ServiceAccount tokens and RBAC`, () => {
    const namespace = `dev-${binary.version.replace('.', '')}`;
    let token: string;
    let run: ReturnType<typeof kubectlFor>;
    before(async () => {
      run = kubectlFor(binary, sandbox.kubeconfigPath);
      token = await readerIn(namespace);
    });

    test('a ServiceAccount with a Role reads pods in its namespace and is forbidden elsewhere', async () => {
      const own = await run(['--token', token, '-n', namespace, 'get', 'pods']);
      assert.equal(own.exitCode, 0, own.stderr);
      assert.match(own.stderr, new RegExp(`No resources found in ${namespace} namespace`));
      const other = await run(['--token', token, '-n', 'default', 'get', 'pods']);
      assert.equal(other.exitCode, 1);
      assert.match(
        other.stderr,
        new RegExp(
          `Error from server \\(Forbidden\\): pods is forbidden: User "system:serviceaccount:${namespace}:reader" cannot list resource "pods" in API group "" in the namespace "default"`,
        ),
      );
      const write = await run(['--token', token, '-n', namespace, 'create', 'configmap', 'x']);
      assert.match(
        write.stderr,
        /configmaps is forbidden: .* cannot create resource "configmaps" in API group ""/,
      );
      const nodes = await run(['--token', token, 'get', 'nodes']);
      assert.match(nodes.stderr, /cannot list resource "nodes" in API group "" at the cluster scope/);
    });

    test('auth can-i answers as the server enforces, and --list shows the rules', async () => {
      const yes = await run(['--token', token, '-n', namespace, 'auth', 'can-i', 'list', 'pods']);
      assert.equal(yes.stdout.trim(), 'yes');
      const no = await run(['--token', token, '-n', namespace, 'auth', 'can-i', 'delete', 'pods']);
      assert.equal(no.stdout.trim(), 'no');
      assert.equal(no.exitCode, 1);
      const list = await run(['--token', token, '-n', namespace, 'auth', 'can-i', '--list']);
      assert.equal(list.exitCode, 0, list.stderr);
      assert.match(list.stdout, /^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
      assert.match(
        list.stdout,
        /^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m,
      );
      assert.match(list.stdout, /^\s+\[\/api\]\s+\[\]\s+\[get\]$/m);
    });

    test('--as impersonates for who may impersonate, and is forbidden to the rest', async () => {
      const as = await run([
        '-n',
        namespace,
        'auth',
        'can-i',
        'list',
        'pods',
        `--as=system:serviceaccount:${namespace}:reader`,
      ]);
      assert.equal(as.stdout.trim(), 'yes');
      const asDefault = await run([
        '-n',
        namespace,
        'get',
        'pods',
        `--as=system:serviceaccount:${namespace}:default`,
      ]);
      assert.match(
        asDefault.stderr,
        /User "system:serviceaccount:dev-\d+:default" cannot list resource "pods"/,
      );
      const refused = await run(['--token', token, '-n', namespace, 'get', 'pods', '--as=bob']);
      assert.match(
        refused.stderr,
        new RegExp(
          `users "bob" is forbidden: User "system:serviceaccount:${namespace}:reader" cannot impersonate resource "users" in API group "" at the cluster scope`,
        ),
      );
    });

    test('a namespace admin may grant what they hold, and granting more is refused in the apiserver’s words', async () => {
      await ok(['-n', namespace, 'create', 'serviceaccount', 'lead']);
      await ok([
        '-n',
        namespace,
        'create',
        'rolebinding',
        'lead',
        '--clusterrole=admin',
        `--serviceaccount=${namespace}:lead`,
      ]);
      const lead = (await ok(['-n', namespace, 'create', 'token', 'lead'])).trim();
      const within = await run([
        '--token',
        lead,
        '-n',
        namespace,
        'create',
        'role',
        'cm',
        '--verb=get',
        '--resource=configmaps',
      ]);
      assert.equal(within.exitCode, 0, within.stderr);
      const beyond = await run([
        '--token',
        lead,
        '-n',
        namespace,
        'create',
        'role',
        'nodes',
        '--verb=get,list',
        '--resource=nodes',
      ]);
      assert.equal(beyond.exitCode, 1);
      assert.match(
        beyond.stderr,
        new RegExp(
          `roles\\.rbac\\.authorization\\.k8s\\.io "nodes" is forbidden: user "system:serviceaccount:${namespace}:lead" \\(groups=\\["system:serviceaccounts" "system:serviceaccounts:${namespace}" "system:authenticated"\\]\\) is attempting to grant RBAC permissions not currently held:\\n\\{APIGroups:\\[""\\], Resources:\\["nodes"\\], Verbs:\\["get" "list"\\]\\}`,
        ),
      );
      const bind = await run([
        '--token',
        lead,
        '-n',
        namespace,
        'create',
        'rolebinding',
        'root',
        '--clusterrole=cluster-admin',
        '--user=bob',
      ]);
      assert.match(
        bind.stderr,
        /rolebindings\.rbac\.authorization\.k8s\.io "root" is forbidden: .*\n\{APIGroups:\["\*"\], Resources:\["\*"\], Verbs:\["\*"\]\}/,
      );
    });
  });
}

test('kubectl 1.35 auth whoami names the ServiceAccount, its uid and groups', async () => {
  const token = await readerIn('whoami');
  const uid = (
    await ok(['-n', 'whoami', 'get', 'serviceaccount', 'reader', '-o', 'jsonpath={.metadata.uid}'])
  ).trim();
  const run = kubectlFor(kubectlBinaries()[1]!, sandbox.kubeconfigPath);
  const whoami = await run(['--token', token, 'auth', 'whoami']);
  assert.equal(whoami.exitCode, 0, whoami.stderr);
  assert.match(whoami.stdout, /^Username\s+system:serviceaccount:whoami:reader$/m);
  assert.match(whoami.stdout, new RegExp(`^UID\\s+${uid}$`, 'm'));
  assert.match(
    whoami.stdout,
    /^Groups\s+\[system:serviceaccounts system:serviceaccounts:whoami system:authenticated\]$/m,
  );
  const adminWho = await run(['auth', 'whoami']);
  assert.match(adminWho.stdout, /^Groups\s+\[system:masters system:authenticated\]$/m);
});

test('a deleted ServiceAccount’s token is refused, and a token shorter than 10 minutes is invalid', async () => {
  const token = await readerIn('gone');
  const run = kubectlFor(kubectlBinaries()[0]!, sandbox.kubeconfigPath);
  assert.equal((await run(['--token', token, '-n', 'gone', 'get', 'pods'])).exitCode, 0);
  await ok(['-n', 'gone', 'delete', 'serviceaccount', 'reader']);
  const refused = await run(['--token', token, '-n', 'gone', 'get', 'pods']);
  assert.equal(refused.exitCode, 1);
  assert.match(refused.stderr, /error: You must be logged in to the server \(Unauthorized\)/);
  const short = await admin(['-n', 'gone', 'create', 'token', 'default', '--duration=5m']);
  assert.match(
    short.stderr,
    /TokenRequest\.authentication\.k8s\.io "default" is invalid: spec\.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes/,
  );
});

test('edit and view are aggregated from their labelled ClusterRoles, new ones included', async () => {
  await ok(['create', 'namespace', 'agg']);
  await ok(['-n', 'agg', 'create', 'serviceaccount', 'viewer']);
  await ok([
    '-n',
    'agg',
    'create',
    'rolebinding',
    'viewer',
    '--clusterrole=view',
    '--serviceaccount=agg:viewer',
  ]);
  const viewer = (await ok(['-n', 'agg', 'create', 'token', 'viewer'])).trim();
  const can = async (...args: string[]) =>
    (await admin(['--token', viewer, '-n', 'agg', 'auth', 'can-i', ...args])).stdout.trim();
  assert.equal(await can('list', 'deployments.apps'), 'yes');
  assert.equal(await can('get', 'secrets'), 'no');
  assert.equal(await can('create', 'pods'), 'no');
  assert.equal(await can('list', 'pods.metrics.k8s.io'), 'yes', 'view reads usage (`kubectl top`)');
  await ok(
    ['apply', '-f', '-'],
    JSON.stringify({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'lease-reader', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
      rules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'list'] }],
    }),
  );
  await until(
    'view and admin gain the new rule',
    async () => (await can('list', 'leases.coordination.k8s.io')) === 'yes',
  );
  const adminRole = await ok(['get', 'clusterrole', 'admin', '-o', 'json']);
  const rules = (JSON.parse(adminRole) as { rules: { resources?: string[]; verbs: string[] }[] }).rules;
  assert.ok(rules.some((rule) => rule.resources?.includes('secrets') && rule.verbs.includes('create')));
  assert.ok(rules.some((rule) => rule.resources?.includes('rolebindings')));
  const roles = await ok(['get', 'clusterroles']);
  for (const name of ['cluster-admin', 'admin', 'edit', 'view', 'system:discovery', 'system:basic-user'])
    assert.match(roles, new RegExp(`^${name}\\s+\\d{4}-`, 'm'));
});

test('a legacy token Secret is filled in by the token controller and authenticates as its account', async () => {
  await ok(['create', 'namespace', 'legacy']);
  await ok(['-n', 'legacy', 'create', 'serviceaccount', 'old']);
  await ok(
    ['-n', 'legacy', 'apply', '-f', '-'],
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'old-token', annotations: { 'kubernetes.io/service-account.name': 'old' } },
      type: 'kubernetes.io/service-account-token',
    }),
  );
  const encoded = await until('the token is filled in', async () =>
    (await ok(['-n', 'legacy', 'get', 'secret', 'old-token', '-o', 'jsonpath={.data.token}'])).trim(),
  );
  const token = Buffer.from(encoded, 'base64').toString('utf8');
  const run = kubectlFor(kubectlBinaries()[0]!, sandbox.kubeconfigPath);
  const can = await run(['--token', token, '-n', 'legacy', 'auth', 'can-i', 'list', 'pods']);
  assert.equal(can.stdout.trim(), 'no');
  assert.equal((await run(['--token', token, '-n', 'legacy', 'get', 'pods'])).exitCode, 1);
  await ok(['-n', 'legacy', 'delete', 'serviceaccount', 'old']);
  await until(
    'the Secret goes with its account',
    async () => (await admin(['-n', 'legacy', 'get', 'secret', 'old-token'])).exitCode === 1,
  );
  assert.match((await run(['--token', token, 'get', 'pods'])).stderr, /Unauthorized/);
});

test('client-node with a ServiceAccount token: allowed, forbidden (403) and a SelfSubjectAccessReview', async () => {
  const token = await readerIn('node-client');
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [
      { name: 'sandbox', server: sandbox.url, caData: Buffer.from(sandbox.caCert).toString('base64') },
    ],
    users: [{ name: 'reader', token }],
    contexts: [{ name: 'reader', cluster: 'sandbox', user: 'reader' }],
    currentContext: 'reader',
  });
  const core = config.makeApiClient(CoreV1Api);
  const own = await core.listNamespacedPod({ namespace: 'node-client' });
  assert.deepEqual(own.items, []);
  await assert.rejects(
    core.listNamespacedPod({ namespace: 'default' }),
    (error: { code?: number }) => error.code === 403,
  );
  const review = await config.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
    body: { spec: { resourceAttributes: { namespace: 'node-client', verb: 'watch', resource: 'pods' } } },
  });
  assert.equal(review.status?.allowed, true);
  assert.match(
    review.status?.reason ?? '',
    /^RBAC: allowed by RoleBinding "reader\/node-client" of Role "pod-reader" to ServiceAccount "node-client\/reader"$/,
  );
});

test('Debian python3-kubernetes with a ServiceAccount token: allowed, forbidden (403)', async () => {
  const python = '/usr/bin/python3';
  assert.ok(existsSync(python), 'Debian python3 is installed (see .ci/run)');
  const token = await readerIn('python-client');
  const script = `
import json, sys
from kubernetes import client
from kubernetes.client.rest import ApiException
config = client.Configuration()
config.host = sys.argv[1]
config.api_key = {"authorization": "Bearer " + sys.argv[2]}
config.ssl_ca_cert = sys.argv[3]
core = client.CoreV1Api(client.ApiClient(config))
own = core.list_namespaced_pod("python-client")
try:
    core.list_namespaced_pod("default")
    other = 200
except ApiException as error:
    other = error.status
print(json.dumps({"own": len(own.items), "other": other}))
`;
  const caPath = join(mkdtempSync(join(tmpdir(), 'kubewars-rbac-py-')), 'ca.crt');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(caPath, sandbox.caCert);
  const { stdout } = await execa(python, ['-c', script, sandbox.url, token, caPath], {
    timeout: 60_000,
    env: { NO_PROXY: '*' },
  });
  assert.deepEqual(JSON.parse(stdout), { own: 0, other: 403 });
});

test('paths that are no resource are authorised too: discovery needs system:discovery’s binding', async () => {
  const token = await readerIn('paths');
  const fetch = fetchTrusting(sandbox.caCert);
  const get = (path: string) =>
    fetch(`${sandbox.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal((await get('/apis')).status, 200);
  const binding = await ok(['get', 'clusterrolebinding', 'system:discovery', '-o', 'json']);
  await ok(['delete', 'clusterrolebinding', 'system:discovery']);
  try {
    const refused = await get('/apis');
    assert.equal(refused.status, 403);
    assert.equal(
      ((await refused.json()) as { message: string }).message,
      'forbidden: User "system:serviceaccount:paths:reader" cannot get path "/apis"',
    );
    assert.equal((await get('/version')).status, 200, 'system:public-info-viewer still grants /version');
  } finally {
    await ok(
      ['create', '-f', '-'],
      JSON.stringify({ ...JSON.parse(binding), metadata: { name: 'system:discovery' } }),
    );
  }
});

test('a deleted default ServiceAccount is made again, with a new uid', async () => {
  await ok(['create', 'namespace', 'recreate']);
  const uid = () =>
    ok(['-n', 'recreate', 'get', 'serviceaccount', 'default', '-o', 'jsonpath={.metadata.uid}']);
  const first = await until('the namespace gets its default account', uid);
  await ok(['-n', 'recreate', 'delete', 'serviceaccount', 'default']);
  await until('the default account comes back', uid, (again) => again !== '' && again !== first);
});
