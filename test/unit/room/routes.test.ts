import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { AttendeeRegistry } from '../../../server/room/attendees.ts';
import { Room } from '../../../server/room/room.ts';
import { SandboxPlaces } from '../../../server/room/sandbox-places.ts';
import { createRoomFeature } from '../../../server/room/routes.ts';
import { startWebServer, type RunningWebServer } from '../../../server/web/server.ts';
import { fakeGame, fakeHost } from './fakes.ts';

const TOKEN = 'room-instructor-token';

async function serve(options: { joinsPerMinute?: number; maxAttendees?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kubewars-room-routes-'));
  const room = new Room({
    registry: new AttendeeRegistry(join(dir, 'room-attendees.json')),
    places: new SandboxPlaces({ host: fakeHost(), publicAddress: '127.0.0.2', cluster: { podLimit: 50 } }),
    game: fakeGame(),
    stepsDone: () => 0,
    publicBaseUrl: () => 'http://127.0.0.2:8080',
    maxAttendees: options.maxAttendees ?? 200,
  });
  const web = await startWebServer({
    host: '127.0.0.1',
    port: 0,
    staticDir: dir,
    features: [
      createRoomFeature({
        room,
        instructorToken: TOKEN,
        joinsPerMinute: options.joinsPerMinute ?? 100,
        log: pino({ level: 'silent' }),
      }),
    ],
  });
  return { web, room };
}

function call(
  web: RunningWebServer,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
) {
  return fetch(`${web.url}${path}`, {
    method,
    headers: {
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
}

describe('the room over HTTP', () => {
  let web: RunningWebServer;
  let reyKey: string;
  before(async () => {
    ({ web } = await serve());
  });
  after(() => web.close());

  test('POST /api/attendees: 201 with the name, the key and the kubeconfig', async () => {
    const response = await call(web, 'POST', '/api/attendees', { body: { name: 'rey' } });
    assert.equal(response.status, 201);
    const body = (await response.json()) as { name: string; key: string; kubeconfig: string };
    assert.deepEqual(Object.keys(body).sort(), ['key', 'kubeconfig', 'name']);
    assert.equal(body.name, 'rey');
    assert.match(body.kubeconfig, /server: https:\/\/127\.0\.0\.2:6443/);
    reyKey = body.key;
  });

  test('the same name: 409 with a suggestion, or 200 with its key', async () => {
    const taken = await call(web, 'POST', '/api/attendees', { body: { name: 'rey' } });
    assert.equal(taken.status, 409);
    assert.deepEqual(await taken.json(), {
      error: 'The name "rey" is taken: choose another, such as "rey-2".',
      suggestion: 'rey-2',
    });
    const again = await call(web, 'POST', '/api/attendees', { body: { name: 'rey' }, token: reyKey });
    assert.equal(again.status, 200);
    assert.equal(((await again.json()) as { key: string }).key, reyKey);
  });

  test('an invalid name or body: 400 with an error', async () => {
    for (const body of [{ name: 'rey skywalker' }, { name: 7 }, {}]) {
      const response = await call(web, 'POST', '/api/attendees', { body });
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(typeof ((await response.json()) as { error: unknown }).error, 'string');
    }
  });

  test('the kubeconfig download: with the attendee key or the instructor token, as an attachment', async () => {
    for (const token of [reyKey, TOKEN]) {
      const response = await call(web, 'GET', '/api/attendees/rey/kubeconfig', { token });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^application\/yaml/);
      assert.equal(
        response.headers.get('content-disposition'),
        'attachment; filename=kubewars-rey.kubeconfig',
      );
      assert.match(await response.text(), /current-context: kubewars-rey/);
    }
  });

  test("the kubeconfig download: 401 without a key, with another attendee's key or a wrong token", async () => {
    const finn = (await (await call(web, 'POST', '/api/attendees', { body: { name: 'finn' } })).json()) as {
      key: string;
    };
    for (const token of [undefined, finn.key, 'not-the-token']) {
      const response = await call(web, 'GET', '/api/attendees/rey/kubeconfig', token ? { token } : {});
      assert.equal(response.status, 401, String(token));
      assert.equal(typeof ((await response.json()) as { error: unknown }).error, 'string');
    }
    const unknown = await call(web, 'GET', '/api/attendees/nobody/kubeconfig', { token: TOKEN });
    assert.equal(unknown.status, 404);
  });

  test('GET /api/attendees: the instructor sees every attendee, nobody else does', async () => {
    assert.equal((await call(web, 'GET', '/api/attendees')).status, 401);
    assert.equal((await call(web, 'GET', '/api/attendees', { token: reyKey })).status, 401);
    const response = await call(web, 'GET', '/api/attendees', { token: TOKEN });
    assert.equal(response.status, 200);
    const list = (await response.json()) as Record<string, unknown>[];
    assert.deepEqual(
      list.map((a) => a['name']),
      ['rey', 'finn'],
    );
    for (const field of ['name', 'joinedAt', 'flying', 'total', 'stepsDone'])
      assert.ok(field in (list[0] ?? {}));
  });

  test('DELETE /api/attendees/:name: instructor only, 204, then the key opens nothing', async () => {
    assert.equal((await call(web, 'DELETE', '/api/attendees/rey', { token: reyKey })).status, 401);
    const removed = await call(web, 'DELETE', '/api/attendees/rey', { token: TOKEN });
    assert.equal(removed.status, 204);
    // Its page, reloaded again and again behind the room's one address, is told the attendee is gone, and those
    // reloads are no failed instructor logins: the instructor is not throttled.
    for (let reload = 0; reload < 15; reload++) {
      assert.equal((await call(web, 'GET', '/api/attendees/rey/kubeconfig', { token: reyKey })).status, 404);
    }
    assert.equal((await call(web, 'GET', '/api/attendees', { token: TOKEN })).status, 200);
    assert.equal((await call(web, 'DELETE', '/api/attendees/rey', { token: TOKEN })).status, 404);
  });
});

describe('ending the room over HTTP', () => {
  test('POST /api/room/end: instructor only, with the words "end room"; removes every attendee', async () => {
    const { web, room } = await serve();
    try {
      await room.join('rey');
      await room.join('finn');
      const stranger = await call(web, 'POST', '/api/room/end', { body: { confirm: 'end room' } });
      assert.equal(stranger.status, 401);
      const unconfirmed = await call(web, 'POST', '/api/room/end', { token: TOKEN, body: { confirm: true } });
      assert.equal(unconfirmed.status, 400);
      assert.match(((await unconfirmed.json()) as { error: string }).error, /"confirm": "end room"/);
      assert.equal(room.size, 2, 'nobody removed without the confirmation');
      const ended = await call(web, 'POST', '/api/room/end', { token: TOKEN, body: { confirm: 'end room' } });
      assert.equal(ended.status, 200);
      assert.deepEqual(await ended.json(), { removed: ['rey', 'finn'] });
      assert.equal(room.size, 0);
    } finally {
      await web.close();
    }
  });
});

describe('room limits over HTTP', () => {
  test('a full room answers 503 with a message for the attendee', async () => {
    const { web } = await serve({ maxAttendees: 1 });
    try {
      assert.equal((await call(web, 'POST', '/api/attendees', { body: { name: 'rey' } })).status, 201);
      const full = await call(web, 'POST', '/api/attendees', { body: { name: 'finn' } });
      assert.equal(full.status, 503);
      assert.match(((await full.json()) as { error: string }).error, /room is full/);
    } finally {
      await web.close();
    }
  });

  test('joins are limited per client address', async () => {
    const { web } = await serve({ joinsPerMinute: 2 });
    try {
      const statuses: number[] = [];
      for (const name of ['a', 'b', 'c']) {
        statuses.push((await call(web, 'POST', '/api/attendees', { body: { name } })).status);
      }
      assert.deepEqual(statuses, [201, 201, 429]);
    } finally {
      await web.close();
    }
  });
});
