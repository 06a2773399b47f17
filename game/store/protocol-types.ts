// The game wire protocol as the browser sees it: the types, from the server's single source of truth. The event
// and namespace names (values) come from server/game/protocol.ts itself, which imports nothing.
export type * from '../../server/game/protocol.ts';
