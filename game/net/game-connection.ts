import { io, type Socket } from 'socket.io-client';
import { GAME_EVENTS, type GameNamespace } from '../../server/game/protocol.ts';
import type { LiveGameState } from '../store/live-game-state.ts';
import type { GamePatch, GameSnapshot } from '../store/protocol-types.ts';

/** Connects the browser's game state to a game namespace; the only place that talks to the network. */
export function connectGame(state: LiveGameState, namespace: GameNamespace, token?: string): Socket {
  const socket = io(namespace, token ? { auth: { token } } : {});
  socket.on(GAME_EVENTS.snapshot, (snapshot: GameSnapshot) => state.applySnapshot(snapshot));
  socket.on(GAME_EVENTS.patch, (patch: GamePatch) => {
    if (state.applyPatch(patch) === 'gap') socket.emit(GAME_EVENTS.resync);
  });
  return socket;
}
