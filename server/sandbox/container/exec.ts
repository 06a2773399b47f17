// A process started in a container by `kubectl exec` (or attached to by `kubectl attach`/`run -it`): a command run
// once, or an interactive shell reading the client's stdin line by line — with a terminal's echo, line editing,
// prompt and Ctrl-C/Ctrl-D when the client asked for a tty.
import type { ContainerInside } from './inside.ts';
import { findCommand } from './commands/index.ts';
import { BUSYBOX_IMAGES } from './image-files.ts';
import { Shell, ShellExit, type ShellIO } from './shell/interpreter.ts';

/** The client's stdin: chunks as they arrive, then its end. */
export class ClientInput {
  private chunks: Buffer[] = [];
  private ended = false;
  private waiters: (() => void)[] = [];

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }

  /** The next chunk, or undefined at the end. */
  async next(): Promise<Buffer | undefined> {
    while (!this.chunks.length && !this.ended)
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.chunks.shift();
  }

  /** Everything until the end. */
  async readAll(): Promise<Buffer> {
    const all: Buffer[] = [];
    for (let chunk = await this.next(); chunk; chunk = await this.next()) all.push(chunk);
    return Buffer.concat(all);
  }
}

export interface ProcessIO {
  /** Undefined when the client sends no stdin: reads see an empty input. */
  stdin?: ClientInput;
  stdout: (data: string | Buffer) => void;
  stderr: (data: string | Buffer) => void;
  tty: boolean;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

/** The runtime refused to start the process (no such executable), worded as containerd words it. */
export class ExecStartError extends Error {}

const SHELLS = new Set(['sh', 'bash', 'ash']);
/** Arrow keys and other terminal escape sequences: the simulated line editor has no history to move through. */
// eslint-disable-next-line no-control-regex -- matching the terminal's ESC byte is the point
const ESCAPE_SEQUENCE = /\x1b\[[0-9;]*[A-Za-z]/g;

/** Runs `argv` in the container; resolves with its exit code. */
export async function runProcess(inside: ContainerInside, argv: string[], io: ProcessIO): Promise<number> {
  const [program = '', ...args] = argv;
  const base = program.split('/').pop() ?? '';
  const command = findCommand(program, inside);
  if (!command) {
    throw new ExecStartError(
      `failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": executable file not found in $PATH: unknown`,
    );
  }
  // A terminal turns each \n the process writes into \r\n.
  const out = io.tty
    ? (data: string | Buffer) => io.stdout(data.toString().replace(/\r?\n/g, '\r\n'))
    : io.stdout;
  const shell = new Shell(inside, base === 'bash' ? 'bash' : 'sh', inside.env);
  if (SHELLS.has(base) && !args.some((a) => !a.startsWith('-') || a === '-c') && io.stdin) {
    return interactive(shell, base, inside, { ...io, stdout: out });
  }
  const quoted = argv.map((w) => `'${w.replace(/'/g, `'"'"'`)}'`).join(' ');
  const stdin = io.stdin;
  const shellIO: ShellIO = {
    stdin: stdin ? () => stdin.readAll() : async () => Buffer.alloc(0),
    stdout: out,
    stderr: io.tty ? out : io.stderr,
    signal: io.signal,
    tty: io.tty,
  };
  try {
    return await shell.run(quoted, shellIO);
  } catch (error) {
    if (error instanceof ShellExit) return error.code;
    throw error;
  }
}

function prompt(shell: Shell, base: string, inside: ContainerInside): string {
  if (base === 'bash') return `root@${inside.hostname}:${shell.cwd}# `;
  return BUSYBOX_IMAGES.has(inside.image) ? `${shell.cwd} # ` : '# ';
}

/** The read–run loop of a shell on the client's stdin. */
async function interactive(
  shell: Shell,
  base: string,
  inside: ContainerInside,
  io: ProcessIO,
): Promise<number> {
  const stdin = io.stdin as ClientInput;
  let line = '';
  let running: AbortController | undefined;
  const runLine = async (text: string): Promise<number | undefined> => {
    running = new AbortController();
    const abort = () => running?.abort();
    io.signal.addEventListener('abort', abort, { once: true });
    try {
      await shell.run(text, {
        stdin: async () => Buffer.alloc(0),
        stdout: io.stdout,
        stderr: io.tty ? io.stdout : io.stderr,
        signal: running.signal,
        tty: io.tty,
      });
      return undefined;
    } catch (error) {
      if (error instanceof ShellExit) return error.code;
      throw error;
    } finally {
      io.signal.removeEventListener('abort', abort);
      running = undefined;
    }
  };
  if (io.tty) io.stdout(prompt(shell, base, inside));
  // Input that arrives while a command runs is kept (typeahead); Ctrl-C stops the command.
  const pending: string[] = [];
  let ended = false;
  let wakeUp: (() => void) | undefined;
  const wake = () => {
    wakeUp?.();
    wakeUp = undefined;
  };
  void (async () => {
    for (let chunk = await stdin.next(); chunk; chunk = await stdin.next()) {
      const text = chunk.toString();
      if (io.tty && text.includes('\x03') && running) running.abort();
      pending.push(text);
      wake();
    }
    ended = true;
    wake();
  })();
  const take = async (): Promise<string | undefined> => {
    while (!pending.length && !ended && !io.signal.aborted)
      await new Promise<void>((resolve) => (wakeUp = resolve));
    return pending.shift();
  };
  for (;;) {
    const text = await take();
    if (text === undefined) {
      // End of input: a piped script's last line runs, then the shell exits with the last status.
      if (line.trim()) {
        const code = await runLine(line);
        if (code !== undefined) return code;
      }
      return io.signal.aborted ? 130 : shell.status;
    }
    for (const c of io.tty ? text.replace(ESCAPE_SEQUENCE, '') : text) {
      if (io.tty && (c === '\x7f' || c === '\b')) {
        if (line) {
          line = line.slice(0, -1);
          io.stdout('\b \b');
        }
        continue;
      }
      if (io.tty && c === '\x03') {
        line = '';
        io.stdout(`^C\n${prompt(shell, base, inside)}`);
        continue;
      }
      if (io.tty && c === '\x04') {
        if (!line) {
          io.stdout('exit\n');
          return shell.status;
        }
        continue;
      }
      if (c === '\r' || c === '\n') {
        if (io.tty) io.stdout('\n');
        const command = line;
        line = '';
        if (command.trim()) {
          const code = await runLine(command);
          if (code !== undefined) return code;
        }
        if (io.tty) io.stdout(prompt(shell, base, inside));
        continue;
      }
      line += c;
      if (io.tty) io.stdout(c);
    }
  }
}
