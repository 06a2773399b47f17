// `kubewars start --room` through the real CLI: attendees join over HTTP and use their downloaded kubeconfigs with
// kubectl 1.20 and 1.35 and client-node; each cluster is theirs alone, the game and the lessons know whose it is,
// removal revokes, and a restart keeps every kubeconfig and (with --state) every object.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { AppsV1Api, CoreV1Api, type KubeConfig, Watch } from '@kubernetes/client-node';
import type { GameStateView } from '../../../server/game/protocol.ts';
import { kubectlBinaries, kubectlFor } from '../../support/kubectl.ts';
import { until } from '../../support/until.ts';
import {
  type Attendee,
  call,
  freePort,
  INSTRUCTOR_TOKEN,
  joinRoom,
  postJoin,
  ROOM_ADDRESS,
  type RunningRoom,
  startRoom,
} from './room-support.ts';

const shipPod = (name: string, player: string) => ({
  metadata: { name, labels: { game: 'starwars', player } },
  spec: { containers: [{ name: 'ship', image: 'nginx:1.27' }] },
});

const podNames = async (kubeConfig: KubeConfig, namespace = 'default') =>
  (await kubeConfig.makeApiClient(CoreV1Api).listNamespacedPod({ namespace })).items
    .map((pod) => pod.metadata?.name ?? '')
    .sort();

describe('a workshop room on `kubewars start --room`', { timeout: 600_000 }, () => {
  const cwd = mkdtempSync(join(tmpdir(), 'kubewars-room-'));
  const args = ['--state', 'state.json', '--data-dir', 'data'];
  let room: RunningRoom;
  let sandboxPort: number;
  let rey: Attendee;
  let finn: Attendee;
  after(async () => {
    await room?.stop();
  });

  test('the banner names the room and prints the instructor URL and the token apart', async () => {
    sandboxPort = await freePort();
    room = await startRoom(args, cwd, sandboxPort);
    const output = room.output();
    assert.match(output, new RegExp(`Players:\\s+http://${ROOM_ADDRESS.replaceAll('.', '\\.')}:\\d+/\\n`));
    assert.match(output, /Instructor:\s+http:\/\/\S+\/instructor\n/);
    assert.match(output, new RegExp(`Instructor token:\\s+${INSTRUCTOR_TOKEN}\\n`));
    assert.doesNotMatch(output, /token=/, 'no URL carries the token');
    assert.match(output, new RegExp(`public address ${ROOM_ADDRESS.replaceAll('.', '\\.')}`));
    const info = await (await call(room.url, 'GET', '/api/room')).json();
    assert.deepEqual(info, { room: true, kind: 'sandbox', publicBaseUrl: room.url, maxAttendees: 200 });
  });

  test('two attendees join; a taken name is a 409, the same attendee with the key a 200', async () => {
    rey = await joinRoom(room.url, 'rey');
    finn = await joinRoom(room.url, 'finn');
    assert.match(rey.kubeconfig, new RegExp(`server: https://${ROOM_ADDRESS.replaceAll('.', '\\.')}:\\d+`));
    const taken = await postJoin(room.url, 'rey');
    assert.equal(taken.status, 409);
    assert.match(((await taken.json()) as { error: string }).error, /taken/);
    const again = await postJoin(room.url, 'rey', rey.key);
    assert.equal(again.status, 200);
    assert.equal(((await again.json()) as { kubeconfig: string }).kubeconfig, rey.kubeconfig);
    const download = await call(room.url, 'GET', '/api/attendees/rey/kubeconfig', rey.key);
    assert.equal(download.status, 200);
    assert.equal(download.headers.get('content-disposition'), 'attachment; filename=kubewars-rey.kubeconfig');
    assert.equal(await download.text(), rey.kubeconfig);
    assert.equal((await call(room.url, 'GET', '/api/attendees/rey/kubeconfig', finn.key)).status, 401);
  });

  for (const binary of kubectlBinaries()) {
    test(`kubectl ${binary.version}: each kubeconfig reaches its own cluster and nothing of the other`, async () => {
      const asRey = kubectlFor(binary, rey.kubeconfigPath);
      const asFinn = kubectlFor(binary, finn.kubeconfigPath);
      const nodes = await asRey(['get', 'nodes', '-o', 'name']);
      assert.equal(nodes.exitCode, 0, nodes.stderr);
      assert.match(nodes.stdout, /node\//);
      const name = `only-rey-${binary.version.replace('.', '-')}`;
      const created = await asRey(['create', 'configmap', name, '--from-literal=owner=rey']);
      assert.equal(created.exitCode, 0, created.stderr);
      const read = await asFinn(['get', 'configmap', name]);
      assert.notEqual(read.exitCode, 0);
      assert.match(read.stderr, /NotFound|not found/);
      const listed = await asFinn(['get', 'configmaps', '-A', '-o', 'name']);
      assert.equal(listed.exitCode, 0, listed.stderr);
      assert.doesNotMatch(listed.stdout, new RegExp(name));
      const deleted = await asFinn(['delete', 'configmap', name]);
      assert.notEqual(deleted.exitCode, 0);
      assert.equal((await asRey(['get', 'configmap', name, '-o', 'jsonpath={.data.owner}'])).stdout, 'rey');
      // Full admin inside: a namespace of one's own, and kube-system is there to look at.
      assert.equal((await asFinn(['get', 'pods', '-n', 'kube-system', '-o', 'name'])).exitCode, 0);
    });
  }

  test("client-node: a watch in one attendee's cluster never sees another's pods", async () => {
    const seen: string[] = [];
    const watch = new Watch(finn.kubeConfig);
    const request = await watch.watch(
      '/api/v1/namespaces/default/pods',
      {},
      (type: string, pod: { metadata?: { name?: string } }) => seen.push(`${type} ${pod.metadata?.name}`),
      () => undefined,
    );
    try {
      await rey.kubeConfig.makeApiClient(CoreV1Api).createNamespacedPod({
        namespace: 'default',
        body: shipPod('rey-ship', 'rey'),
      });
      await finn.kubeConfig.makeApiClient(CoreV1Api).createNamespacedPod({
        namespace: 'default',
        body: shipPod('finn-ship', 'finn'),
      });
      await until('finn sees his own pod', async () => seen.includes('ADDED finn-ship'));
      assert.ok(!seen.some((line) => line.includes('rey-ship')), seen.join(', '));
      assert.deepEqual(await podNames(finn.kubeConfig), ['finn-ship']);
      assert.deepEqual(await podNames(rey.kubeConfig), ['rey-ship']);
    } finally {
      request.abort();
    }
  });

  test("a pod labelled player: rey in finn's cluster is finn's ship", async () => {
    await finn.kubeConfig.makeApiClient(CoreV1Api).createNamespacedPod({
      namespace: 'default',
      body: shipPod('impostor', 'rey'),
    });
    const fleets = await until(
      'the fleets of rey and finn',
      async () => ((await (await call(room.url, 'GET', '/api/state')).json()) as GameStateView).fleets,
      (list) =>
        list.find((f) => f.player === 'finn')?.total === 2 &&
        list.find((f) => f.player === 'rey')?.total === 1,
      60_000,
    );
    assert.equal(fleets.find((f) => f.player === 'rey')?.total, 1);
    const attendees = await until(
      'the attendees panel',
      async () =>
        (await (await call(room.url, 'GET', '/api/attendees', INSTRUCTOR_TOKEN)).json()) as {
          name: string;
          flying: number;
          total: number;
        }[],
      (list) => list.find((a) => a.name === 'finn')?.flying === 2,
      60_000,
    );
    assert.deepEqual(
      attendees.map(({ name, total }) => ({ name, total })),
      [
        { name: 'rey', total: 1 },
        { name: 'finn', total: 2 },
      ],
    );
  });

  test("a check runs in the asking attendee's cluster and credits only them", async () => {
    await rey.kubeConfig.makeApiClient(CoreV1Api).createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'hello-world', labels: { demo: 'hello' } },
        spec: { containers: [{ name: 'hello-world', image: 'nginx:1.27' }] },
      },
    });
    assert.equal((await call(room.url, 'POST', '/api/lessons/04-pods/check', undefined, {})).status, 401);
    const reyCheck = await until(
      "rey's check",
      async () =>
        (await (
          await call(room.url, 'POST', '/api/lessons/04-pods/check', rey.key, { player: 'finn' })
        ).json()) as {
          complete: boolean;
        },
      (body) => body.complete,
      60_000,
    );
    assert.equal(reyCheck.complete, true);
    const finnCheck = (await (
      await call(room.url, 'POST', '/api/lessons/04-pods/check', finn.key, {})
    ).json()) as {
      complete: boolean;
    };
    assert.equal(finnCheck.complete, false, 'finn has no hello-world pod in his cluster');
    const attendees = (await (await call(room.url, 'GET', '/api/attendees', INSTRUCTOR_TOKEN)).json()) as {
      name: string;
      stepsDone: number;
    }[];
    assert.deepEqual(
      attendees.map(({ name, stepsDone }) => ({ name, stepsDone })),
      [
        { name: 'rey', stepsDone: 1 },
        { name: 'finn', stepsDone: 0 },
      ],
    );
  });

  test('a 500-replica Deployment stays at the pod limit with FailedCreate events', async () => {
    const apps = finn.kubeConfig.makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'armada' },
        spec: {
          replicas: 500,
          selector: { matchLabels: { app: 'armada' } },
          template: {
            metadata: { labels: { app: 'armada' } },
            spec: { containers: [{ name: 'ship', image: 'nginx:1.27' }] },
          },
        },
      },
    });
    const core = finn.kubeConfig.makeApiClient(CoreV1Api);
    try {
      const events = await until(
        'FailedCreate events',
        async () => (await core.listNamespacedEvent({ namespace: 'default' })).items,
        (items) => items.some((event) => event.reason === 'FailedCreate'),
        60_000,
      );
      assert.match(
        events.find((event) => event.reason === 'FailedCreate')?.message ?? '',
        /limit|quota|forbidden/i,
      );
      // The cluster's own pods (kube-system) do not count: finn's two ships and 48 of the armada do.
      const held = await until(
        'the cluster at its limit of 50 pods',
        async () => (await core.listNamespacedPod({ namespace: 'default' })).items.length,
        (count) => count === 50,
        30_000,
      );
      assert.equal(held, 50);
      const refused = await core
        .createNamespacedPod({ namespace: 'default', body: shipPod('one-more', 'finn') })
        .then(
          () => undefined,
          (error: { code?: number; body?: string }) => error,
        );
      assert.equal(refused?.code, 403);
    } finally {
      // The cluster is left as it was: the restart test counts finn's pods.
      await apps.deleteNamespacedDeployment({ name: 'armada', namespace: 'default' });
      await until(
        'the armada gone',
        async () => (await podNames(finn.kubeConfig)).filter((name) => name.startsWith('armada')),
        (names) => names.length === 0,
        60_000,
      );
    }
  });

  test("removal revokes the attendee's kubeconfig and takes their fleet off the battle", async () => {
    assert.equal((await call(room.url, 'DELETE', '/api/attendees/rey', rey.key)).status, 401);
    assert.equal((await call(room.url, 'DELETE', '/api/attendees/rey', INSTRUCTOR_TOKEN)).status, 204);
    const [binary] = kubectlBinaries();
    const refused = await kubectlFor(binary!, rey.kubeconfigPath)(['get', 'pods']);
    assert.notEqual(refused.exitCode, 0);
    assert.match(refused.stderr, /Unauthorized|logged in/);
    await assert.rejects(podNames(rey.kubeConfig), (error: { code?: number }) => error.code === 401);
    const state = (await (await call(room.url, 'GET', '/api/state')).json()) as GameStateView;
    assert.equal(state.fleets.find((f) => f.player === 'rey')?.flying ?? 0, 0);
    assert.equal((await call(room.url, 'GET', '/api/attendees/rey/kubeconfig', rey.key)).status, 404);
  });

  test('a restart keeps every kubeconfig valid and every object of every attendee', async () => {
    const stopped = await room.stop();
    assert.equal(stopped.code, 0);
    room = await startRoom(args, cwd, sandboxPort);
    assert.match(room.output(), /1 attendee joined/);
    assert.deepEqual(await podNames(finn.kubeConfig), ['finn-ship', 'impostor']);
    const [binary] = kubectlBinaries();
    const listed = await kubectlFor(binary!, finn.kubeconfigPath)(['get', 'pods', '-o', 'name']);
    assert.equal(listed.exitCode, 0, listed.stderr);
    assert.match(listed.stdout, /pod\/impostor/);
    await assert.rejects(podNames(rey.kubeConfig), (error: { code?: number }) => error.code === 401);
    const again = await postJoin(room.url, 'finn', finn.key);
    assert.equal(again.status, 200);
    assert.equal(((await again.json()) as { kubeconfig: string }).kubeconfig, finn.kubeconfig);
  });
});
