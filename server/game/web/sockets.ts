// The live feed: socket.io namespaces /game (anyone, read-only) and /instructor (token in the handshake's auth).
// Each gets a snapshot on connect and on `resync`, then every engine patch, broadcast once per namespace.
import type { Namespace, Server as SocketServer, Socket } from 'socket.io';
import type { Logger } from '../../log.ts';
import type { GameEngine } from '../engine.ts';
import { GAME_EVENTS, GAME_NAMESPACES } from '../protocol.ts';
import { tokenMatches } from './auth.ts';

/** Sockets that have their snapshot and take patches from there on. */
const LIVE = 'live';

/**
 * A snapshot carries the seq of the last patch sent; the next broadcast patch follows it (patches that repeat
 * what the snapshot already holds change nothing in a browser's store).
 */
function sendSnapshot(socket: Socket, engine: GameEngine): void {
  socket.emit(GAME_EVENTS.snapshot, engine.snapshot());
  void socket.join(LIVE);
}

function serveFeed(namespace: Namespace, engine: GameEngine): void {
  namespace.on('connection', (socket: Socket) => {
    sendSnapshot(socket, engine);
    // A client that saw a gap in the patch numbers asks for the whole state again.
    socket.on(GAME_EVENTS.resync, () => sendSnapshot(socket, engine));
  });
}

/** Mounts both namespaces; returns the unsubscribe from the engine's patches. */
export function mountGameSockets(io: SocketServer, engine: GameEngine, instructorToken: string, log: Logger) {
  const game = io.of(GAME_NAMESPACES.game);
  const instructor = io.of(GAME_NAMESPACES.instructor);
  instructor.use((socket, next) => {
    const given: unknown = (socket.handshake.auth as Record<string, unknown>)['token'];
    if (tokenMatches(instructorToken, typeof given === 'string' ? given : undefined)) return next();
    log.warn(
      { ip: socket.handshake.address, reason: given === undefined ? 'missing' : 'wrong' },
      'instructor socket refused',
    );
    next(new Error('Wrong or missing instructor token: use the token printed by `kubewars start`.'));
  });
  serveFeed(game, engine);
  serveFeed(instructor, engine);
  return engine.onPatch((patch) => {
    game.to(LIVE).emit(GAME_EVENTS.patch, patch);
    instructor.to(LIVE).emit(GAME_EVENTS.patch, patch);
  });
}
