#!/usr/bin/env node
// In the repository Kube Wars runs its TypeScript sources (tsx compiles them on load); the npm package holds no
// sources, only the server compiled by scripts/build-server.mjs.
import { existsSync } from 'node:fs';

const sources = new URL('../server/cli.ts', import.meta.url);
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(sources.href);
} else {
  await import('../dist/kubewars.js');
}
