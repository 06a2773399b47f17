import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const projectRoot = dirname(fileURLToPath(import.meta.url));
const gameDir = join(projectRoot, 'game');

// Every game/*.html is a page of the platform (player page, battle, instructor, lessons).
const pages = Object.fromEntries(
  readdirSync(gameDir)
    .filter((file) => file.endsWith('.html'))
    .map((file) => [file.replace(/\.html$/, ''), join(gameDir, file)]),
);

export default defineConfig({
  root: gameDir,
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: join(projectRoot, 'dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: { input: pages },
  },
});
