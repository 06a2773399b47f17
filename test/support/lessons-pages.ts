// The lesson pages for the browser tests: the web pages built with vite, served with a lessons feature on a small
// express server on loopback (the platform's own wiring is tested by the platform's tests).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import express from 'express';
import type { Browser } from 'playwright-core';
import type { Server as SocketServer } from 'socket.io';
import { build } from 'vite';
import { startSandbox, type RunningSandbox } from '../../server/sandbox/index.ts';
import type { WebFeature } from '../../server/web/feature.ts';
import { launchChromium } from './browser.ts';
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

export interface LessonsPagesOnSandbox {
  sandbox: RunningSandbox;
  baseUrl: string;
  browser: Browser;
}

export interface LessonsPagesOptions {
  /** The sandbox's kubeconfig file in `workDir`. */
  kubeconfigName: string;
  /** The lessons feature to serve, for the sandbox's cluster. */
  feature: (kubeConfig: KubeConfig) => WebFeature;
  /** Given, the feature's socket.io server (see serveLessonsPages), closed after the tests. */
  io?: SocketServer;
}

/**
 * For a test file: before its tests a sandbox, the pages built in `workDir`, the feature served with them and
 * Chromium; after them all closed and `workDir` removed. The function it returns gives them once started.
 */
export function lessonsPagesOnSandbox(
  workDir: string,
  options: LessonsPagesOptions,
): () => LessonsPagesOnSandbox {
  let sandbox: RunningSandbox | undefined;
  let served: ServedPages | undefined;
  let browser: Browser | undefined;
  before(async () => {
    sandbox = await startSandbox({
      port: 0,
      kubeconfigOut: join(workDir, options.kubeconfigName),
      speed: 'fast',
    });
    const outDir = join(workDir, 'web');
    await buildPages(outDir);
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(sandbox.kubeconfigPath);
    served = await serveLessonsPages(options.feature(kubeConfig), outDir, options.io);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    options.io?.close();
    await new Promise((r) => (served ? served.server.close(r) : r(undefined)));
    await sandbox?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });
  return () => {
    assert.ok(
      sandbox && served && browser,
      'the lesson pages have not started (their before hook failed or has not run)',
    );
    return { sandbox, baseUrl: served.baseUrl, browser };
  };
}
