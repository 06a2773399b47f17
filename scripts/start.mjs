#!/usr/bin/env node
// `npm start`: compiles the server sources with esbuild (a fraction of a second), then runs them. Quicker to start
// than tsx compiling every file on load; `node bin/kubewars.js` still runs the sources directly.
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildServer } from './build-server.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const outfile = await buildServer({
  outfile: join(root, 'node_modules/.cache/kubewars/kubewars.js'),
  forPackage: false,
});
await import(pathToFileURL(outfile).href);
