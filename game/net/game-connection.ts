import { io, type Socket } from 'socket.io-client';
import type { GameStore } from '../store/game-store.ts';
import type { GamePatch, GameSnapshot } from '../store/protocol-types.ts';

/**
 * Event names assumed until server/game/protocol.ts exists: the server sends `snapshot` on connect and numbered
 * `patch` events; the client emits `resync` when it sees a gap and receives a fresh `snapshot`.
 */
export const GAME_EVENTS = { snapshot: 'snapshot', patch: 'patch', resync: 'resync' } as const;

/** Connects the store to a game namespace; the only place that talks to the network. */
export function connectGame(store: GameStore, namespace: '/game' | '/instructor', token?: string): Socket {
  const socket = io(namespace, token ? { auth: { token } } : {});
  socket.on(GAME_EVENTS.snapshot, (snapshot: GameSnapshot) => store.applySnapshot(snapshot));
  socket.on(GAME_EVENTS.patch, (patch: GamePatch) => {
    if (store.applyPatch(patch) === 'gap') socket.emit(GAME_EVENTS.resync);
  });
  return socket;
}
