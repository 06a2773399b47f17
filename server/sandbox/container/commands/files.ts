// File commands as busybox prints them: cat, ls, mkdir, touch, rm, cp, mv, pwd, head, tail, wc, grep.
import { FsError, normalizePath } from '../filesystem.ts';
import type { CommandContext, CommandRun } from './types.ts';

/** Splits `-la`-style flags from operands; `--` ends the flags. */
export function flagsOf(args: string[]): { flags: Set<string>; operands: string[] } {
  const flags = new Set<string>();
  const operands: string[] = [];
  let done = false;
  for (const arg of args) {
    if (!done && arg === '--') done = true;
    else if (!done && /^-[A-Za-z0-9]+$/.test(arg)) for (const c of arg.slice(1)) flags.add(c);
    else operands.push(arg);
  }
  return { flags, operands };
}

const pathOf = (context: CommandContext, path: string) => normalizePath(path, context.cwd);

/** Runs `fn` on each operand, printing busybox's `name: path: reason` for each failure; 1 if any failed. */
function eachPath(
  context: CommandContext,
  operands: string[],
  fn: (path: string, given: string) => void,
): number {
  let status = 0;
  for (const given of operands) {
    try {
      fn(pathOf(context, given), given);
    } catch (error) {
      if (!(error instanceof FsError)) throw error;
      context.stderr(`${context.name}: ${given}: ${error.message}\n`);
      status = 1;
    }
  }
  return status;
}

const cat: CommandRun = async (context) => {
  const { operands } = flagsOf(context.args);
  if (!operands.length || (operands.length === 1 && operands[0] === '-')) {
    context.stdout(await context.stdin());
    return 0;
  }
  let status = 0;
  for (const given of operands) {
    try {
      context.stdout(context.inside.fs.read(pathOf(context, given)));
    } catch (error) {
      if (!(error instanceof FsError)) throw error;
      context.stderr(`cat: can't open '${given}': ${error.message}\n`);
      status = 1;
    }
  }
  return status;
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function modeText(type: 'dir' | 'file', mode: number): string {
  const bits = 'rwxrwxrwx'
    .split('')
    .map((c, i) => (mode & (1 << (8 - i)) ? c : '-'))
    .join('');
  return `${type === 'dir' ? 'd' : '-'}${bits}`;
}
function timeText(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

const ls: CommandRun = (context) => {
  const { flags, operands } = flagsOf(context.args);
  const fs = context.inside.fs;
  const targets = operands.length ? operands : ['.'];
  const long = flags.has('l');
  const all = flags.has('a') || flags.has('A');
  const onePerLine = long || flags.has('1') || !context.tty;
  let status = 0;
  const line = (name: string, path: string) => {
    const node = fs.lookup(path);
    if (!long || !node) return name;
    const size = node.type === 'file' ? node.data.length : 4096;
    return `${modeText(node.type, node.mode)}    1 root     root     ${String(size).padStart(8)} ${timeText(node.mtime)} ${name}`;
  };
  const format = (lines: string[]) => (onePerLine ? lines.join('\n') : lines.join('  '));
  // As ls does: the file operands first, together, then each directory's entries under its name.
  const files: string[] = [];
  const dirs: string[] = [];
  for (const given of targets) {
    const path = pathOf(context, given);
    const node = fs.lookup(path);
    if (!node) {
      context.stderr(`ls: ${given}: No such file or directory\n`);
      status = 1;
    } else if (node.type === 'file' || flags.has('d')) files.push(line(given, path));
    else {
      const names = fs.list(path).filter((n) => all || !n.startsWith('.'));
      const entries = (flags.has('a') ? ['.', '..'] : []).concat(names);
      const header = targets.length > 1 ? `${given}:\n` : '';
      const total = long ? `total ${names.length * 4}\n` : '';
      dirs.push(
        `${header}${total}${format(entries.map((n) => line(n, normalizePath(n, path))))}`.replace(/\n$/, ''),
      );
    }
  }
  const blocks = [...(files.length ? [format(files)] : []), ...dirs].filter((b) => b !== '');
  if (blocks.length) context.stdout(`${blocks.join('\n\n')}\n`);
  return status;
};

const mkdir: CommandRun = (context) => {
  const { flags, operands } = flagsOf(context.args);
  if (!operands.length) {
    context.stderr('BusyBox v1.37.0 multi-call binary.\n\nUsage: mkdir [-m MODE] [-p] DIRECTORY...\n');
    return 1;
  }
  let status = 0;
  for (const given of operands) {
    try {
      context.inside.fs.mkdir(pathOf(context, given), flags.has('p'));
    } catch (error) {
      if (!(error instanceof FsError)) throw error;
      context.stderr(`mkdir: can't create directory '${given}': ${error.message}\n`);
      status = 1;
    }
  }
  return status;
};

const touch: CommandRun = (context) => {
  const { operands } = flagsOf(context.args);
  let status = 0;
  for (const given of operands) {
    try {
      context.inside.fs.touch(pathOf(context, given));
    } catch (error) {
      if (!(error instanceof FsError)) throw error;
      context.stderr(`touch: ${given}: ${error.message}\n`);
      status = 1;
    }
  }
  return status;
};

const rm: CommandRun = (context) => {
  const { flags, operands } = flagsOf(context.args);
  const force = flags.has('f');
  const recursive = flags.has('r') || flags.has('R');
  let status = 0;
  for (const given of operands) {
    const path = pathOf(context, given);
    try {
      if (!context.inside.fs.lookup(path) && force) continue;
      if (context.inside.fs.isDir(path) && !recursive) {
        context.stderr(`rm: '${given}' is a directory\n`);
        status = 1;
        continue;
      }
      context.inside.fs.remove(path, recursive);
    } catch (error) {
      if (!(error instanceof FsError)) throw error;
      context.stderr(`rm: can't remove '${given}': ${error.message}\n`);
      status = 1;
    }
  }
  return status;
};

function copy(context: CommandContext, move: boolean): number {
  const { flags, operands } = flagsOf(context.args);
  const fs = context.inside.fs;
  const target = operands.pop();
  if (!target || !operands.length) {
    context.stderr(`${context.name}: missing destination file operand\n`);
    return 1;
  }
  const targetPath = pathOf(context, target);
  const toDir = fs.isDir(targetPath);
  return eachPath(context, operands, (path, given) => {
    const node = fs.lookup(path);
    if (!node) throw new FsError('ENOENT', given);
    if (node.type === 'dir' && !flags.has('r') && !flags.has('R') && !flags.has('a') && !move) {
      context.stderr(`${context.name}: omitting directory '${given}'\n`);
      return;
    }
    const destination = toDir ? normalizePath(path.split('/').pop() ?? '', targetPath) : targetPath;
    copyTree(context, path, destination);
    if (move) fs.remove(path, true);
  });
}

function copyTree(context: CommandContext, from: string, to: string): void {
  const fs = context.inside.fs;
  if (!fs.isDir(from)) return fs.write(to, fs.read(from));
  fs.mkdir(to, true);
  for (const name of fs.list(from)) copyTree(context, normalizePath(name, from), normalizePath(name, to));
}

const pwd: CommandRun = (context) => {
  context.stdout(`${context.cwd}\n`);
  return 0;
};

/** The lines of the operand files, or of stdin when there are none. */
async function inputText(context: CommandContext, operands: string[]): Promise<string | undefined> {
  if (!operands.length) return (await context.stdin()).toString();
  try {
    return operands.map((o) => context.inside.fs.read(pathOf(context, o)).toString()).join('');
  } catch (error) {
    if (!(error instanceof FsError)) throw error;
    context.stderr(`${context.name}: ${error.path}: ${error.message}\n`);
    return undefined;
  }
}

function countOption(args: string[]): { count: number; rest: string[] } {
  const rest: string[] = [];
  let count = 10;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '-n') count = Number(args[++i]);
    else if (/^-n?\d+$/.test(arg)) count = Number(arg.replace(/^-n?/, ''));
    else rest.push(arg);
  }
  return { count, rest };
}

const headOrTail =
  (fromEnd: boolean): CommandRun =>
  async (context) => {
    const { count, rest } = countOption(context.args);
    const text = await inputText(context, rest);
    if (text === undefined) return 1;
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const chosen = fromEnd ? lines.slice(Math.max(0, lines.length - count)) : lines.slice(0, count);
    if (chosen.length) context.stdout(`${chosen.join('\n')}\n`);
    return 0;
  };

const wc: CommandRun = async (context) => {
  const { flags, operands } = flagsOf(context.args);
  const text = await inputText(context, operands);
  if (text === undefined) return 1;
  const lines = (text.match(/\n/g) ?? []).length;
  const words = text.split(/\s+/).filter(Boolean).length;
  const counts = flags.size
    ? [
        flags.has('l') ? lines : undefined,
        flags.has('w') ? words : undefined,
        flags.has('c') ? text.length : undefined,
      ]
    : [lines, words, Buffer.byteLength(text)];
  const shown = counts.filter((n): n is number => n !== undefined);
  context.stdout(
    `${shown.map((n) => String(n).padStart(flags.size === 1 ? 0 : 7)).join(' ')}${operands.length ? ` ${operands.join(' ')}` : ''}\n`,
  );
  return 0;
};

const grep: CommandRun = async (context) => {
  const { flags, operands } = flagsOf(context.args);
  const pattern = operands.shift();
  if (pattern === undefined) {
    context.stderr(
      'BusyBox v1.37.0 multi-call binary.\n\nUsage: grep [-HhnlLoqvsrRiwFE] PATTERN/-e PATTERN.../-f FILE [FILE]...\n',
    );
    return 2;
  }
  const text = await inputText(context, operands);
  if (text === undefined) return 2;
  const regex = new RegExp(
    flags.has('F') ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : pattern,
    flags.has('i') ? 'i' : '',
  );
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const matched = lines.filter((l) => regex.test(l) !== flags.has('v'));
  if (flags.has('c')) context.stdout(`${matched.length}\n`);
  else if (!flags.has('q') && matched.length) context.stdout(`${matched.join('\n')}\n`);
  return matched.length ? 0 : 1;
};

export const FILE_COMMANDS: Record<string, CommandRun> = {
  cat,
  ls,
  mkdir,
  touch,
  rm,
  cp: (context) => copy(context, false),
  mv: (context) => copy(context, true),
  pwd,
  head: headOrTail(false),
  tail: headOrTail(true),
  wc,
  grep,
};
