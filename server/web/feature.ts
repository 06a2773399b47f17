import type { Express } from 'express';
import type { Server as SocketServer } from 'socket.io';

/**
 * A part of the platform that plugs into the web server: the game, the lessons. `mount` adds its HTTP routes and
 * socket.io namespaces before the server listens; `close` releases watches and timers on shutdown.
 */
export interface WebFeature {
  name: string;
  mount(app: Express, io: SocketServer): void;
  close?(): Promise<void>;
}
