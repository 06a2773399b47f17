// Runs the real `kubewars` command in a child process, as a user would, from a temporary working directory.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const kubewarsBin = join(projectRoot, 'bin/kubewars.js');

export interface RunningKubewars {
  child: ChildProcess;
  cwd: string;
  /** Everything printed so far. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects if the process exits or time runs out. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends a signal and resolves with the exit code and how long the exit took. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; ms: number }>;
}

export interface SpawnOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Another `kubewars` bin than this repository's, e.g. one installed from the npm package. */
  bin?: string;
}

export function spawnKubewars(args: string[], options: SpawnOptions = {}) {
  const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), 'kubewars-cwd-'));
  const child = spawn(process.execPath, [options.bin ?? kubewarsBin, ...args], {
    cwd,
    env: { ...process.env, KUBEWARS_LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));

  const running: RunningKubewars = {
    child,
    cwd,
    output: () => output,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolveMatch, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (!match) return;
          cleanup();
          resolveMatch(match);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${pattern}; output so far:\n${output}`));
        }, timeoutMs);
        const onExit = () => {
          cleanup();
          reject(new Error(`kubewars exited before printing ${pattern}; output:\n${output}`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('exit', onExit);
        };
        listeners.add(check);
        child.once('exit', onExit);
        check();
      });
    },
    async stop(signal = 'SIGINT') {
      const started = Date.now();
      if (child.exitCode === null) child.kill(signal);
      const code = await exited;
      return { code, ms: Date.now() - started };
    },
  };
  return running;
}

/** Runs `kubewars ARGS` to completion. */
export async function runKubewars(args: string[], options: SpawnOptions = {}) {
  const running = spawnKubewars(args, options);
  const code = await new Promise<number | null>((resolveExit) => running.child.on('exit', resolveExit));
  return { code, output: running.output() };
}

/** Starts the platform on a free port and waits for its banner. */
export async function startKubewarsPlatform(extraArgs: string[] = [], options: SpawnOptions = {}) {
  const running = spawnKubewars(['start', '--port', '0', '--sandbox-port', '0', ...extraArgs], options);
  const [, url] = await running.waitFor(/Players:\s+(http:\/\/\S+?)\/\s/, 120_000);
  const [, instructorUrl] = await running.waitFor(/Instructor:\s+(\S+)/);
  return { ...running, url: url as string, instructorUrl: instructorUrl as string };
}
