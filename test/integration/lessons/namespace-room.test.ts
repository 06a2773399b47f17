// The lessons in a namespace room (issue 14): the attendee holds a token kubeconfig for a ServiceAccount that is admin
// of its own namespace only (made here with the sandbox's RBAC and TokenRequest, through client-node). kubectl 1.20
// and 1.35 run a lesson's commands as written and they land in that namespace; "Check my work" reads there with the
// attendee's token, and the lesson's cluster-admin check (a node labelled) is the instructor's: not run, not required.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { createLessonsFeature, type LessonsFeature } from '../../../server/lessons/feature.ts';
import type { RoomAttendees, RoomKind } from '../../../server/lessons/room.ts';
import { startSandbox, type RunningSandbox } from '../../../server/sandbox/index.ts';
import { startWebServer, type RunningWebServer } from '../../../server/web/server.ts';
import { kubectlBinaries, kubectlFor } from '../../support/kubectl.ts';
import { projectRoot } from '../../support/kubewars.ts';

const workDir = mkdtempSync(join(tmpdir(), 'kubewars-lessons-ns-room-'));
const namespace = 'kw-rey';
const key = 'rey-key-0123456789abcdef';
const attendeeKubeconfigPath = join(workDir, 'rey.kubeconfig');
let sandbox: RunningSandbox;
let instructor: KubeConfig;
let attendee: KubeConfig;
const servers: RunningWebServer[] = [];
const rooms: Partial<Record<RoomKind, { web: RunningWebServer; lessons: LessonsFeature }>> = {};

/** What the room gives an attendee: their namespace, admin there only, and a token kubeconfig whose context names it. */
async function attendeeKubeconfig(): Promise<string> {
  const core = instructor.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: namespace, labels: { 'kubewars.io/attendee': 'rey' } } } });
  await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'rey' } } });
  await instructor.makeApiClient(RbacAuthorizationV1Api).createNamespacedRoleBinding({
    namespace,
    body: {
      metadata: { name: 'rey-admin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'rey', namespace }],
    },
  });
  const request = await core.createNamespacedServiceAccountToken({
    name: 'rey',
    namespace,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const token = request.status?.token;
  assert.ok(token, 'the TokenRequest gave no token');
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'room', server: sandbox.url, caData: Buffer.from(sandbox.caCert).toString('base64') }],
    users: [{ name: 'rey', token }],
    contexts: [{ name: 'rey', cluster: 'room', user: 'rey', namespace }],
    currentContext: 'rey',
  });
  return config.exportConfig();
}

async function startRoom(kind: RoomKind): Promise<void> {
  const room: RoomAttendees = {
    kind,
    byKey: (k) => (k === key ? { name: 'rey', kubeConfig: attendee } : undefined),
    publicBaseUrl: 'http://127.0.0.1:1',
  };
  const dataDir = join(workDir, kind);
  // The platform's own credentials are the instructor's: a check in a room must never read with them.
  const lessons = createLessonsFeature({ projectRoot, kubeConfig: instructor, dataDir, defaultNamespace: 'default', instructorToken: `${kind}-instructor`, room });
  const web = await startWebServer({ host: '127.0.0.1', port: 0, staticDir: join(workDir, 'no-pages'), features: [lessons] });
  servers.push(web);
  rooms[kind] = { web, lessons };
}

interface CheckAnswer {
  namespace: string;
  complete: boolean;
  saved: boolean;
  results: { id: string; passed: boolean; message: string }[];
  instructorShows: string[];
}

async function check(kind: RoomKind, body: object = {}): Promise<CheckAnswer> {
  const response = await fetch(`${rooms[kind]!.web.url}/api/lessons/05-labels/check`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200);
  return (await response.json()) as CheckAnswer;
}

before(async () => {
  sandbox = await startSandbox({ port: 0, kubeconfigOut: join(workDir, 'sandbox.kubeconfig'), speed: 'fast' });
  instructor = new KubeConfig();
  instructor.loadFromFile(sandbox.kubeconfigPath);
  writeFileSync(attendeeKubeconfigPath, await attendeeKubeconfig(), { mode: 0o600 });
  attendee = new KubeConfig();
  attendee.loadFromFile(attendeeKubeconfigPath);
  await startRoom('namespace');
  await startRoom('sandbox');
});

after(async () => {
  for (const web of servers) await web.close();
  await sandbox?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

describe('lessons in a namespace room', () => {
  test("the attendee's token is admin of their namespace only", async () => {
    const [binary] = kubectlBinaries().filter((b) => b.version === '1.35');
    const kubectl = kubectlFor(binary!, attendeeKubeconfigPath);
    assert.equal((await kubectl(['auth', 'can-i', 'create', 'pods'])).stdout.trim(), 'yes');
    assert.equal((await kubectl(['auth', 'can-i', 'create', 'pods', '-n', 'default'])).stdout.trim(), 'no');
    assert.equal((await kubectl(['auth', 'can-i', 'patch', 'nodes'])).stdout.trim(), 'no');
  });

  test("lesson 05's own commands, as written, land in the attendee's namespace with kubectl 1.20 and 1.35", async () => {
    const binaries = kubectlBinaries();
    assert.deepEqual(binaries.map((b) => b.version).sort(), ['1.20', '1.35']);
    for (const binary of binaries) {
      const kubectl = kubectlFor(binary, attendeeKubeconfigPath);
      const apply = await kubectl(['apply', '-f', join(projectRoot, 'steps/step-05-labels/pods.yaml')]);
      assert.equal(apply.exitCode, 0, `kubectl ${binary.version}: ${apply.stderr}`);
      const label = await kubectl(['label', 'pod', 'web-prod', 'tier=frontend', '--overwrite']);
      assert.equal(label.exitCode, 0, `kubectl ${binary.version}: ${label.stderr}`);
    }
    // The block the instructor shows: a node labelled disktype=ssd, with the instructor's rights.
    const nodes = await instructor.makeApiClient(CoreV1Api).listNode({ labelSelector: '!node-role.kubernetes.io/control-plane' });
    const node = nodes.items[0]?.metadata?.name;
    assert.ok(node);
    const instructorKubectl = kubectlFor(kubectlBinaries()[0]!, sandbox.kubeconfigPath);
    assert.equal((await instructorKubectl(['label', 'node', node, 'disktype=ssd', '--overwrite'])).exitCode, 0);
    const [binary] = kubectlBinaries();
    const onSsd = await kubectlFor(binary!, attendeeKubeconfigPath)(['apply', '-f', join(projectRoot, 'steps/step-05-labels/on-ssd.yaml')]);
    assert.equal(onSsd.exitCode, 0, onSsd.stderr);
    const pods = await instructor.makeApiClient(CoreV1Api).listNamespacedPod({ namespace });
    assert.deepEqual(pods.items.map((p) => p.metadata?.name).sort(), ['cache-dev', 'on-ssd', 'web-prod', 'web-staging']);
    assert.equal((await instructor.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'default' })).items.length, 0);
  });

  test("a check reads the attendee's namespace with their token; the cluster-admin check is named, not required", async () => {
    const deadline = Date.now() + 30_000;
    let answer = await check('namespace', { namespace: 'default' });
    while (!answer.complete && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      answer = await check('namespace', { namespace: 'default' });
    }
    // The body's namespace is not where the attendee's work is: the kubeconfig's context names it.
    assert.equal(answer.namespace, namespace);
    assert.deepEqual(answer.results.map((r) => [r.id, r.passed]), [
      ['on-ssd-node', true],
      ['web-pods', true],
      ['prod-frontend', true],
    ]);
    assert.deepEqual(answer.instructorShows, ['ssd-node']);
    assert.deepEqual([answer.complete, answer.saved], [true, true]);
    assert.equal(rooms.namespace!.lessons.stepsDone('rey'), 1);
  });

  test('in a sandbox room the same token must pass every check, the cluster-admin one too', async () => {
    const answer = await check('sandbox', { namespace });
    assert.deepEqual(answer.instructorShows, []);
    const ssd = answer.results.find((r) => r.id === 'ssd-node');
    // A namespace's admin may not list nodes: the check says the cluster refused it, and the step is not complete.
    assert.equal(ssd?.passed, false);
    assert.match(ssd?.message ?? '', /does not let Kube Wars read Node objects/);
    assert.deepEqual(answer.results.filter((r) => r.passed).map((r) => r.id), ['on-ssd-node', 'web-pods', 'prod-frontend']);
    assert.equal(answer.complete, false);
    assert.equal(rooms.sandbox!.lessons.stepsDone('rey'), 0);
  });
});
