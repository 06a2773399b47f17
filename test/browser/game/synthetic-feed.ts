// A stand-in for the game server's /game namespace, speaking the protocol the browser assumes
// (game/store/protocol-types.ts): it serves the built pages and pushes a snapshot then numbered patches.
// Used by the browser tests and bench/game-fps.ts until server/game exists.
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { projectRoot } from '../../support/kubewars.ts';
import type {
  GamePatch,
  GameSnapshot,
  PatchOp,
  RoundDetail,
  ShotEvent,
} from '../../../game/store/protocol-types.ts';
import { DEFAULT_CHAOS } from '../../../server/game/chaos/choice.ts';
import { GAME_EVENTS, GAME_NAMESPACES } from '../../../server/game/protocol.ts';
import { pageRoutes } from '../../../server/web/server.ts';

const NAMESPACES = Object.values(GAME_NAMESPACES);

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

export interface SyntheticFeed {
  url: string;
  /** Sends ops as the next numbered patch to every client. */
  push(ops: PatchOp[]): void;
  /** Sends a patch with a number skipped, as a lost message would look. */
  pushWithGap(ops: PatchOp[]): void;
  state: GameSnapshot;
  resyncRequests: number;
  /** Pod uids of every accepted `POST /api/fire`, in order. */
  fireRequests: string[];
  /** How the feed answers a manual shot (default: a hit); it also pushes the shot into the feed. */
  answerFire: (uid: string) => ShotEvent['outcome'];
  /** Finished rounds: `GET /api/rounds` lists them, `GET /api/rounds/:id` answers each in full. */
  rounds: RoundDetail[];
  /** What `GET /api/state` says about the capital-ship rule. */
  capitalShips: boolean;
  /** Cuts every client's connection as a network blip would (not a server disconnect): clients reconnect. */
  dropConnections(): void;
  close(): Promise<void>;
}

export interface SyntheticFeedOptions {
  /** Handles requests before the feed does (an Express app such as the test room's); `next` passes one on. */
  routes?: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
}

let shotIds = 0;

/** The instructor token the feed's /instructor namespace and /api/rounds accept. */
export const FEED_TOKEN = 'feed-token';

/**
 * Builds the pages into their own folder (so a concurrent build of dist/web cannot pull files from under a page),
 * serves them, and feeds `initial` then whatever the caller pushes.
 */
export async function startSyntheticFeed(
  initial: GameSnapshot,
  options: SyntheticFeedOptions = {},
): Promise<SyntheticFeed> {
  const webRoot = mkdtempSync(join(tmpdir(), 'kubewars-pages-'));
  execFileSync('npx', ['vite', 'build', '--outDir', webRoot, '--emptyOutDir'], {
    cwd: projectRoot,
    stdio: 'ignore',
  });
  const http: HttpServer = createServer((req, res) => {
    if (options.routes) options.routes(req, res, () => feedRequest(req, res));
    else feedRequest(req, res);
  });
  function feedRequest(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.startsWith('/api/')) {
      void api(req.method ?? 'GET', path, req.headers.authorization, req).then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
      return;
    }
    // The platform's clean URLs ('/', '/game', '/instructor'), as server/web serves them.
    const page = pageRoutes[path] ?? path;
    const file = normalize(join(webRoot, page));
    if (!file.startsWith(webRoot) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  }
  const io = new Server(http);
  const feed: SyntheticFeed = {
    url: '',
    state: initial,
    resyncRequests: 0,
    fireRequests: [],
    answerFire: () => 'hit',
    capitalShips: false,
    rounds: [],
    push(ops) {
      applyOps(feed.state, ops);
      feed.state.seq += 1;
      const patch: GamePatch = { seq: feed.state.seq, ops };
      for (const ns of NAMESPACES) io.of(ns).emit(GAME_EVENTS.patch, patch);
    },
    pushWithGap(ops) {
      applyOps(feed.state, ops);
      feed.state.seq += 2;
      for (const ns of NAMESPACES)
        io.of(ns).emit(GAME_EVENTS.patch, { seq: feed.state.seq, ops } satisfies GamePatch);
    },
    dropConnections() {
      for (const ns of NAMESPACES) for (const socket of io.of(ns).sockets.values()) socket.conn.close();
    },
    async close() {
      io.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      rmSync(webRoot, { recursive: true, force: true });
    },
  };
  /** The slice of the game server's HTTP API the pages call: rounds, state and manual fire. */
  async function api(
    method: string,
    path: string,
    authorization: string | undefined,
    body: AsyncIterable<Buffer>,
  ) {
    if (method === 'GET' && path === '/api/state') {
      const capitalShips = { ...DEFAULT_CHAOS.capitalShips, enabled: feed.capitalShips };
      return { status: 200, body: { chaos: { ...DEFAULT_CHAOS, capitalShips } } };
    }
    if (authorization !== `Bearer ${FEED_TOKEN}`) return { status: 401, body: { error: 'unauthorized' } };
    if (method === 'GET' && path === '/api/rounds') return { status: 200, body: feed.rounds };
    const detail = /^\/api\/rounds\/(\d+)$/.exec(path);
    if (method === 'GET' && detail) {
      const round = feed.rounds.find((r) => r.id === Number(detail[1]));
      return round ? { status: 200, body: round } : { status: 404, body: { error: 'no such round' } };
    }
    if (method === 'POST' && path === '/api/fire') {
      let text = '';
      for await (const chunk of body) text += chunk.toString();
      const { uid } = JSON.parse(text) as { uid: string };
      const target = feed.state.ships.find((s) => s.uid === uid);
      if (!target) return { status: 404, body: { error: `No ship ${uid}` } };
      feed.fireRequests.push(uid);
      const shot: ShotEvent = {
        id: ++shotIds,
        time: Date.now(),
        round: feed.state.round?.id ?? null,
        uid,
        name: target.name,
        namespace: target.namespace,
        fleet: target.fleet,
        outcome: feed.answerFire(uid),
        dryRun: false,
        source: 'manual',
      };
      feed.push([{ op: 'shot', shot }]);
      return { status: 200, body: shot };
    }
    return { status: 404, body: { error: 'not found' } };
  }
  io.of(GAME_NAMESPACES.instructor).use((socket, next) => {
    next(socket.handshake.auth['token'] === FEED_TOKEN ? undefined : new Error('unauthorized'));
  });
  for (const ns of NAMESPACES) {
    io.of(ns).on('connection', (socket) => {
      socket.emit(GAME_EVENTS.snapshot, feed.state);
      socket.on(GAME_EVENTS.resync, () => {
        feed.resyncRequests += 1;
        socket.emit(GAME_EVENTS.snapshot, feed.state);
      });
    });
  }
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  feed.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return feed;
}

function applyOps(state: GameSnapshot, ops: PatchOp[]): void {
  for (const op of ops) {
    if (op.op === 'ship') state.ships = [...state.ships.filter((s) => s.uid !== op.ship.uid), op.ship];
    if (op.op === 'shipRemoved') state.ships = state.ships.filter((s) => s.uid !== op.uid);
    if (op.op === 'fleet')
      state.fleets = [...state.fleets.filter((f) => f.player !== op.fleet.player), op.fleet];
    if (op.op === 'ranks')
      state.fleets = state.fleets.map((f) =>
        f.player in op.ranks ? { ...f, rank: op.ranks[f.player]! } : f,
      );
    if (op.op === 'round') state.round = op.round;
    if (op.op === 'chaos') state.chaos = op.chaos;
    // As the game server does, the snapshot carries the latest shots for a client that (re)connects.
    if (op.op === 'shot') state.shots = [...(state.shots ?? []), op.shot].slice(-50);
    if (op.op === 'recovery') state.recoveries = [...(state.recoveries ?? []), op.recovery].slice(-50);
    if (op.op === 'connection') {
      state.connected = op.connected;
      state.reconnectingSince = op.reconnectingSince;
    }
  }
}
