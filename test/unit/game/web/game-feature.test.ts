import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { io as connect } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { GAME_EVENTS } from '../../../../server/game/protocol.ts';
import type { GamePatch, GameSnapshot } from '../../../../server/game/protocol.ts';
import { createGameFeature } from '../../../../server/game/web/feature.ts';
import { startWebServer } from '../../../../server/web/server.ts';
import type { RunningWebServer } from '../../../../server/web/server.ts';
import { fakeEngine } from './fake-engine.ts';
import type { FakeEngine } from './fake-engine.ts';

const TOKEN = 'let-the-wookiee-win';

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

async function serve(limit?: number) {
  const engine = fakeEngine();
  const logs: LogLine[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line) as LogLine) });
  const web = await startWebServer({
    host: '127.0.0.1',
    port: 0,
    staticDir: mkdtempSync(join(tmpdir(), 'kubewars-static-')),
    features: [
      createGameFeature({
        engine,
        instructorToken: TOKEN,
        log,
        ...(limit ? { instructorRequestsPerMinute: limit } : {}),
      }),
    ],
  });
  return { engine, logs, web };
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

function next<T>(socket: Socket, event: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within 5 s`)), 5000);
    socket.once(event, (value: T) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

describe('game HTTP API', () => {
  let engine: FakeEngine;
  let logs: LogLine[];
  let web: RunningWebServer;
  before(async () => ({ engine, logs, web } = await serve()));
  after(() => web.close());

  test('GET /api/state answers the engine’s state to anyone', async () => {
    const res = await call(web, 'GET', '/api/state');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), JSON.parse(JSON.stringify(engine.state())));
  });

  test('round history and one round are public; an unknown round is 404 and a bad id 400', async () => {
    assert.deepEqual(await (await call(web, 'GET', '/api/rounds')).json(), engine.rounds());
    assert.equal(((await (await call(web, 'GET', '/api/rounds/1')).json()) as { id: number }).id, 1);
    const missing = await call(web, 'GET', '/api/rounds/99');
    assert.equal(missing.status, 404);
    assert.match(((await missing.json()) as { error: string }).error, /No round 99/);
    const bad = await call(web, 'GET', '/api/rounds/first');
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /whole number/);
  });

  for (const [method, path, body] of [
    ['POST', '/api/rounds', { durationSeconds: 20 }],
    ['POST', '/api/rounds/current/pause', undefined],
    ['POST', '/api/rounds/current/resume', undefined],
    ['POST', '/api/rounds/current/stop', undefined],
    ['POST', '/api/rounds/current/reset', undefined],
    ['PUT', '/api/chaos', { auto: true }],
    ['POST', '/api/fire', { uid: 'uid-1' }],
  ] as const) {
    test(`${method} ${path} without a token or with a wrong one is 401, logged, and does nothing`, async () => {
      const before = engine.calls.length;
      const logged = logs.length;
      for (const token of [undefined, 'wrong-token', `${TOKEN}x`]) {
        const res = await call(web, method, path, { ...(token === undefined ? {} : { token }), body });
        assert.equal(res.status, 401);
        assert.match(((await res.json()) as { error: string }).error, /instructor token/i);
      }
      assert.equal(engine.calls.length, before, 'the engine was not called');
      const refusals = logs.slice(logged).filter((l) => l.msg === 'instructor request refused');
      assert.deepEqual(
        refusals.map((l) => l['reason']),
        ['missing', 'wrong', 'wrong'],
      );
      assert.ok(!JSON.stringify(refusals).includes('wrong-token'), 'the guess is not logged');
    });
  }

  test('round exports are public like the round itself, and the instructor’s token does not hurt', async () => {
    for (const format of ['csv', 'json']) {
      for (const token of [undefined, TOKEN]) {
        const res = await call(
          web,
          'GET',
          `/api/rounds/1/export.${format}`,
          token === undefined ? {} : { token },
        );
        assert.equal(res.status, 200, `${format} ${token ? 'with' : 'without'} a token`);
        assert.equal(
          res.headers.get('content-disposition'),
          `attachment; filename=kubewars-round-1.${format}`,
        );
        assert.equal(await res.text(), engine.exportRound(1, format as 'csv' | 'json'));
      }
    }
    assert.equal((await call(web, 'GET', '/api/rounds/9/export.csv')).status, 404);
  });

  test('the instructor starts a round with the bearer token: 201 and the round', async () => {
    const res = await call(web, 'POST', '/api/rounds', { token: TOKEN, body: { durationSeconds: 20 } });
    assert.equal(res.status, 201);
    assert.deepEqual(await res.json(), {
      id: 2,
      status: 'countdown',
      startedAt: null,
      endsAt: null,
      durationSeconds: 20,
    });
    assert.equal(engine.calls.at(-1), 'startRound 20');
  });

  test('a round started with an empty body, or none, runs 5 minutes (issue 5’s default)', async () => {
    const own = await serve();
    try {
      for (const body of [{}, undefined]) {
        const res = await call(own.web, 'POST', '/api/rounds', { token: TOKEN, body });
        assert.equal(res.status, 201, JSON.stringify(body));
        assert.equal(((await res.json()) as { durationSeconds: number }).durationSeconds, 300);
        assert.equal(own.engine.calls.at(-1), 'startRound 300');
        assert.equal((await call(own.web, 'POST', '/api/rounds/current/stop', { token: TOKEN })).status, 200);
      }
    } finally {
      await own.web.close();
    }
  });

  test('a game error keeps its status and message: starting a second round is 409', async () => {
    const res = await call(web, 'POST', '/api/rounds', { token: TOKEN, body: { durationSeconds: 20 } });
    assert.equal(res.status, 409);
    assert.deepEqual(await res.json(), { error: 'A round is already under way.' });
  });

  test('bodies are validated before the engine sees them', async () => {
    const before = engine.calls.length;
    const cases: [string, string, unknown, RegExp][] = [
      ['POST', '/api/rounds', { durationSeconds: '300' }, /durationSeconds is the round length in seconds/],
      ['POST', '/api/rounds', { durationSeconds: null }, /durationSeconds/],
      ['POST', '/api/rounds', { durationSeconds: 2.5 }, /whole number/],
      ['POST', '/api/rounds', { durationSeconds: 300, speed: 2 }, /unknown field\(s\): speed/],
      ['PUT', '/api/chaos', { intervalSeconds: 0 }, /intervalSeconds/],
      ['PUT', '/api/chaos', { jitter: 2 }, /jitter is between 0 and 1/],
      ['PUT', '/api/chaos', { weapon: 'lightsaber' }, /weapon is one of: delete, evict/],
      ['PUT', '/api/chaos', { intervalSecond: 5 }, /unknown field\(s\): intervalSecond/],
      ['POST', '/api/fire', {}, /uid is required/],
    ];
    for (const [method, path, body, message] of cases) {
      const res = await call(web, method, path, { token: TOKEN, body });
      assert.equal(res.status, 400, `${method} ${path} ${JSON.stringify(body)}`);
      assert.match(((await res.json()) as { error: string }).error, message);
    }
    assert.equal(engine.calls.length, before);
  });

  test('PUT /api/chaos passes only the given settings, a partial capitalShips included', async () => {
    const res = await call(web, 'PUT', '/api/chaos', {
      token: TOKEN,
      body: { auto: true, intervalSeconds: 0.2, capitalShips: { enabled: true } },
    });
    assert.equal(res.status, 200);
    assert.equal(
      engine.calls.at(-1),
      `setChaos ${JSON.stringify({
        auto: true,
        intervalSeconds: 0.2,
        capitalShips: { enabled: true },
      })}`,
    );
    const settings = (await res.json()) as { auto: boolean; budgetPerMinute: number };
    assert.equal(settings.auto, true);
    assert.equal(settings.budgetPerMinute, 60);
  });

  test('round actions answer the round; reset answers the lobby', async () => {
    const paused = await call(web, 'POST', '/api/rounds/current/pause', { token: TOKEN });
    assert.equal(((await paused.json()) as { status: string }).status, 'paused');
    const resumed = await call(web, 'POST', '/api/rounds/current/resume', { token: TOKEN });
    assert.equal(((await resumed.json()) as { status: string }).status, 'running');
    const reset = await call(web, 'POST', '/api/rounds/current/reset', { token: TOKEN });
    assert.deepEqual(await reset.json(), { round: null });
    const stop = await call(web, 'POST', '/api/rounds/current/stop', { token: TOKEN });
    assert.equal(stop.status, 409);
  });

  test('POST /api/fire answers the shot; an unknown ship is 404', async () => {
    const hit = await call(web, 'POST', '/api/fire', { token: TOKEN, body: { uid: 'uid-1' } });
    assert.equal(hit.status, 200);
    assert.equal(((await hit.json()) as { outcome: string }).outcome, 'hit');
    const unknown = await call(web, 'POST', '/api/fire', { token: TOKEN, body: { uid: 'uid-9' } });
    assert.equal(unknown.status, 404);
    assert.deepEqual(await unknown.json(), { error: 'No ship with uid uid-9.' });
  });

  test('exports download as attachments of the right type; an unknown round is 404', async () => {
    const csv = await call(web, 'GET', '/api/rounds/1/export.csv', { token: TOKEN });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(
      csv.headers.get('content-disposition') ?? '',
      /^attachment; filename="?kubewars-round-1\.csv"?$/,
    );
    assert.equal(await csv.text(), 'rank,player\n1,leia\n');
    const json = await call(web, 'GET', '/api/rounds/1/export.json', { token: TOKEN });
    assert.match(json.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(((await json.json()) as { leader: string }).leader, 'leia');
    assert.equal((await call(web, 'GET', '/api/rounds/9/export.csv', { token: TOKEN })).status, 404);
  });

  test('GET /metrics serves the engine’s prom-client registry', async () => {
    const res = await call(web, 'GET', '/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    assert.match(await res.text(), /^kubewars_test_shots_total 3$/m);
  });

  test('no CORS: a cross-origin request gets no Access-Control-Allow-Origin, and security headers are set', async () => {
    const res = await fetch(`${web.url}/api/state`, { headers: { origin: 'http://evil.example' } });
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const preflight = await fetch(`${web.url}/api/fire`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
  });
});

describe('instructor rate limit', () => {
  test('instructor requests over the limit get 429 JSON, token guesses included; public reads are not limited', async () => {
    const { web } = await serve(3);
    try {
      const statuses = [];
      for (const token of [TOKEN, 'guess-1', 'guess-2', TOKEN]) {
        statuses.push((await call(web, 'PUT', '/api/chaos', { token, body: {} })).status);
      }
      assert.deepEqual(statuses, [200, 401, 401, 429]);
      const limited = await call(web, 'PUT', '/api/chaos', { token: TOKEN, body: {} });
      assert.match(((await limited.json()) as { error: string }).error, /Too many instructor requests/);
      for (let i = 0; i < 5; i++) assert.equal((await call(web, 'GET', '/api/state')).status, 200);
    } finally {
      await web.close();
    }
  });
});

describe('game socket.io feed', () => {
  let engine: FakeEngine;
  let logs: LogLine[];
  let web: RunningWebServer;
  const sockets: Socket[] = [];
  const open = (namespace: string, auth?: Record<string, unknown>) => {
    const socket = connect(`${web.url}${namespace}`, {
      transports: ['websocket'],
      ...(auth ? { auth } : {}),
    });
    sockets.push(socket);
    return socket;
  };
  before(async () => ({ engine, logs, web } = await serve()));
  after(async () => {
    for (const socket of sockets) socket.close();
    await web.close();
  });

  test('/game sends a snapshot on connect, then each patch in order, and a fresh snapshot on resync', async () => {
    const socket = open('/game');
    const snapshot = await next<GameSnapshot>(socket, GAME_EVENTS.snapshot);
    assert.equal(snapshot.seq, 7);
    assert.equal(snapshot.fleets[0]?.player, 'leia');

    const patches: GamePatch[] = [];
    socket.on(GAME_EVENTS.patch, (patch: GamePatch) => patches.push(patch));
    const second = new Promise<void>((resolve) =>
      socket.on(GAME_EVENTS.patch, (p: GamePatch) => p.seq === 9 && resolve()),
    );
    engine.patch({ seq: 8, ops: [{ op: 'shipRemoved', uid: 'a' }] });
    engine.patch({ seq: 9, ops: [{ op: 'connection', connected: false, reconnectingSince: 4 }] });
    await second;
    assert.deepEqual(
      patches.map((p) => p.seq),
      [8, 9],
    );

    const again = next<GameSnapshot>(socket, GAME_EVENTS.snapshot);
    socket.emit(GAME_EVENTS.resync);
    assert.equal((await again).seq, 9);
  });

  test('/instructor refuses a socket without the token or with a wrong one, and logs it', async () => {
    for (const auth of [undefined, { token: 'wrong' }]) {
      const logged = logs.length;
      const socket = open('/instructor', auth);
      const error = await next<Error>(socket, 'connect_error');
      assert.match(error.message, /instructor token/);
      assert.ok(logs.slice(logged).some((l) => l.msg === 'instructor socket refused'));
    }
  });

  test('/instructor with the token gets the same feed', async () => {
    const socket = open('/instructor', { token: TOKEN });
    assert.equal((await next<GameSnapshot>(socket, GAME_EVENTS.snapshot)).seq, 9);
    const patch = next<GamePatch>(socket, GAME_EVENTS.patch);
    engine.patch({ seq: 10, ops: [{ op: 'round', round: null }] });
    assert.deepEqual(await patch, { seq: 10, ops: [{ op: 'round', round: null }] });
  });

  test('a snapshot sends nothing to other clients, and the next patch follows it on connect and on resync', async () => {
    const other = open('/game');
    await next(other, GAME_EVENTS.snapshot);
    const toOther: number[] = [];
    other.on(GAME_EVENTS.patch, (p: GamePatch) => toOther.push(p.seq));
    const watcher = open('/game');
    const events: string[] = [];
    watcher.on(GAME_EVENTS.patch, (p: GamePatch) => events.push(`patch ${p.seq}`));
    watcher.on(GAME_EVENTS.snapshot, (s: GameSnapshot) => events.push(`snapshot ${s.seq}`));
    await next(watcher, GAME_EVENTS.snapshot);
    const again = next(watcher, GAME_EVENTS.snapshot);
    watcher.emit(GAME_EVENTS.resync);
    await again;
    const last = next(watcher, GAME_EVENTS.patch);
    const fromOther = next(other, GAME_EVENTS.patch);
    engine.patch({ seq: 11, ops: [{ op: 'shipRemoved', uid: 'd' }] });
    await Promise.all([last, fromOther]);
    assert.deepEqual(events, ['snapshot 10', 'snapshot 10', 'patch 11']);
    assert.deepEqual(toOther, [11], 'the other client got no patch from the snapshots');
  });

  test('closing the feature stops listening to the engine', async () => {
    assert.equal(engine.listeners(), 1);
    await web.close();
    assert.equal(engine.listeners(), 0);
  });
});
