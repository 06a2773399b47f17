#!/usr/bin/env node
// `npm test`: type-check, lint and format check, then every test file with Node's test runner on Node 20 (the
// oldest supported) and the unit and integration tests again on Node 24 (fetched by scripts/test-tools.mjs).
// Usage: npm test [-- [--no-lint] [--only=20|24] [path-substring …]]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { testTool } from './test-tools.mjs';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const args = process.argv.slice(2);
const lint = !args.includes('--no-lint');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const filters = args.filter((a) => !a.startsWith('--'));

function testFiles(dir) {
  const full = join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => relative(root, join(entry.parentPath ?? entry.path, entry.name)))
    .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
    .sort();
}

// A test file that never exits would hold CI until its 90-minute limit: give every step a deadline instead.
const stepDeadlineMs = 35 * 60 * 1000;

function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, {
    cwd: root,
    stdio: 'inherit',
    timeout: stepDeadlineMs,
    killSignal: 'SIGKILL',
  });
  if (result.error?.code === 'ETIMEDOUT') {
    console.error(
      `\n✖ ${command} ${commandArgs.slice(-3).join(' ')} ran past ${stepDeadlineMs / 60000} minutes: stopped`,
    );
  }
  return result.status ?? 1;
}

const bin = (name) => join(root, 'node_modules/.bin', name);

let failed = false;
if (lint) {
  console.log('\n▶ type-check, lint, format');
  for (const [command, commandArgs] of [
    [bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']],
    [bin('eslint'), ['.']],
    [bin('prettier'), ['--check', '.', '--log-level', 'warn']],
  ]) {
    if (run(command, commandArgs) !== 0) failed = true;
  }
}

// The browser tests and `kubewars start` serve the built pages: build them once, before any test starts.
console.log('\n▶ build the web pages');
if (run(bin('vite'), ['build']) !== 0) failed = true;

// Fetched once here rather than by each test file that needs them; kept in node_modules/.cache between runs.
console.log('\n▶ test tools: Node 24, kubectl 1.35, Helm');
let node24;
try {
  node24 = only === '20' ? undefined : await testTool('node24');
  await testTool('kubectl');
} catch (error) {
  console.error(`✖ ${error.message}`);
  failed = true;
}

// Summed over every run, printed last in the runner's own summary form.
const SUMMARY = ['tests', 'suites', 'pass', 'fail', 'cancelled', 'skipped', 'todo', 'duration_ms'];
const totals = Object.fromEntries(SUMMARY.map((name) => [name, 0]));

function runSuite(label, nodePath, files, concurrency) {
  if (files.length === 0) return;
  console.log(`\n▶ ${label}: ${files.length} test files, ${concurrency} at a time`);
  const tapFile = join(mkdtempSync(join(tmpdir(), 'kubewars-test-')), 'results.tap');
  const status = run(nodePath, [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ]);
  const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
  const count = (name) => Number(tap.match(new RegExp(`^# ${name} ([\\d.]+)$`, 'm'))?.[1] ?? 0);
  for (const name of SUMMARY) totals[name] += count(name);
  if (status !== 0) failed = true;
}

// Test files listen on ports the system picks and write to their own temporary folders, so two can run side by
// side; the runner's default (cores − 1) would run them one at a time on a 2-core machine. The browser tests each
// drive a Chromium, which alone keeps a core busy: they run one at a time.
const concurrency = Number(process.env.KUBEWARS_TEST_CONCURRENCY) || 2;
const unitAndIntegration = [...testFiles('test/unit'), ...testFiles('test/integration')];
const browser = testFiles('test/browser');
if (only !== '24') {
  runSuite(
    `Node ${process.versions.node} (unit + integration)`,
    process.execPath,
    unitAndIntegration,
    concurrency,
  );
  runSuite(`Node ${process.versions.node} (browser)`, process.execPath, browser, 1);
}
// The whole course rehearsed in order on three cluster shapes (about 6 minutes) runs once: each lesson's blocks
// already run on Node 24 one lesson at a time (lessons-run), and running them in order tests the course, not Node.
const onceOnly = new Set(['test/integration/lessons/course-rehearsal.test.ts']);
if (only !== '20' && node24) {
  const files = unitAndIntegration.filter((file) => only === '24' || !onceOnly.has(file));
  runSuite('Node 24 (unit + integration)', node24, files, concurrency);
}

const failures = totals.fail + totals.cancelled;
console.log(`\ntests: ${totals.pass} passed, ${failures} failed, ${totals.skipped} skipped`);
console.log(`\nall runs together:`);
for (const name of SUMMARY) {
  console.log(`ℹ ${name} ${name === 'duration_ms' ? totals[name].toFixed(3) : totals[name]}`);
}
process.exit(failed || failures > 0 ? 1 : 0);
