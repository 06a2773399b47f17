// The namespace room (issue 14) end to end: the sandbox stands in for a real cluster, the platform runs through the
// real CLI (`kubewars start --room --kubeconfig …`) with a ServiceAccount bound only to the Helm chart's room
// ClusterRole, and two attendees join over HTTP and work with their downloaded kubeconfigs in kubectl 1.20 and 1.35.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import { parse } from 'yaml';
import type { GameStateView } from '../../../server/game/protocol.ts';
import { kubeconfigYaml } from '../../../server/sandbox/api/kubeconfig.ts';
import { type RunningSandbox, startSandbox } from '../../../server/sandbox/index.ts';
import { kubectlBinaries, kubectlFor, testToolPath } from '../../support/kubectl.ts';
import { type RunningKubewars, spawnKubewars, projectRoot } from '../../support/kubewars.ts';
import { until } from '../../support/until.ts';
import { type Attendee, call, INSTRUCTOR_TOKEN, joinRoom, ROOM_ADDRESS } from './room-support.ts';

const chartDir = join(projectRoot, 'server/game/deploy/chart');
const dir = mkdtempSync(join(tmpdir(), 'kubewars-ns-room-'));
const [kubectl120, kubectl135] = kubectlBinaries() as [
  ReturnType<typeof kubectlBinaries>[0],
  ReturnType<typeof kubectlBinaries>[0],
];

let sandbox: RunningSandbox;
/** kubectl as the cluster's admin (the person who installs the chart). */
let admin: ReturnType<typeof kubectlFor>;
const ok = async (run: ReturnType<typeof kubectlFor>, args: string[], input?: string) => {
  const result = await run(args, input === undefined ? {} : { input });
  assert.equal(result.exitCode, 0, `kubectl ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
};

/** The chart's room roles, rendered by helm and applied by the admin. */
async function applyRoomRoles(): Promise<void> {
  const rendered = await execa(
    testToolPath('helm'),
    [
      'template',
      'kw',
      chartDir,
      '--namespace',
      'kubewars',
      '--set',
      'room.enabled=true',
      '--show-only',
      'templates/clusterrole-room.yaml',
      '--show-only',
      'templates/clusterrole-room-view.yaml',
    ],
    { env: { HOME: dir, HELM_CACHE_HOME: join(dir, 'helm'), HELM_CONFIG_HOME: join(dir, 'helm') } },
  );
  await ok(admin, ['apply', '-f', '-'], rendered.stdout);
}

/** A kubeconfig for ServiceAccount kubewars/`account`, bound to ClusterRole `role` (none: bound to nothing). */
async function accountKubeconfig(account: string, role?: string): Promise<string> {
  await ok(admin, ['-n', 'kubewars', 'create', 'serviceaccount', account]);
  if (role) {
    await ok(admin, [
      'create',
      'clusterrolebinding',
      account,
      `--clusterrole=${role}`,
      `--serviceaccount=kubewars:${account}`,
    ]);
  }
  const token = await ok(admin, ['-n', 'kubewars', 'create', 'token', account, '--duration', '2h']);
  const instructor = parse(readFileSync(sandbox.kubeconfigPath, 'utf8')) as {
    clusters: { cluster: { 'certificate-authority-data': string } }[];
  };
  const path = join(dir, `${account}.kubeconfig`);
  writeFileSync(
    path,
    kubeconfigYaml({
      server: sandbox.url,
      caCert: Buffer.from(
        instructor.clusters[0]?.cluster['certificate-authority-data'] ?? '',
        'base64',
      ).toString(),
      token,
      contextName: account,
      namespace: 'kubewars',
    }),
  );
  return path;
}

interface Platform extends RunningKubewars {
  url: string;
}

function startNamespaceRoom(kubeconfig: string, cwd?: string): Platform & { started: Promise<Platform> } {
  const running = spawnKubewars(
    [
      'start',
      '--room',
      '--kubeconfig',
      kubeconfig,
      '--host',
      ROOM_ADDRESS,
      '--public-address',
      ROOM_ADDRESS,
      '--port',
      '0',
      '--instructor-token',
      INSTRUCTOR_TOKEN,
      '--attendee-quota',
      'pods=20',
      '--attendee-token-ttl',
      '2h',
    ],
    cwd ? { cwd } : {},
  );
  const started = (async () => {
    const [, url] = await running.waitFor(/Players:\s+(https?:\/\/\S+?)\/\s/, 120_000);
    await running.waitFor(/Press Ctrl-C to stop/);
    return { ...running, url: url as string };
  })();
  return { ...running, url: '', started };
}

/** `kubectl auth can-i` answers: yes (exit 0) or no (exit 1). */
async function canI(run: ReturnType<typeof kubectlFor>, args: string[]): Promise<boolean> {
  const result = await run(['auth', 'can-i', ...args]);
  assert.ok(result.exitCode === 0 || result.exitCode === 1, `auth can-i ${args.join(' ')}: ${result.stderr}`);
  return result.exitCode === 0;
}

before(async () => {
  sandbox = await startSandbox({ port: 0, kubeconfigOut: join(dir, 'admin.kubeconfig'), speed: 'fast' });
  admin = kubectlFor(kubectl135, sandbox.kubeconfigPath);
  await ok(admin, ['create', 'namespace', 'kubewars']);
  await applyRoomRoles();
});
after(() => sandbox?.stop());

describe('a room on a kubeconfig’s cluster: a namespace per attendee', () => {
  let platform: Platform;
  let platformKubeconfig: string;
  let rey: Attendee;
  let finn: Attendee;
  after(() => platform?.stop());

  test('the platform runs with the rights of the chart’s room role only', async () => {
    platformKubeconfig = await accountKubeconfig('room', 'kw-kubewars-room');
    platform = await startNamespaceRoom(platformKubeconfig).started;
    assert.match(platform.output(), /each gets a namespace kw-<name>/);
    const info = (await (await call(platform.url, 'GET', '/api/room')).json()) as Record<string, unknown>;
    assert.equal(info.kind, 'namespace');
    rey = await joinRoom(platform.url, 'rey');
    finn = await joinRoom(platform.url, 'finn');
    const context = parse(rey.kubeconfig) as {
      contexts: { context: { namespace: string } }[];
      clusters: { cluster: { server: string } }[];
    };
    assert.equal(context.contexts[0]?.context.namespace, 'kw-rey');
    assert.equal(context.clusters[0]?.cluster.server, sandbox.url);
    assert.equal(
      await ok(admin, [
        'get',
        'namespace',
        'kw-rey',
        '-o',
        'jsonpath={.metadata.labels.kubewars\\.io/attendee}',
      ]),
      'rey',
    );
  });

  for (const binary of [kubectl120, kubectl135]) {
    test(`kubectl ${binary.version}: admin in their namespace, read-only elsewhere, no Secrets but their own`, async () => {
      const asRey = kubectlFor(binary, rey.kubeconfigPath);
      const yes = [
        ['create', 'deployments'],
        ['delete', 'pods'],
        ['get', 'secrets'],
        ['create', 'rolebindings'],
        ['list', 'nodes'],
        ['get', 'namespaces'],
        ['list', 'pods', '-n', 'kube-system'],
        ['list', 'pods', '-n', 'kw-finn'],
      ];
      const no = [
        ['create', 'pods', '-n', 'kw-finn'],
        ['delete', 'deployments', '-n', 'kw-finn'],
        ['create', 'pods', '-n', 'kube-system'],
        ['delete', 'pods', '-n', 'kube-system'],
        ['get', 'secrets', '-n', 'kw-finn'],
        ['list', 'secrets', '-n', 'kube-system'],
        ['list', 'secrets', '--all-namespaces'],
        ['delete', 'nodes'],
        ['create', 'namespaces'],
        ['update', 'resourcequotas'],
      ];
      for (const args of yes) assert.equal(await canI(asRey, args), true, `rey can ${args.join(' ')}`);
      for (const args of no) assert.equal(await canI(asRey, args), false, `rey cannot ${args.join(' ')}`);
      assert.match(await ok(asRey, ['get', 'nodes', '-o', 'name']), /^node\//m);
      const denied = await asRey(['-n', 'kw-finn', 'run', 'intruder', '--image=nginx']);
      assert.notEqual(denied.exitCode, 0);
      assert.match(denied.stderr, /forbidden/i);
    });
  }

  test('the quota holds a replicas: 200 Deployment at its limit', async () => {
    const asFinn = kubectlFor(kubectl135, finn.kubeconfigPath);
    await ok(asFinn, ['create', 'deployment', 'swarm', '--image=nginx', '--replicas=200']);
    const pods = async () =>
      (await ok(asFinn, ['get', 'pods', '-o', 'name'])).split('\n').filter(Boolean).length;
    await until('the quota to fill', pods, (count) => count === 20, 60_000);
    await until(
      'the ReplicaSet to report the quota',
      async () => ok(asFinn, ['get', 'events', '--field-selector', 'reason=FailedCreate', '-o', 'name']),
      (events) => events.length > 0,
    );
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.equal(await pods(), 20, 'still at the limit');
    assert.match(
      await ok(asFinn, [
        'get',
        'events',
        '--field-selector',
        'reason=FailedCreate',
        '-o',
        'jsonpath={.items[0].message}',
      ]),
      /exceeded quota/,
    );
  });

  test('a player: finn pod in rey’s namespace scores for rey; pods outside attendee namespaces are not in the game', async () => {
    const asRey = kubectlFor(kubectl135, rey.kubeconfigPath);
    await ok(asRey, ['run', 'x-wing', '--image=nginx', '--labels=game=starwars,player=finn']);
    await ok(admin, ['-n', 'default', 'run', 'stray', '--image=nginx', '--labels=game=starwars,player=rey']);
    const attendees = async () =>
      (await (await call(platform.url, 'GET', '/api/attendees', INSTRUCTOR_TOKEN)).json()) as {
        name: string;
        flying: number;
        total: number;
      }[];
    const list = await until(
      'rey’s ship to fly',
      attendees,
      (all) => all.find((a) => a.name === 'rey')?.flying === 1,
    );
    assert.equal(list.find((a) => a.name === 'rey')?.total, 1, 'the pod in default is no ship of rey’s');
    assert.equal(list.find((a) => a.name === 'finn')?.total, 0);
    const state = (await (await call(platform.url, 'GET', '/api/state')).json()) as GameStateView;
    assert.deepEqual(
      state.fleets.map((fleet) => fleet.player),
      ['rey'],
      'one fleet: rey’s',
    );
    assert.equal(state.connected, true);
  });

  test('a download issues a fresh token; removal deletes the namespace and revokes the token', async () => {
    const download = await call(platform.url, 'GET', '/api/attendees/finn/kubeconfig', finn.key);
    assert.equal(download.status, 200);
    const fresh = await download.text();
    assert.notEqual(fresh, finn.kubeconfig, 'a new token');
    const freshPath = join(dir, 'finn-fresh.kubeconfig');
    writeFileSync(freshPath, fresh);
    await ok(kubectlFor(kubectl135, freshPath), ['get', 'pods', '-o', 'name']);

    assert.equal((await call(platform.url, 'DELETE', '/api/attendees/finn', INSTRUCTOR_TOKEN)).status, 204);
    for (const path of [finn.kubeconfigPath, freshPath]) {
      const refused = await until(
        'the token to be refused',
        () => kubectlFor(kubectl135, path)(['get', 'pods']),
        (result) => result.exitCode !== 0,
      );
      assert.match(refused.stderr, /Unauthorized|must be logged in/i);
    }
    await until(
      'kw-finn to be gone',
      async () => (await admin(['get', 'namespace', 'kw-finn'])).exitCode !== 0,
    );
    assert.doesNotMatch(await ok(admin, ['get', 'clusterrolebindings', '-o', 'name']), /kw-finn/);
  });

  test('a restart keeps the room: rey’s namespace, kubeconfig and fleet', async () => {
    await platform.stop();
    platform = await startNamespaceRoom(platformKubeconfig, platform.cwd).started;
    assert.match(platform.output(), /1 attendee joined/);
    const asRey = kubectlFor(kubectl135, rey.kubeconfigPath);
    assert.match(await ok(asRey, ['get', 'pods', '-o', 'name']), /pod\/x-wing/);
    const again = await call(platform.url, 'GET', '/api/attendees/rey/kubeconfig', rey.key);
    assert.equal(again.status, 200);
    await until(
      'rey’s fleet back',
      async () =>
        (await (await call(platform.url, 'GET', '/api/attendees', INSTRUCTOR_TOKEN)).json()) as {
          name: string;
          total: number;
        }[],
      (all) => all.length === 1 && all[0]?.name === 'rey' && all[0].total === 1,
    );
  });

  test('“End room” removes every attendee namespace, after a confirmation', async () => {
    const unconfirmed = await call(platform.url, 'POST', '/api/room/end', INSTRUCTOR_TOKEN, {});
    assert.equal(unconfirmed.status, 400);
    assert.match(((await unconfirmed.json()) as { error: string }).error, /confirm/);
    // finn, removed before, joins again: a namespace of their own once more.
    const finnAgain = await joinRoom(platform.url, 'finn');
    assert.equal(
      await ok(kubectlFor(kubectl120, finnAgain.kubeconfigPath), ['get', 'pods', '-o', 'name']),
      '',
    );
    const ended = await call(platform.url, 'POST', '/api/room/end', INSTRUCTOR_TOKEN, {
      confirm: 'end room',
    });
    assert.equal(ended.status, 200);
    assert.deepEqual(await ended.json(), { removed: ['rey', 'finn'] });
    for (const namespace of ['kw-rey', 'kw-finn']) {
      await until(
        `${namespace} to be gone`,
        async () => (await admin(['get', 'namespace', namespace])).exitCode !== 0,
      );
    }
  });
});

test('without the room’s rights the platform says which one is missing, without a stack trace', async () => {
  const kubeconfig = await accountKubeconfig('powerless');
  const running = startNamespaceRoom(kubeconfig);
  const refusal = running.started.then(
    () => assert.fail('the platform started without the room’s rights'),
    () => undefined,
  );
  const { code } = await new Promise<{ code: number | null }>((resolve) =>
    running.child.on('exit', (exitCode) => resolve({ code: exitCode })),
  );
  await refusal;
  assert.equal(code, 1, running.output());
  assert.match(running.output(), /may not (get|list|watch) [a-z/-]+.*403 Forbidden/);
  assert.doesNotMatch(running.output(), /\n\s+at /);
});
