// The browser's view of the game wire protocol: types only, from the server's single source of truth.
export type * from '../../server/game/protocol.ts';
