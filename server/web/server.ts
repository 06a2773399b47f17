import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import type { ErrorRequestHandler, Request, Response } from 'express';
import helmet from 'helmet';
import { Server as SocketServer } from 'socket.io';
import { logger } from '../log.ts';
import type { WebFeature } from './feature.ts';

/** Clean URLs of the front end's pages → the HTML file Vite built for each. */
export const pageRoutes: Record<string, string> = {
  '/': 'index.html',
  '/game': 'battle.html',
  '/instructor': 'instructor.html',
  '/lessons': 'lessons.html',
  '/lessons/*rest': 'lessons.html',
};

export interface WebServerOptions {
  host: string;
  port: number;
  /** Folder of the built front end (dist/web). */
  staticDir: string;
  features: WebFeature[];
  /**
   * Express's `trust proxy`: which X-Forwarded-For hops name the client (hops as a number, or addresses and subnets
   * such as `loopback`). Unset, the client is the peer address: behind a reverse proxy every attendee would share it.
   */
  trustProxy?: boolean | number | string;
}

export interface RunningWebServer {
  url: string;
  port: number;
  io: SocketServer;
  close(): Promise<void>;
}

/**
 * `--trust-proxy`: `true`/`false`, a number of proxy hops, or comma-separated addresses and subnets (`loopback`,
 * `10.0.0.0/8`). Throws a readable error for anything Express would refuse.
 */
export function trustProxySetting(text: string): boolean | number | string {
  const value = text.trim();
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  try {
    express().set('trust proxy', value);
  } catch (error) {
    throw new Error(
      `expected true, a number of proxy hops, or proxy addresses and subnets such as loopback,10.0.0.0/8 (${(error as Error).message}).`,
    );
  }
  return value;
}

function formatUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const app = express();
  app.disable('x-powered-by');
  if (options.trustProxy !== undefined) app.set('trust proxy', options.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          // 'self' covers the page's own ws:/wss: origin: the feed never talks to another host.
          connectSrc: ["'self'"],
          // The platform is served over plain http on a laptop in a workshop room: never upgrade to https.
          upgradeInsecureRequests: null,
        },
      },
      strictTransportSecurity: false,
    }),
  );
  app.use(/^\/(?!api\/lessons\/).*/i, express.json({ limit: '1mb' })); // the lessons router parses its own (16 kB)

  let ready = false;
  app.get('/healthz', (_req, res) => {
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'starting' });
  });

  const httpServer = createServer(app);
  // Same origin only: socket.io's default refuses cross-origin browsers when no cors option is given.
  const io = new SocketServer(httpServer, { serveClient: false });

  for (const feature of options.features) feature.mount(app, io);

  app.use(express.static(options.staticDir, { index: false, fallthrough: true }));
  for (const [route, file] of Object.entries(pageRoutes)) {
    app.get(route, (_req: Request, res: Response, next) => {
      const page = join(options.staticDir, file);
      if (!existsSync(page)) return next();
      res.sendFile(page);
    });
  }

  app.use((req, res) => {
    res.status(404).json({ error: 'Not found', path: req.path });
  });
  const onError: ErrorRequestHandler = (error: unknown, req, res, _next) => {
    const status = (error as { status?: number }).status ?? 500;
    if (status >= 500) logger.error({ err: error, path: req.path }, 'request failed');
    const message = status >= 500 ? 'Internal error: see the server log' : (error as Error).message;
    res.status(status).json({ error: message });
  };
  app.use(onError);

  // Keep-alive connections would hold close() open: track them so shutdown is prompt.
  const sockets = new Set<Socket>();
  httpServer.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  ready = true;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      ready = false;
      await Promise.allSettled(options.features.map((feature) => feature.close?.()));
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => {
        io.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    })();
    return closing;
  };

  return { url: formatUrl(options.host, port), port, io, close };
}
