// The live feed: socket.io namespaces /game (anyone, read-only) and /instructor (token in the handshake's auth).
// Each gets a snapshot on connect and on `resync`, then every engine patch, broadcast once per namespace. Anyone can
// open /game, so a socket gets at most one snapshot a second and a client address only so many sockets.
import type { IncomingMessage } from 'node:http';
import type { Namespace, Server as SocketServer, Socket } from 'socket.io';
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../log.ts';
import type { GameEngine } from '../engine.ts';
import { GAME_EVENTS, GAME_NAMESPACES } from '../protocol.ts';
import { checkInstructorToken, type FailedAttempts } from './auth.ts';

/** Sockets that have their snapshot and take patches from there on. */
const LIVE = 'live';

export interface GameSocketsOptions {
  engine: GameEngine;
  instructorToken: string;
  attempts: FailedAttempts;
  /** The client address of a handshake, as Express computes it (behind a trusted proxy, the forwarded one). */
  addressOf(req: IncomingMessage): string;
  clock: Clock;
  log: Logger;
  /** Open sockets per client address, both namespaces together. */
  socketsPerAddress: number;
  /** Least time between two snapshots to one socket; a resync sooner is answered when it is up. */
  snapshotIntervalMs: number;
}

/**
 * A snapshot carries the seq of the last patch sent; the next broadcast patch follows it (patches that repeat
 * what the snapshot already holds change nothing in a browser's store).
 */
function sendSnapshot(socket: Socket, engine: GameEngine): void {
  socket.emit(GAME_EVENTS.snapshot, engine.snapshot());
  void socket.join(LIVE);
}

function serveFeed(namespace: Namespace, options: GameSocketsOptions): void {
  const { engine, clock, snapshotIntervalMs } = options;
  namespace.on('connection', (socket: Socket) => {
    let lastSnapshot = clock.now();
    let pending: unknown;
    sendSnapshot(socket, engine);
    // A client that saw a gap in the patch numbers asks for the whole state again: at once if its last snapshot is
    // old enough, else one snapshot when it is, however many resyncs came in between.
    socket.on(GAME_EVENTS.resync, () => {
      if (pending !== undefined) return;
      const wait = lastSnapshot + snapshotIntervalMs - clock.now();
      const send = () => {
        pending = undefined;
        lastSnapshot = clock.now();
        if (socket.connected) sendSnapshot(socket, engine);
      };
      if (wait <= 0) send();
      else pending = clock.setTimeout(send, wait);
    });
    socket.on('disconnect', () => {
      if (pending !== undefined) clock.clearTimeout(pending);
      pending = undefined;
    });
  });
}

/**
 * Refuses a handshake while its client address has `socketsPerAddress` sockets open. Counted on connection and
 * disconnection, which always come in pairs (a handshake refused or abandoned midway has neither).
 */
function capSocketsPerAddress(namespaces: Namespace[], options: GameSocketsOptions): void {
  const open = new Map<string, number>();
  for (const namespace of namespaces) {
    namespace.use((socket, next) => {
      const address = options.addressOf(socket.request);
      const count = open.get(address) ?? 0;
      if (count < options.socketsPerAddress) return next();
      options.log.warn({ ip: address, sockets: count }, 'game socket refused: too many from one address');
      next(new Error(`Too many game connections from ${address}: close some tabs and reload.`));
    });
    namespace.on('connection', (socket: Socket) => {
      const address = options.addressOf(socket.request);
      open.set(address, (open.get(address) ?? 0) + 1);
      socket.on('disconnect', () => {
        const left = (open.get(address) ?? 1) - 1;
        if (left > 0) open.set(address, left);
        else open.delete(address);
      });
    });
  }
}

/** Mounts both namespaces; returns the unsubscribe from the engine's patches. */
export function mountGameSockets(io: SocketServer, options: GameSocketsOptions): () => void {
  const { engine, log } = options;
  const game = io.of(GAME_NAMESPACES.game);
  const instructor = io.of(GAME_NAMESPACES.instructor);
  capSocketsPerAddress([game, instructor], options);
  instructor.use((socket, next) => {
    const given: unknown = (socket.handshake.auth as Record<string, unknown>)['token'];
    const address = options.addressOf(socket.request);
    const check = checkInstructorToken(
      options.instructorToken,
      typeof given === 'string' ? given : undefined,
      address,
      options.attempts,
    );
    if (check === 'ok') return next();
    log.warn({ ip: address, reason: check }, 'instructor socket refused');
    next(
      new Error(
        check === 'blocked'
          ? 'Too many wrong instructor tokens from this address: wait a minute and try again.'
          : 'Wrong or missing instructor token: use the token printed by `kubewars start`.',
      ),
    );
  });
  serveFeed(game, options);
  serveFeed(instructor, options);
  return engine.onPatch((patch) => {
    // socket.io encodes a broadcast before it looks for its sockets: a namespace with no screen live is skipped.
    for (const namespace of [game, instructor]) {
      if (namespace.adapter.rooms.has(LIVE)) namespace.to(LIVE).emit(GAME_EVENTS.patch, patch);
    }
  });
}
