// The npm package as a user gets it: packed, installed without dev dependencies into an empty folder, started
// from there. It must hold its built pages and compiled server, so starting it builds nothing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../support/browser.ts';
import { projectRoot, startKubewarsPlatform } from '../../support/kubewars.ts';

const run = promisify(execFile);
const MB = 1024 * 1024;
const installLimitBytes = 150 * MB;
const tarballLimitBytes = 15 * MB;

/** Every file below `dir` with its size and modification time, keyed by path. */
function listFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const { size, mtimeMs } = statSync(path);
    files.set(relative(dir, path), `${size}@${mtimeMs}`);
  }
  return files;
}

function totalBytes(files: Map<string, string>): number {
  let total = 0;
  for (const sizeAndTime of files.values()) total += Number(sizeAndTime.split('@')[0]);
  return total;
}

let tarball: string;
let installDir: string;
let platform: Awaited<ReturnType<typeof startKubewarsPlatform>> | undefined;
let browser: Browser | undefined;

before(async () => {
  // Packed from a copy, so the `prepack` build never rewrites dist/web under other tests that serve it.
  const copy = mkdtempSync(join(tmpdir(), 'kubewars-pack-src-'));
  const skipped = new Set(['node_modules', 'dist', '.git', '.kubewars', 'test']);
  cpSync(projectRoot, copy, {
    recursive: true,
    filter: (source) => !skipped.has(relative(projectRoot, source).split('/')[0] ?? ''),
  });
  symlinkSync(join(projectRoot, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const packDir = mkdtempSync(join(tmpdir(), 'kubewars-pack-'));
  await run('npm', ['pack', '--pack-destination', packDir], { cwd: copy, maxBuffer: 64 * MB });
  const [filename] = readdirSync(packDir).filter((name) => name.endsWith('.tgz'));
  assert.ok(filename, `npm pack wrote no tarball into ${packDir}`);
  tarball = join(packDir, filename);

  installDir = mkdtempSync(join(tmpdir(), 'kubewars-install-'));
  await run(
    'npm',
    ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--no-save', tarball],
    { cwd: installDir, maxBuffer: 64 * MB },
  );
});

after(async () => {
  await browser?.close();
  await platform?.stop();
});

test('the tarball is at most 15 MB', () => {
  assert.ok(statSync(tarball).size <= tarballLimitBytes, `tarball is ${statSync(tarball).size / MB} MB`);
});

test('the runtime install holds no TypeScript tooling, no Vite, no Phaser and stays within 150 MB', () => {
  const modules = join(installDir, 'node_modules');
  const bytes = totalBytes(listFiles(modules));
  assert.ok(bytes <= installLimitBytes, `the install takes ${(bytes / MB).toFixed(1)} MB`);
  const installed = readdirSync(modules);
  for (const devOnly of ['typescript', 'tsx', 'vite', 'phaser', 'esbuild']) {
    assert.ok(!installed.includes(devOnly), `${devOnly} was installed at run time`);
  }
});

test('kubewars start from the install builds nothing, and every page loads in Chromium', async () => {
  const packageDir = join(installDir, 'node_modules/kubewars');
  const before = listFiles(packageDir);
  platform = await startKubewarsPlatform([], {
    bin: join(packageDir, 'bin/kubewars.js'),
    env: { KUBEWARS_LOG_LEVEL: 'info', KUBEWARS_LOG_FORMAT: 'json' },
  });
  const { url, instructorUrl } = platform;

  browser = await launchChromium();
  const pages: [string, string][] = [
    [`${url}/`, 'Kube Wars — join the battle'],
    [`${url}/game`, 'Kube Wars — battle'],
    [instructorUrl, 'Kube Wars — instructor'],
    [`${url}/lessons`, 'Kube Wars — lessons'],
  ];
  for (const [address, title] of pages) {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} for ${response.url()}`);
    });
    const response = await page.goto(address, { waitUntil: 'load' });
    assert.equal(response?.status(), 200, address);
    assert.equal(await page.title(), title);
    assert.deepEqual(problems, [], address);
    await page.close();
  }

  assert.doesNotMatch(platform.output(), /building the web pages|web pages built/);
  assert.deepEqual(listFiles(packageDir), before, 'starting changed files inside the installed package');
});
