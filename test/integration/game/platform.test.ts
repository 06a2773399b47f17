// The whole game as attendees meet it: `kubewars start` on the sandbox, fleets made with client-node, the live feed
// over socket.io, the instructor's HTTP API, a 20 s round under auto fire, the CSV export, and a kill -9 restart.
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { io as connect } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { LiveGameState } from '../../../game/store/live-game-state.ts';
import { GAME_EVENTS } from '../../../server/game/protocol.ts';
import type {
  GameNamespace,
  GamePatch,
  GameSnapshot,
  GameStateView,
  RoundDetail,
} from '../../../server/game/protocol.ts';
import { RoundsArchive } from '../../../server/game/store/rounds-archive.ts';
import { startKubewarsPlatform } from '../../support/kubewars.ts';
import { until } from '../../support/until.ts';

const TOKEN = 'integration-instructor-token';
const NAMESPACE = 'default';

type Platform = Awaited<ReturnType<typeof startKubewarsPlatform>>;

function template(player: string, app: string): V1PodTemplateSpec {
  return {
    metadata: { labels: { game: 'starwars', player, app } },
    spec: { containers: [{ name: 'ship', image: 'nginx:1.27' }] },
  };
}

/** Bare pod (han), ReplicationController ×3 (leia), Deployment ×5 (luke). */
async function launchFleets(kubeConfig: KubeConfig): Promise<void> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const solo = template('han', 'falcon');
  await core.createNamespacedPod({
    namespace: NAMESPACE,
    body: { metadata: { name: 'falcon', ...solo.metadata }, spec: solo.spec },
  });
  await core.createNamespacedReplicationController({
    namespace: NAMESPACE,
    body: {
      metadata: { name: 'rebels' },
      spec: { replicas: 3, selector: { app: 'rebels' }, template: template('leia', 'rebels') },
    },
  });
  await apps.createNamespacedDeployment({
    namespace: NAMESPACE,
    body: {
      metadata: { name: 'red-squadron' },
      spec: {
        replicas: 5,
        selector: { matchLabels: { app: 'red-squadron' } },
        template: template('luke', 'red-squadron'),
      },
    },
  });
}

/** The browser's own store, fed by a real socket.io client; counts gaps in the patch numbers. */
class Feed {
  readonly store = new LiveGameState();
  readonly socket: Socket;
  readonly events: string[] = [];
  gaps = 0;
  private readonly waiters = new Set<() => void>();

  constructor(url: string, namespace: GameNamespace, token?: string) {
    this.socket = connect(`${url}${namespace}`, {
      transports: ['websocket'],
      ...(token ? { auth: { token } } : {}),
    });
    this.socket.on(GAME_EVENTS.snapshot, (snapshot: GameSnapshot) => {
      this.events.push('snapshot');
      this.store.applySnapshot(snapshot);
      this.changed();
    });
    this.socket.on(GAME_EVENTS.patch, (patch: GamePatch) => {
      this.events.push('patch');
      if (this.store.applyPatch(patch) === 'gap') {
        this.gaps++;
        this.socket.emit(GAME_EVENTS.resync);
      }
      this.changed();
    });
  }

  /** Resolves once `check` holds for the store (checked after every snapshot and patch). */
  until(what: string, check: (store: LiveGameState) => boolean, timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        if (!check(this.store)) return;
        clearTimeout(timer);
        this.waiters.delete(attempt);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(attempt);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(attempt);
      attempt();
    });
  }

  close(): void {
    this.socket.close();
  }

  private changed(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

const flying = (store: LiveGameState, fleet: string) =>
  [...store.ships.values()].filter((s) => s.fleet === fleet && s.state === 'flying').length;

async function api<T>(platform: Platform, method: string, path: string, body?: unknown, token = TOKEN) {
  const res = await fetch(`${platform.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) as T };
}

/** Splits simple CSV (quoted fields with "" escapes) into rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

describe('the game on `kubewars start`', { timeout: 240_000 }, () => {
  const args = ['--instructor-token', TOKEN, '--state', 'sandbox-state.json', '--data-dir', 'game-data'];
  let platform: Platform;
  let kubeConfig: KubeConfig;
  const feeds: Feed[] = [];
  const feed = (namespace: GameNamespace, token?: string) => {
    const opened = new Feed(platform.url, namespace, token);
    feeds.push(opened);
    return opened;
  };
  let roundId = 0;

  after(async () => {
    for (const opened of feeds) opened.close();
    await platform?.stop();
  });

  test('the platform starts and the fleets launched with client-node fly on the /game feed', async () => {
    platform = await startKubewarsPlatform(args);
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(join(platform.cwd, '.kubewars/sandbox.kubeconfig'));
    const watcher = feed('/game');
    await watcher.until('the first snapshot', (store) => store.seq !== null);
    assert.equal(watcher.events[0], 'snapshot', 'a snapshot comes first');
    await launchFleets(kubeConfig);
    await watcher.until(
      '9 flying ships',
      (store) => flying(store, 'han') === 1 && flying(store, 'leia') === 3 && flying(store, 'luke') === 5,
    );
    assert.ok(
      watcher.events.slice(1).every((e) => e === 'patch'),
      'then only patches',
    );
    assert.equal(watcher.gaps, 0);
    const controllers = Object.fromEntries(
      [...watcher.store.ships.values()].map((s) => [s.fleet, s.controller]),
    );
    assert.deepEqual(controllers, { han: 'Pod', leia: 'ReplicationController', luke: 'Deployment' });
  });

  test('instructor routes refuse a missing or wrong token with 401, and so does the /instructor feed', async () => {
    for (const token of ['', 'not-the-token']) {
      const start = await api(platform, 'POST', '/api/rounds', { durationSeconds: 20 }, token);
      assert.equal(start.status, 401);
      assert.match(start.text, /instructor token/i);
      assert.equal((await api(platform, 'PUT', '/api/chaos', { auto: true }, token)).status, 401);
    }
    const noAuth = await fetch(`${platform.url}/api/rounds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"durationSeconds":20}',
    });
    assert.equal(noAuth.status, 401);
    const state = await api<GameStateView>(platform, 'GET', '/api/state');
    assert.equal(state.json().round, null, 'no round was started');

    const refused = new Feed(platform.url, '/instructor', 'not-the-token');
    feeds.push(refused);
    const error = await new Promise<Error>((resolve) => refused.socket.once('connect_error', resolve));
    assert.match(error.message, /instructor token/);
    const instructor = feed('/instructor', TOKEN);
    await instructor.until('the instructor snapshot', (store) => store.ships.size >= 9);
  });

  test('a hard stop from one instructor tab reaches every other tab on the feed', async () => {
    const first = feed('/instructor', TOKEN);
    const second = feed('/instructor', TOKEN);
    await second.until('the chaos settings in the snapshot', (store) => store.chaos?.halted === false);
    await first.until('the chaos settings in the snapshot', (store) => store.chaos !== null);
    assert.equal((await api(platform, 'PUT', '/api/chaos', { halted: true })).status, 200);
    await second.until('the halt', (store) => store.chaos?.halted === true, 10_000);
    assert.equal((await api(platform, 'PUT', '/api/chaos', { halted: false })).status, 200);
    await second.until('fire resumed', (store) => store.chaos?.halted === false, 10_000);
  });

  test('a 20 s round under auto fire every 0.2 s: the bare pod’s player is eliminated, the others survive', async () => {
    const watcher = feed('/game');
    await watcher.until('a snapshot', (store) => store.seq !== null);
    const chaos = await api<{ auto: boolean; intervalSeconds: number }>(platform, 'PUT', '/api/chaos', {
      auto: true,
      intervalSeconds: 0.2,
      jitter: 0.2,
      budgetPerMinute: 600,
      weapon: 'delete',
    });
    assert.equal(chaos.status, 200, chaos.text);
    assert.deepEqual([chaos.json().auto, chaos.json().intervalSeconds], [true, 0.2]);
    const started = await api<{ id: number; status: string }>(platform, 'POST', '/api/rounds', {
      durationSeconds: 20,
    });
    assert.equal(started.status, 201, started.text);
    roundId = started.json().id;
    await watcher.until('the round running', (store) => store.round?.status === 'running', 10_000);
    await watcher.until('the round finished', (store) => store.round?.status === 'finished', 40_000);
    assert.equal(watcher.gaps, 0);

    const state = (await api<GameStateView>(platform, 'GET', '/api/state')).json();
    // The JSON contract, key by key.
    assert.equal(typeof state.connected, 'boolean');
    assert.equal(state.connected, true);
    assert.ok(state.round);
    assert.equal(state.round.id, roundId);
    assert.equal(state.round.status, 'finished');
    assert.equal(typeof state.round.startedAt, 'number');
    assert.equal(typeof state.round.endsAt, 'number');
    for (const key of ['auto', 'intervalSeconds', 'jitter', 'fair', 'dryRun', 'budgetPerMinute', 'weapon']) {
      assert.ok(key in state.chaos, `chaos.${key}`);
    }
    assert.deepEqual(Object.keys(state.shots).sort(), ['hit', 'missed', 'refused']);
    assert.ok(state.shots.hit >= 10, `shots: ${JSON.stringify(state.shots)}`);
    const fleets = Object.fromEntries(state.fleets.map((f) => [f.player, f]));
    for (const fleet of state.fleets) {
      for (const key of [
        'player',
        'alive',
        'flying',
        'total',
        'uptime',
        'hits',
        'recoveries',
        'recoveryP50Ms',
        'recoveryP95Ms',
        'rank',
      ]) {
        assert.ok(key in fleet, `fleet.${key}`);
      }
    }
    assert.equal(fleets['han']?.alive, false, 'the bare pod is not recreated');
    assert.equal(fleets['leia']?.alive, true, JSON.stringify(fleets['leia']));
    assert.equal(fleets['luke']?.alive, true, JSON.stringify(fleets['luke']));
    for (const player of ['leia', 'luke']) {
      assert.ok((fleets[player]?.hits ?? 0) > 0, `${player} was hit`);
      assert.ok((fleets[player]?.recoveries ?? 0) > 0, `${player} recovered`);
      assert.equal(typeof fleets[player]?.recoveryP50Ms, 'number');
    }
    assert.equal(fleets['han']?.rank, 3, 'survivors rank first');
    // Prometheus counts the same shots.
    const metrics = await (await fetch(`${platform.url}/metrics`)).text();
    const hits = Number(metrics.match(/^kubewars_game_shots_total\{outcome="hit"\} (\d+)$/m)?.[1]);
    assert.ok(hits >= state.shots.hit, metrics.slice(0, 500));
    // The feed agrees with the HTTP state, ranks included (the browser shows the server's ranks as they come).
    assert.equal(watcher.store.fleets.get('han')?.alive, false);
    assert.deepEqual(
      Object.fromEntries([...watcher.store.fleets.values()].map((f) => [f.player, f.rank])),
      Object.fromEntries(state.fleets.map((f) => [f.player, f.rank])),
    );
    await api(platform, 'PUT', '/api/chaos', { auto: false });
  });

  test('the CSV export has one row per fleet matching GET /api/state', async () => {
    // Public, as the round itself is: anyone can download it, and the instructor's token changes nothing.
    const anyone = await fetch(`${platform.url}/api/rounds/${roundId}/export.csv`);
    assert.equal(anyone.status, 200);
    assert.match(anyone.headers.get('content-disposition') ?? '', /kubewars-round-\d+\.csv/);
    const csv = await api(platform, 'GET', `/api/rounds/${roundId}/export.csv`);
    assert.equal(csv.status, 200);
    assert.equal(csv.text, await anyone.text());
    const [header, ...rows] = parseCsv(csv.text).filter((row) => row.some((cell) => cell !== ''));
    assert.ok(header, 'a header line');
    const state = (await api<GameStateView>(platform, 'GET', '/api/state')).json();
    assert.equal(rows.length, state.fleets.length);
    const column = (name: string) => {
      const index = header.indexOf(name);
      assert.ok(index >= 0, `column ${name} in ${header.join(',')}`);
      return index;
    };
    for (const fleet of state.fleets) {
      const row = rows.find((r) => r[column('player')] === fleet.player);
      assert.ok(row, `a row for ${fleet.player}`);
      assert.equal(Number(row[column('rank')]), fleet.rank);
      assert.equal(row[column('alive')], String(fleet.alive));
      assert.equal(Number(row[column('hits')]), fleet.hits);
      assert.equal(Number(row[column('recoveries')]), fleet.recoveries);
      assert.equal(Number(row[column('total')]), fleet.total);
    }
    const json = await api<RoundDetail>(platform, 'GET', `/api/rounds/${roundId}/export.json`);
    assert.equal(json.json().id, roundId);
  });

  test('kill -9 and a restart with the same --data-dir keep the finished round and the running one, with their scores', async () => {
    const finishedBefore = (await api<RoundDetail>(platform, 'GET', `/api/rounds/${roundId}`)).json();
    // A second round, under way when the server dies.
    const started = await api<{ id: number }>(platform, 'POST', '/api/rounds', { durationSeconds: 600 });
    assert.equal(started.status, 201, started.text);
    const watcher = feed('/game');
    await watcher.until('round 2 running', (store) => store.round?.status === 'running', 10_000);
    const target = [...watcher.store.ships.values()].find((s) => s.fleet === 'leia' && s.state === 'flying');
    assert.ok(target);
    const shot = await api<{ outcome: string }>(platform, 'POST', '/api/fire', { uid: target.uid });
    assert.equal(shot.json().outcome, 'hit', shot.text);
    await watcher.until('leia’s hit counted', (store) => (store.fleets.get('leia')?.hits ?? 0) >= 1);
    const hitAt = Date.now();
    // Nothing here may save by itself (GET /api/rounds/:id would): only the once-a-second save loop writes the
    // hit, into the write-ahead log. Saves run one after the other (uptime moves, so one a second): once the log
    // has changed twice after the hit, the save that holds it has completed.
    const log = join(platform.cwd, 'game-data', 'game.db-wal');
    const writtenAt = () => (existsSync(log) ? statSync(log).mtimeMs : 0);
    const firstWrite = await until(
      'the save loop to write after the hit',
      async () => writtenAt(),
      (t) => t > hitAt,
    );
    await until(
      'the next save',
      async () => writtenAt(),
      (t) => t > firstWrite,
    );
    for (const opened of feeds.splice(0)) opened.close();
    await platform.stop('SIGKILL');

    // What the killed server left on disk, read before anything runs again.
    const archive = new RoundsArchive(join(platform.cwd, 'game-data'));
    const saved = archive.standings(started.json().id);
    assert.equal(archive.round(started.json().id)?.status, 'running');
    assert.ok(
      archive.shots(started.json().id).some((s) => s.uid === target.uid && s.outcome === 'hit'),
      'the hit is in the shot log',
    );
    archive.close();
    assert.ok((saved.find((f) => f.player === 'leia')?.hits ?? 0) >= 1, JSON.stringify(saved));

    platform = await startKubewarsPlatform(args, { cwd: platform.cwd });

    const finishedAfter = (await api<RoundDetail>(platform, 'GET', `/api/rounds/${roundId}`)).json();
    assert.equal(finishedAfter.status, 'finished');
    const scores = (detail: RoundDetail) =>
      detail.fleets.map((f) => [f.player, f.rank, f.alive, f.hits, f.recoveries, f.uptime]);
    assert.deepEqual(scores(finishedAfter), scores(finishedBefore));

    const state = (await api<GameStateView>(platform, 'GET', '/api/state')).json();
    assert.equal(state.round?.id, started.json().id, 'the round under way resumes');
    assert.equal(state.round?.status, 'running');
    const hits = (fleets: { player: string; hits: number }[]) =>
      Object.fromEntries(fleets.map((f) => [f.player, f.hits]));
    assert.deepEqual(hits(state.fleets), hits(saved));
    await api(platform, 'POST', '/api/rounds/current/stop');
  });
});
