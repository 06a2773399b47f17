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
import { FailedAttempts, failedAttemptsFor, requireInstructor } from '../../../../server/game/web/auth.ts';
import { createGameFeature } from '../../../../server/game/web/feature.ts';
import type { WebFeature } from '../../../../server/web/feature.ts';
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

interface ServeOptions {
  /** Wrong tokens allowed per address (default: a fresh limit of 10 for each server). */
  wrongTokens?: number;
  socketsPerAddress?: number;
  trustProxy?: string;
  /** More features next to the game's, e.g. another route checking the same token. */
  features?: WebFeature[];
}

async function serve(options: ServeOptions = {}) {
  const engine = fakeEngine();
  const logs: LogLine[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line) as LogLine) });
  const attempts = new FailedAttempts(options.wrongTokens ?? 10);
  const web = await startWebServer({
    host: '127.0.0.1',
    port: 0,
    staticDir: mkdtempSync(join(tmpdir(), 'kubewars-static-')),
    ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
    features: [
      createGameFeature({
        engine,
        instructorToken: TOKEN,
        log,
        attempts,
        ...(options.socketsPerAddress ? { socketsPerAddress: options.socketsPerAddress } : {}),
      }),
      ...(options.features ?? []),
    ],
  });
  return { engine, logs, web, attempts };
}

function call(
  web: RunningWebServer,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; forwardedFor?: string } = {},
) {
  return fetch(`${web.url}${path}`, {
    method,
    headers: {
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      ...(options.forwardedFor === undefined ? {} : { 'x-forwarded-for': options.forwardedFor }),
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
  // Many wrong tokens on purpose, one test per route: the limit of wrong tokens has its own tests below.
  before(async () => ({ engine, logs, web } = await serve({ wrongTokens: 1000 })));
  after(() => web.close());

  test('GET /api/state answers the engine’s state to anyone', async () => {
    const res = await call(web, 'GET', '/api/state');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), JSON.parse(JSON.stringify(engine.state())));
  });

  test("the page may connect only to its own origin (CSP connect-src 'self', no other ws: or wss: host)", async () => {
    const csp = (await call(web, 'GET', '/api/state')).headers.get('content-security-policy') ?? '';
    assert.match(csp, /connect-src 'self'(;|$)/);
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

describe('wrong instructor tokens', () => {
  const statuses = async (web: RunningWebServer, tokens: (string | undefined)[], forwardedFor?: string) => {
    const seen = [];
    for (const token of tokens) {
      const options = { body: {}, ...(token ? { token } : {}), ...(forwardedFor ? { forwardedFor } : {}) };
      seen.push((await call(web, 'PUT', '/api/chaos', options)).status);
    }
    return seen;
  };

  test('only wrong tokens count: past the limit the address gets 429, even with the right token', async () => {
    const { web } = await serve({ wrongTokens: 2 });
    try {
      const rights = Array.from({ length: 15 }, () => TOKEN);
      assert.deepEqual(await statuses(web, [...rights, undefined, undefined]), [
        ...rights.map(() => 200),
        401,
        401,
      ]);
      assert.deepEqual(await statuses(web, ['guess-1', TOKEN, 'guess-2', TOKEN]), [401, 200, 401, 429]);
      const limited = await call(web, 'PUT', '/api/chaos', { token: TOKEN, body: {} });
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
      assert.match(((await limited.json()) as { error: string }).error, /Too many wrong instructor tokens/);
      for (let i = 0; i < 5; i++) assert.equal((await call(web, 'GET', '/api/state')).status, 200);
    } finally {
      await web.close();
    }
  });

  test('the /instructor socket, the REST routes and GET /api/progress’s shared check count against one limit', async () => {
    const token = 'a-token-of-this-test-only';
    const progress: WebFeature = {
      name: 'progress',
      mount(app) {
        // What GET /api/progress does: the shared check, with the limit every path of the token shares.
        app.get('/api/progress', requireInstructor(token, pino({ level: 'silent' })), (_req, res) => {
          res.json({});
        });
      },
    };
    const web = await startWebServer({
      host: '127.0.0.1',
      port: 0,
      staticDir: mkdtempSync(join(tmpdir(), 'kubewars-static-')),
      features: [
        createGameFeature({ engine: fakeEngine(), instructorToken: token, log: pino({ level: 'silent' }) }),
        progress,
      ],
    });
    const limit = failedAttemptsFor(token).limit;
    try {
      for (let i = 0; i < limit - 2; i++) {
        const socket = connect(`${web.url}/instructor`, {
          transports: ['websocket'],
          auth: { token: `guess-${i}` },
        });
        try {
          assert.match(
            (await next<Error>(socket, 'connect_error')).message,
            /Wrong or missing instructor token/,
          );
        } finally {
          socket.close();
        }
      }
      assert.equal((await call(web, 'PUT', '/api/chaos', { token: 'guess', body: {} })).status, 401);
      assert.equal((await call(web, 'GET', '/api/progress', { token: 'guess' })).status, 401);
      assert.equal((await call(web, 'GET', '/api/progress', { token })).status, 429);
      assert.equal((await call(web, 'PUT', '/api/chaos', { token, body: {} })).status, 429);
    } finally {
      await web.close();
    }
  });

  test('a blocked address is refused on the /instructor socket too', async () => {
    const { web } = await serve({ wrongTokens: 1 });
    try {
      assert.equal((await call(web, 'PUT', '/api/chaos', { token: 'guess', body: {} })).status, 401);
      const socket = connect(`${web.url}/instructor`, { transports: ['websocket'], auth: { token: TOKEN } });
      try {
        assert.match(
          (await next<Error>(socket, 'connect_error')).message,
          /Too many wrong instructor tokens/,
        );
      } finally {
        socket.close();
      }
    } finally {
      await web.close();
    }
  });

  test('attempts are keyed on the client address Express computes: behind a trusted proxy, the forwarded one', async () => {
    const { web } = await serve({ wrongTokens: 1, trustProxy: 'loopback' });
    try {
      assert.deepEqual(await statuses(web, ['guess', TOKEN], '10.0.0.1'), [401, 429]);
      assert.deepEqual(await statuses(web, [TOKEN], '10.0.0.2'), [200], 'another attendee behind the proxy');
    } finally {
      await web.close();
    }
    const direct = await serve({ wrongTokens: 1 });
    try {
      // Without --trust-proxy a client cannot pick its own address with the header.
      assert.deepEqual(await statuses(direct.web, ['guess'], '10.0.0.1'), [401]);
      assert.deepEqual(await statuses(direct.web, [TOKEN], '10.0.0.2'), [429]);
    } finally {
      await direct.web.close();
    }
  });
});

describe('game socket limits', () => {
  test('resync answers at most about one snapshot a second per socket, however often it is asked', async () => {
    const { web, engine } = await serve();
    const socket = connect(`${web.url}/game`, { transports: ['websocket'] });
    try {
      await next(socket, GAME_EVENTS.snapshot);
      let snapshots = 0;
      socket.on(GAME_EVENTS.snapshot, () => snapshots++);
      let built = 0;
      const snapshot = engine.snapshot.bind(engine);
      engine.snapshot = () => (built++, snapshot());
      const started = Date.now();
      for (let i = 0; i < 50; i++) socket.emit(GAME_EVENTS.resync);
      await next(socket, GAME_EVENTS.snapshot);
      assert.ok(Date.now() - started >= 800, 'the answer waits for the second to be up');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(snapshots, 1);
      assert.equal(built, 1, 'one snapshot built for fifty resyncs');
    } finally {
      socket.close();
      await web.close();
    }
  });

  test('a client address gets only so many sockets; a closed one frees its place', async () => {
    const { web, logs } = await serve({ socketsPerAddress: 3 });
    const sockets: Socket[] = [];
    const open = (namespace: string) => {
      const socket = connect(`${web.url}${namespace}`, {
        transports: ['websocket'],
        forceNew: true,
        auth: { token: TOKEN },
      });
      sockets.push(socket);
      return socket;
    };
    try {
      for (const namespace of ['/game', '/game', '/instructor'])
        await next(open(namespace), GAME_EVENTS.snapshot);
      const fourth = open('/game');
      assert.match((await next<Error>(fourth, 'connect_error')).message, /Too many game connections/);
      fourth.close();
      assert.ok(logs.some((l) => l.msg === 'game socket refused: too many from one address'));
      const closed = sockets[0]!;
      closed.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      await next(open('/game'), GAME_EVENTS.snapshot);
    } finally {
      for (const socket of sockets) socket.close();
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

describe('game socket.io feed with no screen live', () => {
  let engine: FakeEngine;
  let web: RunningWebServer;
  /** The namespaces each patch was broadcast on (socket.io encodes a broadcast before it looks for sockets). */
  const broadcastOn: string[] = [];
  const sockets: Socket[] = [];
  const spy: WebFeature = {
    name: 'broadcast spy',
    mount: (_app, io) => {
      for (const name of ['/game', '/instructor']) {
        const adapter = io.of(name).adapter;
        const broadcast = adapter.broadcast.bind(adapter);
        adapter.broadcast = (packet, options) => {
          broadcastOn.push(name);
          broadcast(packet, options);
        };
      }
    },
  };
  before(async () => ({ engine, web } = await serve({ features: [spy] })));
  after(async () => {
    for (const socket of sockets) socket.close();
    await web.close();
  });
  const openLive = async (namespace: string, auth?: Record<string, unknown>) => {
    const socket = connect(`${web.url}${namespace}`, {
      transports: ['websocket'],
      ...(auth ? { auth } : {}),
    });
    sockets.push(socket);
    await next(socket, GAME_EVENTS.snapshot);
    return socket;
  };

  test('a namespace with no live socket is not broadcast to; a screen that comes back gets the next patch', async () => {
    const game = await openLive('/game');
    const first = next<GamePatch>(game, GAME_EVENTS.patch);
    engine.patch({ seq: 8, ops: [{ op: 'shipRemoved', uid: 'a' }] });
    assert.equal((await first).seq, 8);
    assert.deepEqual(broadcastOn.splice(0), ['/game'], 'nobody on /instructor: no broadcast there');

    const instructor = await openLive('/instructor', { token: TOKEN });
    const both = [next<GamePatch>(game, GAME_EVENTS.patch), next<GamePatch>(instructor, GAME_EVENTS.patch)];
    engine.patch({ seq: 9, ops: [{ op: 'shipRemoved', uid: 'b' }] });
    assert.deepEqual(
      (await Promise.all(both)).map((patch) => patch.seq),
      [9, 9],
    );
    assert.deepEqual(broadcastOn.splice(0), ['/game', '/instructor']);

    const left = new Promise((resolve) => instructor.once('disconnect', resolve));
    instructor.close();
    await left;
    const again = await openLive('/instructor', { token: TOKEN });
    const third = next<GamePatch>(again, GAME_EVENTS.patch);
    engine.patch({ seq: 10, ops: [{ op: 'shipRemoved', uid: 'c' }] });
    assert.equal((await third).seq, 10);
  });
});
