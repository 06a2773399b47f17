// The game's web feature: HTTP API, live socket.io feed and /metrics, on top of a running GameEngine.
import type { Express } from 'express';
import type { Server as SocketServer } from 'socket.io';
import { type Clock, systemClock } from '../../clock.ts';
import { logger } from '../../log.ts';
import type { Logger } from '../../log.ts';
import type { WebFeature } from '../../web/feature.ts';
import type { GameEngine } from '../engine.ts';
import { clientAddress, type FailedAttempts, failedAttemptsFor } from './auth.ts';
import { gameRoutes } from './routes.ts';
import { mountGameSockets } from './sockets.ts';

export interface GameFeatureOptions {
  engine: GameEngine;
  instructorToken: string;
  log?: Logger;
  /** Wrong instructor tokens per client address (default: the limit every path of this token shares). */
  attempts?: FailedAttempts;
  /** Open game sockets per client address (default 64: a classroom behind one NAT, a few tabs each). */
  socketsPerAddress?: number;
  clock?: Clock;
}

export function createGameFeature(options: GameFeatureOptions): WebFeature {
  const log = options.log ?? logger;
  const attempts = options.attempts ?? failedAttemptsFor(options.instructorToken);
  let unsubscribe: (() => void) | undefined;
  return {
    name: 'game',
    mount(app: Express, io: SocketServer): void {
      app.use(
        gameRoutes({ engine: options.engine, instructorToken: options.instructorToken, log, attempts }),
      );
      unsubscribe = mountGameSockets(io, {
        engine: options.engine,
        instructorToken: options.instructorToken,
        attempts,
        addressOf: (req) => clientAddress(app, req),
        clock: options.clock ?? systemClock,
        log,
        socketsPerAddress: options.socketsPerAddress ?? 64,
        snapshotIntervalMs: 1000,
      });
    },
    async close(): Promise<void> {
      unsubscribe?.();
    },
  };
}
