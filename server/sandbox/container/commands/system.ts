// Commands about the process and the machine: echo, printf, env, printenv, hostname, ps, sleep, date, seq, test.
import { BUSYBOX_IMAGES } from '../image-files.ts';
import { flagsOf } from './files.ts';
import type { CommandContext, CommandRun } from './types.ts';

const backslashEscapes = (text: string) =>
  text.replace(/\\(n|t|\\|c)/g, (_all, c: string) => ({ n: '\n', t: '\t', '\\': '\\', c: '' })[c] ?? c);

const echo: CommandRun = (context) => {
  let args = context.args;
  let newline = true;
  let escapes = false;
  while (args[0] && /^-[ne]+$/.test(args[0])) {
    if (args[0].includes('n')) newline = false;
    if (args[0].includes('e')) escapes = true;
    args = args.slice(1);
  }
  const text = args.join(' ');
  context.stdout(`${escapes ? backslashEscapes(text) : text}${newline ? '\n' : ''}`);
  return 0;
};

const printf: CommandRun = (context) => {
  const [format = '', ...values] = context.args;
  let index = 0;
  let out = '';
  // The format is reused while arguments remain, as printf(1) does.
  do {
    out += backslashEscapes(format).replace(/%([-0-9.]*)([sdiu%])/g, (_all, width: string, kind: string) => {
      if (kind === '%') return '%';
      const value = values[index++] ?? '';
      const text = kind === 's' ? value : String(Math.trunc(Number(value) || 0));
      const size = Number(width.replace('-', '')) || 0;
      return width.startsWith('-') ? text.padEnd(size) : text.padStart(size);
    });
  } while (index < values.length && /%[sdiu]/.test(format));
  context.stdout(out);
  return 0;
};

const env: CommandRun = (context) => {
  const { operands } = flagsOf(context.args);
  const assignments = operands.filter((o) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(o));
  const command = operands.slice(assignments.length);
  const vars = new Map(context.env);
  for (const assignment of assignments) {
    const [key, ...value] = assignment.split('=');
    vars.set(key as string, value.join('='));
  }
  if (command.length) {
    const quoted = command.map((w) => `'${w.replace(/'/g, `'"'"'`)}'`).join(' ');
    const prefix = assignments.map((a) => `'${a.replace(/'/g, `'"'"'`)}'`).join(' ');
    return context.shell(prefix ? `${prefix} ${quoted}` : quoted);
  }
  context.stdout([...vars].map(([k, v]) => `${k}=${v}\n`).join(''));
  return 0;
};

const printenv: CommandRun = (context) => {
  if (!context.args.length) return env(context);
  let status = 0;
  for (const name of context.args) {
    const value = context.env.get(name);
    if (value === undefined) status = 1;
    else context.stdout(`${value}\n`);
  }
  return status;
};

const hostname: CommandRun = (context) => {
  if (context.args.includes('-i')) {
    const ip = (context.inside.pod().status as { podIP?: string } | undefined)?.podIP ?? '';
    context.stdout(`${ip}\n`);
  } else context.stdout(`${context.inside.hostname}\n`);
  return 0;
};

const minutes = (ms: number) => {
  const total = Math.floor(ms / 60_000);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
};

const ps: CommandRun = (context) => {
  const now = context.inside.clock.now();
  const processes = context.inside.processes.list();
  if (BUSYBOX_IMAGES.has(context.inside.image)) {
    const rows = processes.map(
      (p) => `${String(p.pid).padStart(5)} root      ${minutes(now - p.startedAt)} ${p.command}`,
    );
    context.stdout(`PID   USER     TIME  COMMAND\n${rows.join('\n')}\n`);
    return 0;
  }
  const rows = processes.map(
    (p) =>
      `${String(p.pid).padStart(7)} ?        00:00:00 ${p.command.split(' ')[0]?.split('/').pop() ?? ''}`,
  );
  context.stdout(`    PID TTY          TIME CMD\n${rows.join('\n')}\n`);
  return 0;
};

/** Waits `ms` on the sandbox's clock; false when aborted first. */
export function pause(context: CommandContext, ms: number): Promise<boolean> {
  const clock = context.inside.clock;
  return new Promise((resolve) => {
    if (context.signal.aborted) return resolve(false);
    const onAbort = () => {
      clock.clearTimeout(handle);
      resolve(false);
    };
    const handle = clock.setTimeout(() => {
      context.signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    context.signal.addEventListener('abort', onAbort, { once: true });
  });
}

const sleep: CommandRun = async (context) => {
  const arg = context.args[0];
  const match = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(arg ?? '');
  if (arg === 'infinity') return (await pause(context, 2 ** 31 - 1)) ? 0 : 130;
  if (!match) {
    context.stderr(`sleep: invalid number '${arg ?? ''}'\n`);
    return 1;
  }
  const unit = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as string] ?? 1000;
  return (await pause(context, Number(match[1]) * unit)) ? 0 : 130;
};

const date: CommandRun = (context) => {
  const now = new Date(context.inside.clock.now());
  const format = context.args.find((a) => a.startsWith('+'));
  if (format) {
    const pad = (n: number) => String(n).padStart(2, '0');
    const fields: Record<string, string> = {
      Y: String(now.getUTCFullYear()),
      m: pad(now.getUTCMonth() + 1),
      d: pad(now.getUTCDate()),
      H: pad(now.getUTCHours()),
      M: pad(now.getUTCMinutes()),
      S: pad(now.getUTCSeconds()),
      s: String(Math.floor(now.getTime() / 1000)),
      T: now.toISOString().slice(11, 19),
      F: now.toISOString().slice(0, 10),
    };
    context.stdout(`${format.slice(1).replace(/%([A-Za-z])/g, (all, c: string) => fields[c] ?? all)}\n`);
    return 0;
  }
  context.stdout(
    `${now.toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5 UTC $4')}\n`,
  );
  return 0;
};

const seq: CommandRun = (context) => {
  const numbers = context.args.map(Number);
  const [first, step, last] =
    numbers.length === 1
      ? [1, 1, numbers[0] ?? 0]
      : numbers.length === 2
        ? [numbers[0] ?? 1, 1, numbers[1] ?? 0]
        : (numbers as [number, number, number]);
  const out: string[] = [];
  for (let n = first; step > 0 ? n <= last : n >= last; n += step) out.push(String(n));
  if (out.length) context.stdout(`${out.join('\n')}\n`);
  return 0;
};

/** test / [ : the file, string and integer tests scripts use. */
const test: CommandRun = (context) => {
  const args = context.name === '[' ? context.args.slice(0, -1) : context.args;
  if (context.name === '[' && context.args[context.args.length - 1] !== ']') {
    context.stderr('[: missing ]\n');
    return 2;
  }
  const fs = context.inside.fs;
  const path = (p: string) => (p.startsWith('/') ? p : `${context.cwd}/${p}`);
  const evaluate = (words: string[]): boolean => {
    if (words[0] === '!') return !evaluate(words.slice(1));
    if (words.length === 1) return words[0] !== '';
    if (words.length === 2) {
      const [op, operand = ''] = words;
      switch (op) {
        case '-z':
          return operand === '';
        case '-n':
          return operand !== '';
        case '-e':
          return Boolean(fs.lookup(path(operand)));
        case '-f':
          return fs.lookup(path(operand))?.type === 'file';
        case '-d':
          return fs.isDir(path(operand));
        case '-s':
          return (
            (fs.lookup(path(operand)) as { data?: Buffer } | undefined)?.data?.length !== undefined &&
            (fs.lookup(path(operand)) as { data: Buffer }).data.length > 0
          );
      }
    }
    const [left = '', op, right = ''] = words;
    switch (op) {
      case '=':
      case '==':
        return left === right;
      case '!=':
        return left !== right;
      case '-eq':
        return Number(left) === Number(right);
      case '-ne':
        return Number(left) !== Number(right);
      case '-lt':
        return Number(left) < Number(right);
      case '-le':
        return Number(left) <= Number(right);
      case '-gt':
        return Number(left) > Number(right);
      case '-ge':
        return Number(left) >= Number(right);
    }
    return false;
  };
  return evaluate(args) ? 0 : 1;
};

const uname: CommandRun = (context) => {
  context.stdout(
    context.args.includes('-a')
      ? `Linux ${context.inside.hostname} 6.8.0-60-generic #63-Ubuntu SMP x86_64 GNU/Linux\n`
      : 'Linux\n',
  );
  return 0;
};

export const SYSTEM_COMMANDS: Record<string, CommandRun> = {
  echo,
  printf,
  env,
  printenv,
  hostname,
  ps,
  sleep,
  date,
  seq,
  test,
  '[': test,
  uname,
  whoami: (context) => (context.stdout('root\n'), 0),
  id: (context) => (context.stdout('uid=0(root) gid=0(root) groups=0(root)\n'), 0),
  clear: (context) => (context.stdout('\x1b[H\x1b[J'), 0),
};
