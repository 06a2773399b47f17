// tar as `kubectl cp` runs it: `tar cf - PATH` writes a ustar archive of the container's files to stdout, and
// `tar xmf - -C DIR` unpacks the archive kubectl sends on stdin (ustar, PAX and GNU long names as Go writes them).
import { FsError, normalizePath } from '../filesystem.ts';
import type { CommandContext, CommandRun } from './types.ts';

const BLOCK = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, type: '0' | '5', size: number, mode: number, mtime: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  let stored = name;
  let prefix = '';
  if (Buffer.byteLength(stored) > 100) {
    // ustar keeps a long name's directories in the 155-byte prefix field.
    const split = stored.indexOf('/', stored.length - 101);
    prefix = stored.slice(0, split);
    stored = stored.slice(split + 1);
  }
  block.write(stored, 0, 100, 'utf8');
  block.write(octal(mode & 0o7777, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(Math.floor(mtime / 1000), 12), 136, 'ascii');
  block.write('        ', 148, 'ascii');
  block.write(type, 156, 'ascii');
  block.write('ustar\u000000', 257, 'ascii');
  block.write('root', 265, 'ascii');
  block.write('root', 297, 'ascii');
  block.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

const padding = (size: number) => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

function archive(context: CommandContext, operands: string[], base: string): Buffer {
  const fs = context.inside.fs;
  const parts: Buffer[] = [];
  const add = (path: string, name: string) => {
    const node = fs.lookup(path);
    if (!node) throw new FsError('ENOENT', name);
    if (node.type === 'dir') {
      parts.push(header(`${name.replace(/\/$/, '')}/`, '5', 0, node.mode, node.mtime));
      for (const child of fs.list(path))
        add(normalizePath(child, path), `${name.replace(/\/$/, '')}/${child}`);
      return;
    }
    parts.push(
      header(name, '0', node.data.length, node.mode, node.mtime),
      node.data,
      padding(node.data.length),
    );
  };
  for (const operand of operands) {
    if (operand.startsWith('/') && operand !== '/')
      context.stderr("tar: removing leading '/' from member names\n");
    add(normalizePath(operand, base), operand.replace(/^\/+/, '') || '.');
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

const field = (block: Buffer, start: number, length: number) =>
  block
    .subarray(start, start + length)
    .toString('utf8')
    .replace(/\0.*$/s, '');

/** PAX extended header records: "LEN key=value\n". */
function paxRecords(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const length = Number(data.subarray(at, space).toString());
    if (!length) break;
    const record = data.subarray(space + 1, at + length - 1).toString();
    const equals = record.indexOf('=');
    records[record.slice(0, equals)] = record.slice(equals + 1);
    at += length;
  }
  return records;
}

function extract(context: CommandContext, bytes: Buffer, base: string, list: boolean): void {
  const fs = context.inside.fs;
  let at = 0;
  let longName: string | undefined;
  while (at + BLOCK <= bytes.length) {
    const block = bytes.subarray(at, at + BLOCK);
    if (block.every((b) => b === 0)) break;
    const size = parseInt(field(block, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(block[156] ?? 0x30);
    const prefix = field(block, 345, 155);
    const data = bytes.subarray(at + BLOCK, at + BLOCK + size);
    at += BLOCK + size + padding(size).length;
    if (type === 'x' || type === 'L') {
      longName = type === 'x' ? paxRecords(data).path : data.toString().replace(/\0.*$/s, '');
      continue;
    }
    if (type === 'g') continue;
    const name = longName ?? (prefix ? `${prefix}/${field(block, 0, 100)}` : field(block, 0, 100));
    longName = undefined;
    if (list) {
      context.stdout(`${name}\n`);
      continue;
    }
    const path = normalizePath(name, base);
    if (type === '5') fs.mkdir(path, true);
    else if (type === '0' || type === '\0' || type === '7') {
      const parent = normalizePath('..', path);
      if (!fs.lookup(parent)) fs.mkdir(parent, true);
      fs.write(path, Buffer.from(data));
    }
  }
}

const tar: CommandRun = async (context) => {
  const args = [...context.args];
  // The first word's flags may come without a dash (tar cf -), as in every tar.
  if (args[0] && !args[0].startsWith('-')) args[0] = `-${args[0]}`;
  let mode: 'c' | 'x' | 't' | undefined;
  let file: string | undefined;
  let directory = context.cwd;
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '-C' || arg === '--directory') {
      directory = normalizePath(args[++i] ?? '.', context.cwd);
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      operands.push(arg);
      continue;
    }
    for (const flag of arg.slice(1)) {
      if (flag === 'c' || flag === 'x' || flag === 't') mode = flag;
      else if (flag === 'f') file = args[++i];
      else if (flag === 'z') {
        context.stderr('tar: gzip compression is not available in this container\n');
        return 1;
      }
    }
  }
  if (!mode) {
    context.stderr('tar: must specify one of -c, -t, -x\n');
    return 1;
  }
  try {
    if (mode === 'c') {
      const bytes = archive(context, operands, directory);
      if (!file || file === '-') context.stdout(bytes);
      else context.inside.fs.write(normalizePath(file, context.cwd), bytes);
      return 0;
    }
    const input =
      !file || file === '-'
        ? await context.stdin()
        : context.inside.fs.read(normalizePath(file, context.cwd));
    extract(context, input, directory, mode === 't');
    return 0;
  } catch (error) {
    if (!(error instanceof FsError)) throw error;
    context.stderr(`tar: ${error.path}: ${error.message}\n`);
    return 1;
  }
};

export const TAR_COMMANDS: Record<string, CommandRun> = { tar };
