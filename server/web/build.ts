import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { build as viteBuild } from 'vite';
import { UserError } from '../errors.ts';
import { logger } from '../log.ts';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Sources the front end is built from: its own folder, plus the shared protocol and view models it imports. */
function frontEndSources(projectRoot: string): string[] {
  return ['game', 'server/game/protocol.ts', 'vite.config.ts']
    .map((path) => join(projectRoot, path))
    .filter((path) => existsSync(path));
}

export function frontEndIsStale(projectRoot: string, outDir: string): boolean {
  const builtIndex = join(outDir, 'index.html');
  if (!existsSync(builtIndex)) return true;
  const builtAt = statSync(builtIndex).mtimeMs;
  return frontEndSources(projectRoot).some((path) =>
    statSync(path).isDirectory() ? newestMtime(path) > builtAt : statSync(path).mtimeMs > builtAt,
  );
}

/** Builds the browser pages with Vite when they are missing or older than their sources. */
export async function ensureFrontEndBuilt(projectRoot: string, outDir: string): Promise<void> {
  if (!frontEndIsStale(projectRoot, outDir)) return;
  let build: typeof viteBuild;
  try {
    ({ build } = await import('vite'));
  } catch {
    throw new UserError(
      'The web pages are not built and Vite is not installed.',
      'Run `npm install` (with dev dependencies), then `npm run build`.',
    );
  }
  logger.info('the web pages are missing or older than their sources: building them with Vite…');
  const started = performance.now();
  await build({ configFile: join(projectRoot, 'vite.config.ts'), logLevel: 'warn' });
  logger.info(`web pages built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
