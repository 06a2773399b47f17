// Runs parsed shell scripts in a container: expansion (variables, $(…), globs), pipelines (each stage's output
// becomes the next one's input), redirections to the container's files, and the builtins that change the shell
// itself (cd, export, exit, …). Everything else is a command from ../commands.
import type { Command as CommandNode, List, Pipeline, Redirect, Word } from './parse.ts';
import { ShellSyntaxError, parseScript } from './parse.ts';
import { FsError, normalizePath } from '../filesystem.ts';
import type { ContainerInside } from '../inside.ts';
import { findCommand } from '../commands/index.ts';
import type { CommandContext, Output } from '../commands/types.ts';

/** Thrown by `exit`: unwinds to the shell that runs the script. */
export class ShellExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export interface ShellIO {
  /** Everything the command may still read (a pipe's bytes, the client's stdin until it closes). */
  stdin: () => Promise<Buffer>;
  stdout: Output;
  stderr: Output;
  signal: AbortSignal;
  tty: boolean;
}

const BUILTINS = new Set([
  'cd',
  'export',
  'unset',
  'exit',
  'set',
  ':',
  'true',
  'false',
  'read',
  'shift',
  'source',
  '.',
]);

export class Shell {
  status = 0;
  readonly vars: Map<string, string>;
  cwd: string;
  private positional: string[] = [];
  /** Names of variables the shell exports to commands (all of the inherited environment). */
  private readonly exported: Set<string>;

  constructor(
    readonly inside: ContainerInside,
    readonly name: string,
    env: Map<string, string>,
    cwd = '/',
  ) {
    this.vars = new Map(env);
    this.exported = new Set(env.keys());
    this.cwd = cwd;
  }

  environment(): Map<string, string> {
    return new Map([...this.vars].filter(([k]) => this.exported.has(k)));
  }

  /** Runs a script; returns its exit status (throws ShellExit when it calls exit). */
  async run(script: string, io: ShellIO): Promise<number> {
    let list: List;
    try {
      list = parseScript(script);
    } catch (error) {
      if (!(error instanceof ShellSyntaxError)) throw error;
      io.stderr(`${this.name}: ${error.message}\n`);
      this.status = 2;
      return 2;
    }
    return this.runList(list, io);
  }

  private async runList(list: List, io: ShellIO): Promise<number> {
    let skip = false;
    for (const { pipeline, connector } of list.items) {
      if (io.signal.aborted) return (this.status = 130);
      if (!skip) this.status = await this.runPipeline(pipeline, io);
      skip = (connector === '&&' && this.status !== 0) || (connector === '||' && this.status === 0);
    }
    return this.status;
  }

  private async runPipeline(pipeline: Pipeline, io: ShellIO): Promise<number> {
    let stdin = io.stdin;
    let status = 0;
    for (const [index, command] of pipeline.commands.entries()) {
      const last = index === pipeline.commands.length - 1;
      if (last) status = await this.runCommand(command, { ...io, stdin });
      else {
        const piped: Buffer[] = [];
        await this.runCommand(command, {
          ...io,
          stdin,
          stdout: (data) => void piped.push(Buffer.from(data)),
        });
        const bytes = Buffer.concat(piped);
        stdin = async () => bytes;
      }
    }
    return pipeline.negated ? Number(status === 0) : status;
  }

  private async runCommand(command: CommandNode, io: ShellIO): Promise<number> {
    switch (command.kind) {
      case 'for': {
        const items = (await Promise.all(command.items.map((w) => this.expand(w, io)))).flat();
        let status = 0;
        for (const item of items) {
          if (io.signal.aborted) return 130;
          this.vars.set(command.variable, item);
          status = await this.runList(command.body, io);
        }
        return status;
      }
      case 'while': {
        let status = 0;
        for (;;) {
          if (io.signal.aborted) return 130;
          const condition = await this.runList(command.condition, io);
          if ((condition === 0) === command.until) return status;
          status = await this.runList(command.body, io);
          // A loop whose body never waits would never yield to the client's Ctrl-C.
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      case 'if': {
        for (const branch of command.branches) {
          if ((await this.runList(branch.condition, io)) === 0) return this.runList(branch.body, io);
        }
        return command.otherwise ? this.runList(command.otherwise, io) : 0;
      }
      case 'group':
        return this.withRedirects(command.redirects, io, (redirected) =>
          this.runList(command.body, redirected),
        );
      case 'simple':
        return this.runSimple(command, io);
    }
  }

  private async runSimple(command: Extract<CommandNode, { kind: 'simple' }>, io: ShellIO): Promise<number> {
    const words = (await Promise.all(command.words.map((w) => this.expand(w, io)))).flat();
    const assigned: [string, string][] = [];
    for (const assignment of command.assignments)
      assigned.push([assignment.name, (await this.expand(assignment.value, io, false)).join(' ')]);
    if (!words.length) {
      for (const [name, value] of assigned) this.vars.set(name, value);
      return this.withRedirects(command.redirects, io, async () => 0);
    }
    return this.withRedirects(command.redirects, io, (redirected) =>
      this.execute(words, assigned, redirected),
    );
  }

  /** Runs `fn` with stdin/stdout/stderr sent where the redirections say; 1 when a target cannot be opened. */
  private async withRedirects(
    redirects: Redirect[],
    io: ShellIO,
    fn: (io: ShellIO) => Promise<number>,
  ): Promise<number> {
    const fs = this.inside.fs;
    let current = io;
    const files: { path: string; chunks: Buffer[]; append: boolean }[] = [];
    for (const redirect of redirects) {
      const target = (await this.expand(redirect.target, io, false)).join(' ');
      if (redirect.op === '>&') {
        const to = target === '1' ? current.stdout : current.stderr;
        current = redirect.fd === 2 ? { ...current, stderr: to } : { ...current, stdout: to };
        continue;
      }
      if (target === '/dev/null') {
        if (redirect.fd === 0) current = { ...current, stdin: async () => Buffer.alloc(0) };
        else
          current = redirect.fd === 2 ? { ...current, stderr: () => {} } : { ...current, stdout: () => {} };
        continue;
      }
      if (target === '/dev/stderr' || target === '/dev/stdout') {
        const to = target === '/dev/stdout' ? io.stdout : io.stderr;
        current = redirect.fd === 2 ? { ...current, stderr: to } : { ...current, stdout: to };
        continue;
      }
      const path = normalizePath(target, this.cwd);
      try {
        if (redirect.op === '<') {
          const bytes = fs.read(path);
          current = { ...current, stdin: async () => bytes };
          continue;
        }
        // Open (create or truncate) now, as the shell does before running the command.
        if (redirect.op === '>') fs.write(path, '');
        else if (!fs.lookup(path)) fs.write(path, '');
        else if (fs.isDir(path)) throw new FsError('EISDIR', path);
      } catch (error) {
        if (!(error instanceof FsError)) throw error;
        io.stderr(
          `${this.name}: can't ${redirect.op === '<' ? 'open' : 'create'} ${target}: ${error.message}\n`,
        );
        return 1;
      }
      const sink = { path, chunks: [] as Buffer[], append: true };
      files.push(sink);
      const write: ShellIO['stdout'] = (data) => void sink.chunks.push(Buffer.from(data));
      current = redirect.fd === 2 ? { ...current, stderr: write } : { ...current, stdout: write };
    }
    try {
      return await fn(current);
    } finally {
      for (const sink of files) if (sink.chunks.length) fs.write(sink.path, Buffer.concat(sink.chunks), true);
    }
  }

  /** The fields a word expands to (one unless unquoted expansions split or a glob matches). */
  async expand(word: Word, io: ShellIO, split = true): Promise<string[]> {
    const fields: string[] = [];
    const globs: boolean[] = [];
    let current = '';
    let started = false;
    let glob = false;
    const pushField = () => {
      if (!started) return;
      fields.push(current);
      globs.push(glob);
      current = '';
      started = false;
      glob = false;
    };
    for (const part of word) {
      let value: string;
      if (part.kind === 'text') {
        current += part.text;
        started = true;
        if (!part.quoted && /[*?]/.test(part.text)) glob = true;
        continue;
      }
      if (part.kind === 'var') value = this.variable(part.name);
      else value = (await this.substitute(part.script, io)).replace(/\n+$/, '');
      if (part.quoted || !split) {
        current += value;
        started = true;
        continue;
      }
      const pieces = value.split(/[ \t\n]+/);
      pieces.forEach((piece, index) => {
        if (index > 0) pushField();
        if (piece) {
          current += piece;
          started = true;
        }
      });
    }
    pushField();
    if (!split) return [fields.join('')];
    return fields.flatMap((field, index) => (globs[index] ? this.glob(field) : [field]));
  }

  private variable(name: string): string {
    switch (name) {
      case '?':
        return String(this.status);
      case '$':
        return '1';
      case '#':
        return String(this.positional.length);
      case '@':
      case '*':
        return this.positional.join(' ');
      case '0':
        return this.name;
    }
    if (/^\d+$/.test(name)) return this.positional[Number(name) - 1] ?? '';
    const defaulted = /^([A-Za-z_][A-Za-z0-9_]*):?-(.*)$/.exec(name);
    if (defaulted) return this.vars.get(defaulted[1] as string) || (defaulted[2] as string);
    const length = /^#([A-Za-z_][A-Za-z0-9_]*)$/.exec(name);
    if (length) return String((this.vars.get(length[1] as string) ?? '').length);
    return this.vars.get(name) ?? '';
  }

  private async substitute(script: string, io: ShellIO): Promise<string> {
    const sub = new Shell(this.inside, this.name, this.vars, this.cwd);
    const out: Buffer[] = [];
    try {
      await sub.run(script, { ...io, stdout: (data) => void out.push(Buffer.from(data)) });
    } catch (error) {
      if (!(error instanceof ShellExit)) throw error;
    }
    this.status = sub.status;
    return Buffer.concat(out).toString();
  }

  /** Paths matching a pattern with * and ?, sorted; the pattern itself when nothing matches. */
  private glob(pattern: string): string[] {
    const absolute = pattern.startsWith('/');
    let candidates = [absolute ? '/' : ''];
    for (const segment of pattern.split('/').filter(Boolean)) {
      const next: string[] = [];
      for (const base of candidates) {
        const dir = normalizePath(base || '.', this.cwd);
        if (!/[*?]/.test(segment)) {
          next.push(base ? `${base.replace(/\/$/, '')}/${segment}` : segment);
          continue;
        }
        const regex = new RegExp(
          `^${segment
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '.*')
            .replace(/\?/g, '.')}$`,
        );
        let names: string[] = [];
        try {
          names = this.inside.fs.list(dir);
        } catch {
          names = [];
        }
        for (const name of names)
          if (regex.test(name) && (segment.startsWith('.') || !name.startsWith('.')))
            next.push(base ? `${base.replace(/\/$/, '')}/${name}` : name);
      }
      candidates = next;
    }
    const found = candidates.filter((c) => this.inside.fs.lookup(normalizePath(c || '/', this.cwd)));
    return found.length ? found.sort() : [pattern];
  }

  private async execute(words: string[], assigned: [string, string][], io: ShellIO): Promise<number> {
    const [name, ...args] = words as [string, ...string[]];
    if (BUILTINS.has(name)) return this.builtin(name, args, io);
    const command = findCommand(name, this.inside);
    if (!command) {
      io.stderr(`${this.name}: ${name}: not found\n`);
      return 127;
    }
    const env = this.environment();
    for (const [k, v] of assigned) env.set(k, v);
    const context: CommandContext = {
      name: name.split('/').pop() ?? name,
      args,
      env,
      cwd: this.cwd,
      inside: this.inside,
      stdin: io.stdin,
      stdout: io.stdout,
      stderr: io.stderr,
      signal: io.signal,
      tty: io.tty,
      shell: (script, scriptIO) => this.subshell(script, scriptIO ?? io, env),
    };
    const pid = this.inside.processes.start(words.join(' '));
    try {
      return await command(context);
    } finally {
      this.inside.processes.end(pid);
    }
  }

  /** `sh -c SCRIPT`: a child shell with this one's exported environment. */
  private async subshell(script: string, io: ShellIO, env: Map<string, string>): Promise<number> {
    const child = new Shell(this.inside, 'sh', env, this.cwd);
    try {
      return await child.run(script, io);
    } catch (error) {
      if (error instanceof ShellExit) return error.code;
      throw error;
    }
  }

  private async builtin(name: string, args: string[], io: ShellIO): Promise<number> {
    switch (name) {
      case 'cd': {
        const target = normalizePath(args[0] ?? this.vars.get('HOME') ?? '/', this.cwd);
        if (!this.inside.fs.lookup(target)) {
          io.stderr(`${this.name}: cd: can't cd to ${args[0]}: No such file or directory\n`);
          return 2;
        }
        if (!this.inside.fs.isDir(target)) {
          io.stderr(`${this.name}: cd: can't cd to ${args[0]}: Not a directory\n`);
          return 2;
        }
        this.cwd = target;
        this.vars.set('PWD', target);
        return 0;
      }
      case 'export':
        for (const arg of args) {
          const [key, ...value] = arg.split('=');
          if (value.length) this.vars.set(key as string, value.join('='));
          this.exported.add(key as string);
        }
        if (!args.length)
          for (const [k, v] of this.environment()) io.stdout(`export ${k}='${v.replace(/'/g, `'"'"'`)}'\n`);
        return 0;
      case 'unset':
        for (const arg of args) {
          this.vars.delete(arg);
          this.exported.delete(arg);
        }
        return 0;
      case 'exit': {
        const code = args[0] === undefined ? this.status : Number(args[0]);
        if (!Number.isInteger(code)) {
          io.stderr(`${this.name}: exit: Illegal number: ${args[0]}\n`);
          throw new ShellExit(2);
        }
        throw new ShellExit(code & 0xff);
      }
      case 'set':
        if (!args.length) for (const [k, v] of this.vars) io.stdout(`${k}='${v}'\n`);
        return 0;
      case 'shift':
        this.positional = this.positional.slice(Number(args[0] ?? 1));
        return 0;
      case 'read': {
        const input = (await io.stdin()).toString();
        const line = input.split('\n')[0] ?? '';
        const names = args.filter((a) => !a.startsWith('-'));
        const values = line.trim().split(/\s+/);
        names.forEach((n, i) =>
          this.vars.set(n, i === names.length - 1 ? values.slice(i).join(' ') : (values[i] ?? '')),
        );
        return input ? 0 : 1;
      }
      case 'source':
      case '.': {
        const path = normalizePath(args[0] ?? '', this.cwd);
        try {
          return await this.run(this.inside.fs.read(path).toString(), io);
        } catch (error) {
          if (!(error instanceof FsError)) throw error;
          io.stderr(`${this.name}: .: can't open '${args[0]}'\n`);
          return 2;
        }
      }
      case 'false':
        return 1;
      default:
        return 0;
    }
  }

  setPositional(args: string[]): void {
    this.positional = args;
  }
}
