// Runs `vagrant` in the vagrant/ folder: streams its output line by line and appends it to the log.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { execa } from 'execa';
import { UserError } from '../errors.ts';

export interface VagrantResult {
  exitCode: number;
  /** stdout and stderr interleaved, as a person would have seen them. */
  output: string;
}

export interface VagrantRunner {
  /** Runs a vagrant command to completion; `onLine` sees each output line as it arrives. */
  run(args: string[], onLine?: (line: string) => void): Promise<VagrantResult>;
  /** Runs a vagrant command on the user's terminal (`vagrant ssh`); resolves with its exit code. */
  interactive(args: string[]): Promise<number>;
}

/** No update check (it contacts HashiCorp on every run) and no colour codes in the output we parse. */
export function vagrantEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, VAGRANT_CHECKPOINT_DISABLE: '1', VAGRANT_NO_COLOR: '1' };
}

function notInstalled(error: unknown): boolean {
  return (error as { code?: string }).code === 'ENOENT';
}

const VAGRANT_MISSING = new UserError(
  'vagrant is not installed (or not on the PATH).',
  'Install it (https://developer.hashicorp.com/vagrant/install), then run `kubewars cluster doctor`.',
);

export interface VagrantRunnerOptions {
  vagrantDir: string;
  /** Every command's output is appended here, with a header naming the command. */
  logPath: string;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

export function createVagrantRunner(options: VagrantRunnerOptions): VagrantRunner {
  const env = vagrantEnvironment(options.env ?? process.env);
  const now = options.now ?? (() => new Date());
  const log = (text: string) => {
    mkdirSync(dirname(options.logPath), { recursive: true });
    appendFileSync(options.logPath, text);
  };

  return {
    async run(args, onLine) {
      log(`\n=== ${now().toISOString()} vagrant ${args.join(' ')} (in ${options.vagrantDir})\n`);
      const subprocess = execa('vagrant', args, {
        cwd: options.vagrantDir,
        env,
        all: true,
        buffer: false,
        reject: false,
        stdin: 'ignore',
      });
      const lines: string[] = [];
      const emit = (line: string) => {
        lines.push(line);
        onLine?.(line);
      };
      // Download progress is redrawn with a bare \r: split on it too, so progress shows while it happens.
      let pending = '';
      subprocess.all?.setEncoding('utf8');
      subprocess.all?.on('data', (chunk: string) => {
        log(chunk);
        // A \r that ends the chunk may be the first half of \r\n: keep it pending.
        const parts = (pending + chunk).split(/\r\n|\n|\r(?!$)/);
        pending = parts.pop() ?? '';
        for (const part of parts) emit(part);
      });
      const result = await subprocess;
      if (notInstalled(result)) throw VAGRANT_MISSING;
      if (pending) emit(pending.replace(/\r$/, ''));
      log(`${pending ? '\n' : ''}=== exit code ${result.exitCode ?? 'none'}\n`);
      return { exitCode: result.exitCode ?? 1, output: lines.join('\n') };
    },

    async interactive(args) {
      const result = await execa('vagrant', args, { cwd: options.vagrantDir, env, stdio: 'inherit', reject: false });
      if (notInstalled(result)) throw VAGRANT_MISSING;
      return result.exitCode ?? 1;
    },
  };
}
