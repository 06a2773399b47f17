#!/usr/bin/env node
// `npm start`: runs the server compiled as in the npm package (scripts/build-server.mjs), recompiled only when
// server/ or the dependencies changed since. Quicker to start than tsx compiling every file on load;
// `node bin/kubewars.js` still runs the sources directly.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildServer } from './build-server.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const outfile = join(root, 'node_modules/.cache/kubewars/kubewars.js');

function newestSource() {
  const files = readdirSync(join(root, 'server'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
  files.push(join(root, 'package.json'), join(root, 'package-lock.json'), fileURLToPath(import.meta.url));
  return Math.max(...files.map((file) => statSync(file).mtimeMs));
}

if (!existsSync(outfile) || statSync(outfile).mtimeMs < newestSource()) {
  const started = performance.now();
  await buildServer({ outfile });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stderr.write(`server sources changed: compiled them in ${seconds} s\n`);
}
await import(pathToFileURL(outfile).href);
