import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { AttendeeRegistry, hashKey } from '../../../server/room/attendees.ts';
import { Room, RoomError, type RoomOptions } from '../../../server/room/room.ts';
import { SandboxPlaces } from '../../../server/room/sandbox-places.ts';
import { pino } from 'pino';
import { FakeClock } from '../../support/fake-clock.ts';
import { until } from '../../support/until.ts';
import { fakeGame, fakeHost, type FakeGame, type FakeHost } from './fakes.ts';

interface Setup {
  room: Room;
  host: FakeHost;
  game: FakeGame;
  file: string;
  dir: string;
  clock: FakeClock;
}

function setup(
  overrides: Partial<RoomOptions> & { statePathOf?: (name: string) => string } = {},
  dir = mkdtempSync(join(tmpdir(), 'kubewars-room-')),
): Setup {
  const file = join(dir, 'room-attendees.json');
  const host = fakeHost();
  const game = fakeGame();
  const clock = new FakeClock();
  const { statePathOf, ...roomOverrides } = overrides;
  const room = new Room({
    registry: new AttendeeRegistry(file),
    places: new SandboxPlaces({
      host,
      publicAddress: '10.1.2.3',
      cluster: { podLimit: 50, nodes: 2, speed: 'fast' },
      ...(statePathOf ? { statePathOf } : {}),
    }),
    game,
    stepsDone: (name) => (name === 'rey' ? 3 : 0),
    publicBaseUrl: () => 'http://10.1.2.3:8080',
    maxAttendees: 3,
    clock,
    ...roomOverrides,
  });
  return { room, host, game, file, dir, clock };
}

/** The token and server of a kubeconfig's current context. */
function credentials(kubeconfig: string): { server: string; token: string; context: string } {
  const config = parse(kubeconfig) as {
    clusters: { cluster: { server: string } }[];
    users: { user: { token: string } }[];
    'current-context': string;
  };
  return {
    server: config.clusters[0]?.cluster.server ?? '',
    token: config.users[0]?.user.token ?? '',
    context: config['current-context'],
  };
}

async function refusal(promise: Promise<unknown>): Promise<RoomError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RoomError, String(error));
    return error;
  }
  assert.fail('expected a refusal');
}

describe('joining the room', () => {
  test('a new attendee gets a key and a kubeconfig for a cluster of their own at the public address', async () => {
    const { room, host, game } = setup();
    const joined = await room.join('rey');
    assert.equal(joined.status, 201);
    assert.equal(joined.name, 'rey');
    assert.ok(joined.key.length >= 32);
    const kubeconfig = credentials(joined.kubeconfig);
    assert.equal(kubeconfig.server, 'https://10.1.2.3:6443');
    assert.equal(kubeconfig.context, 'kubewars-rey');
    assert.equal(kubeconfig.token, host.clusters.get('rey')?.token);
    assert.notEqual(kubeconfig.token, joined.key, 'the cluster token is not the attendee key');
    assert.equal(host.clusters.get('rey')?.podLimit, 50);
    // The game reaches the cluster at the listen address, and every ship there is rey's.
    assert.deepEqual(game.watched.get('rey'), { fleet: 'rey', server: 'https://127.0.0.1:6443' });
  });

  test('the attendees file keeps a hash of the key, never the key', async () => {
    const { room, file } = setup();
    const joined = await room.join('rey');
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes(joined.key));
    assert.ok(text.includes(hashKey(joined.key)));
  });

  test('a taken name is refused with a free one suggested, ignoring case', async () => {
    const { room } = setup();
    await room.join('rey');
    await room.join('rey-2');
    for (const name of ['rey', 'REY']) {
      const error = await refusal(room.join(name));
      assert.equal(error.status, 409);
      assert.equal(error.suggestion, name === 'rey' ? 'rey-3' : 'REY-3');
      assert.match(error.message, /taken/);
    }
  });

  test("the same name with its holder's key is the same attendee again", async () => {
    const { room, host } = setup();
    const first = await room.join('rey');
    const again = await room.join('rey', first.key);
    assert.equal(again.status, 200);
    assert.equal(again.key, first.key);
    assert.equal(credentials(again.kubeconfig).token, credentials(first.kubeconfig).token);
    assert.deepEqual(host.calls, ['add rey']);
    assert.equal((await refusal(room.join('rey', 'someone-elses-key'))).status, 409);
  });

  test('a name that cannot be a pilot name is refused with the rules', async () => {
    const { room } = setup();
    for (const name of ['', 'rey skywalker', '-rey', 'a'.repeat(64), 'rey/..']) {
      const error = await refusal(room.join(name));
      assert.equal(error.status, 400, name);
    }
    assert.match((await refusal(room.join('rey skywalker'))).message, /letters, digits/);
  });

  test("the instructor's cluster name is never an attendee's", async () => {
    const { room } = setup();
    assert.equal((await refusal(room.join('main'))).status, 409);
  });

  test('a full room refuses the next attendee with a 503 they understand', async () => {
    const { room } = setup();
    for (const name of ['a', 'b', 'c']) await room.join(name);
    const error = await refusal(room.join('d'));
    assert.equal(error.status, 503);
    assert.match(error.message, /room is full: all 3 places/);
  });

  test('two joins of one name at once: one attendee, the other refused', async () => {
    const { room, host } = setup();
    const results = await Promise.allSettled([room.join('rey'), room.join('rey')]);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value.status : (r.reason as RoomError).status)),
      [201, 409],
    );
    assert.deepEqual(host.calls, ['add rey']);
  });

  test('joins under way count against the limit', async () => {
    const { room } = setup({ maxAttendees: 1 });
    const results = await Promise.allSettled([room.join('rey'), room.join('finn')]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  });

  test('a cluster that cannot start leaves the name free and nothing behind', async () => {
    const { room, host } = setup();
    host.failNextAdd();
    await assert.rejects(room.join('rey'), /stopping/);
    assert.equal(room.size, 0);
    assert.equal((await room.join('rey')).status, 201);
  });

  test("a cluster the game cannot watch stays the attendee's, and the failure is logged", async () => {
    const lines: { msg: string; attendee?: string }[] = [];
    const log = pino({ level: 'error' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const { room, host, game } = setup({ log });
    game.addCluster = async () => {
      throw new Error('watch failed');
    };
    assert.equal((await room.join('rey')).status, 201);
    await until('the failure logged', async () => lines.length > 0);
    assert.equal(lines[0]?.attendee, 'rey');
    assert.match(lines[0]?.msg ?? '', /cannot watch/);
    assert.deepEqual(host.calls, ['add rey']);
    assert.equal(room.size, 1);
  });
});

describe('attendees and their keys', () => {
  test('a key names its attendee and their cluster, and marks them active', async () => {
    const { room, clock } = setup();
    const rey = await room.join('rey');
    clock.advance(60_000);
    const found = room.byKey(rey.key);
    assert.equal(found?.name, 'rey');
    assert.equal(found?.kubeConfig.getCurrentUser()?.token, credentials(rey.kubeconfig).token);
    assert.equal(room.byKey('not-a-key'), undefined);
    const [view] = room.list();
    assert.equal(view?.lastActivity, new Date(clock.now()).toISOString());
    assert.notEqual(view?.joinedAt, view?.lastActivity);
  });

  test('the list shows each fleet and the steps done', async () => {
    const { room, game } = setup();
    await room.join('rey');
    await room.join('finn');
    game.fleets.set('rey', { flying: 4, total: 5 });
    assert.deepEqual(
      room.list().map(({ name, flying, total, stepsDone }) => ({ name, flying, total, stepsDone })),
      [
        { name: 'rey', flying: 4, total: 5, stepsDone: 3 },
        { name: 'finn', flying: 0, total: 0, stepsDone: 0 },
      ],
    );
  });

  test('removal revokes the key, stops the fleet and deletes the cluster and its state file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubewars-room-'));
    const statePathOf = (name: string) => join(dir, 'state-attendees', `${name}.json`);
    const { room, host, game } = setup({ statePathOf }, dir);
    const rey = await room.join('rey');
    assert.equal(host.clusters.get('rey')?.statePath, statePathOf('rey'));
    mkdirSync(join(dir, 'state-attendees'));
    writeFileSync(statePathOf('rey'), '{}');
    await room.remove('rey');
    assert.equal(room.byKey(rey.key), undefined);
    assert.equal(game.watched.has('rey'), false);
    assert.equal(host.clusters.has('rey'), false);
    assert.equal(existsSync(statePathOf('rey')), false);
    assert.equal((await refusal(room.remove('rey'))).status, 404);
    assert.equal((await room.join('rey')).status, 201, 'the name is free again');
  });

  test('after a restart every attendee has their cluster back with the token their kubeconfig holds', async () => {
    const first = setup();
    const rey = await first.room.join('rey');
    const finn = await first.room.join('finn');
    first.clock.advance(5_000);
    first.room.byKey(finn.key);
    first.room.close();

    const second = setup({}, first.dir);
    await second.room.restore();
    assert.deepEqual([...second.host.clusters.keys()], ['rey', 'finn']);
    assert.equal(second.host.clusters.get('rey')?.token, credentials(rey.kubeconfig).token);
    assert.equal(second.room.byKey(rey.key)?.name, 'rey');
    assert.deepEqual([...second.game.watched.keys()], ['rey', 'finn']);
    assert.equal(
      await second.room.attendeeKubeconfig('finn'),
      finn.kubeconfig,
      'the kubeconfig downloaded again is the one handed out',
    );
    assert.equal(
      second.room.list().find((a) => a.name === 'finn')?.lastActivity,
      new Date(first.clock.now()).toISOString(),
    );
    assert.equal((await refusal(second.room.join('rey'))).status, 409);
  });

  test('an attendees file that is not one stops the start with a way out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubewars-room-'));
    writeFileSync(join(dir, 'room-attendees.json'), '{"attendees": [{"name": "rey"}]}');
    assert.throws(() => setup({}, dir), /not a room attendees file: move it away and restart/);
  });
});
