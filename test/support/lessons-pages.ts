// The lesson pages for the browser tests: the web pages built with vite, served with a lessons feature on a small
// express server on loopback (the platform's own wiring is tested by the platform's tests).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import type { Server as SocketServer } from 'socket.io';
import { build } from 'vite';
import type { WebFeature } from '../../server/web/feature.ts';
import { projectRoot } from './kubewars.ts';

/** Builds the web pages into `outDir`, as `npm run build` does. */
export async function buildPages(outDir: string): Promise<void> {
  await build({
    configFile: join(projectRoot, 'vite.config.ts'),
    build: { outDir, emptyOutDir: true },
    logLevel: 'warn',
  });
}

export interface ServedPages {
  server: Server;
  baseUrl: string;
}

/**
 * Serves the lessons feature and the pages built in `outDir` at a free port of 127.0.0.1. With `io` the feature
 * mounts its socket.io namespaces on it and the instructor's page (which speaks over it) is served too; without,
 * the lessons feature opens no socket.io namespace.
 */
export async function serveLessonsPages(
  feature: WebFeature,
  outDir: string,
  io?: SocketServer,
): Promise<ServedPages> {
  const app = express();
  feature.mount(app, io ?? (undefined as unknown as SocketServer));
  app.get(['/lessons', '/lessons/*rest'], (_req, res) => res.sendFile(join(outDir, 'lessons.html')));
  if (io) app.get('/instructor', (_req, res) => res.sendFile(join(outDir, 'instructor.html')));
  app.use(express.static(outDir));
  const server = await new Promise<Server>((ready) => {
    const s = app.listen(0, '127.0.0.1', () => ready(s));
  });
  io?.attach(server);
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
