// The game's web feature: HTTP API, live socket.io feed and /metrics, on top of a running GameEngine.
import { MemoryStore, rateLimit } from 'express-rate-limit';
import type { Express } from 'express';
import type { Server as SocketServer } from 'socket.io';
import { logger } from '../../log.ts';
import type { Logger } from '../../log.ts';
import type { WebFeature } from '../../web/feature.ts';
import type { GameEngine } from '../engine.ts';
import { gameRoutes } from './routes.ts';
import { mountGameSockets } from './sockets.ts';

export interface GameFeatureOptions {
  engine: GameEngine;
  instructorToken: string;
  log?: Logger;
  /** Instructor requests allowed per client address and minute (default 600: a busy console, not a token guesser). */
  instructorRequestsPerMinute?: number;
}

export function createGameFeature(options: GameFeatureOptions): WebFeature {
  const log = options.log ?? logger;
  const store = new MemoryStore();
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: options.instructorRequestsPerMinute ?? 600,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store,
    handler: (req, res, _next, used) => {
      log.warn({ ip: req.ip, path: req.path }, 'instructor requests rate limited');
      res
        .status(used.statusCode)
        .json({ error: 'Too many instructor requests: wait a minute and try again.' });
    },
  });
  let unsubscribe: (() => void) | undefined;
  return {
    name: 'game',
    mount(app: Express, io: SocketServer): void {
      app.use(
        gameRoutes({
          engine: options.engine,
          instructorToken: options.instructorToken,
          log,
          rateLimit: limiter,
        }),
      );
      unsubscribe = mountGameSockets(io, options.engine, options.instructorToken, log);
    },
    async close(): Promise<void> {
      unsubscribe?.();
      await store.shutdown();
    },
  };
}
