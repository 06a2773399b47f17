// The commands a container has: busybox's set everywhere (the sandbox is lenient: lessons use wget in nginx and
// curl in busybox), bash only in images that ship it, and `sh -c`.
import type { ContainerInside } from '../inside.ts';
import { BUSYBOX_IMAGES } from '../image-files.ts';
import { FILE_COMMANDS } from './files.ts';
import { NET_COMMANDS } from './net.ts';
import { SYSTEM_COMMANDS } from './system.ts';
import { TAR_COMMANDS } from './tar.ts';
import { ETCD_COMMANDS } from './etcdctl.ts';
import type { CommandRun } from './types.ts';

/** `sh -c SCRIPT`, `sh SCRIPT-FILE` or `sh` reading its script from stdin. */
const shell: CommandRun = async (context) => {
  const dashC = context.args.indexOf('-c');
  if (dashC >= 0) return context.shell(context.args[dashC + 1] ?? '');
  const file = context.args.find((a) => !a.startsWith('-'));
  if (file) {
    const node = context.inside.fs.lookup(file.startsWith('/') ? file : `${context.cwd}/${file}`);
    if (!node || node.type !== 'file') {
      context.stderr(`${context.name}: can't open '${file}': No such file or directory\n`);
      return 2;
    }
    return context.shell(node.data.toString());
  }
  return context.shell((await context.stdin()).toString());
};

const COMMANDS: Record<string, CommandRun> = {
  ...FILE_COMMANDS,
  ...SYSTEM_COMMANDS,
  ...NET_COMMANDS,
  ...TAR_COMMANDS,
  sh: shell,
  ash: shell,
};

/** The command `name` runs in this container (a path such as /bin/ls finds ls), or undefined. */
export function findCommand(name: string, inside: ContainerInside): CommandRun | undefined {
  const base = name.includes('/') ? (name.split('/').pop() ?? '') : name;
  if (name.includes('/') && !/^\/(usr\/)?(local\/)?s?bin\//.test(name)) return undefined;
  if (base === 'bash') return BUSYBOX_IMAGES.has(inside.image) ? undefined : shell;
  // etcdctl and etcdutl ship only in the etcd image.
  if (base in ETCD_COMMANDS) return inside.image === 'etcd' ? ETCD_COMMANDS[base] : undefined;
  return COMMANDS[base];
}
