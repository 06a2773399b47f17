#!/usr/bin/env node
// Compiles the server (TypeScript) into one ES module with esbuild: dist/kubewars.js for the npm package, which
// runs on plain Node 20+ with only the runtime dependencies; scripts/start.mjs builds the same for `npm start`.
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Gives each bundled module the URL its source file had, so the paths it finds its data by (lessons, steps,
 * vagrant, package.json) hold from the bundle exactly as they do from server/. */
function sourceUrls(outfile) {
  return {
    name: 'source-import-meta-url',
    setup(builder) {
      builder.onLoad({ filter: /[\\/]server[\\/].*\.ts$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        const fromBundle = relative(dirname(outfile), args.path).split('\\').join('/');
        const url = `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`;
        return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
      });
    },
  };
}

/** Bundles server/ and every package except package.json's `dependencies` into `outfile`. */
export async function buildServer({ outfile }) {
  const { dependencies } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  await build({
    entryPoints: [join(root, 'server/cli.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    logLevel: 'warning',
    plugins: [sourceUrls(outfile)],
    // Only `dependencies` stay packages of their own (they load .wasm files or pino's streams from their
    // folders); bundling the rest takes a third off a cold start: loading hundreds of small modules one by
    // one is most of it. Vite is imported only to rebuild the pages in the repository, where it is installed.
    external: [...Object.keys(dependencies), 'vite'],
    legalComments: 'linked',
    minifyWhitespace: true,
    minifySyntax: true,
    // The bundled CommonJS modules require Node's built-ins: an ES module has no `require` of its own.
    banner: {
      js: "import { createRequire as kubewarsRequire } from 'node:module'; const require = kubewarsRequire(import.meta.url);",
    },
  });
  return outfile;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outfile = await buildServer({ outfile: join(root, 'dist/kubewars.js') });
  console.log(`server compiled: ${relative(root, outfile)}`);
}
