// etcdctl in the etcd pod: the cluster's objects under the keys the apiserver stores them at
// (/registry/pods/default/hello, /registry/minions/worker-1, …), so a lesson can show where `kubectl apply` ends up.
import { createHash } from 'node:crypto';
import { resources } from '../../registry/resources.ts';
import { FsError, normalizePath } from '../filesystem.ts';
import type { KubeObject } from '../../types.ts';
import { flagsOf } from './files.ts';
import type { CommandContext, CommandRun } from './types.ts';

/** Where the apiserver keeps a resource, where it differs from the resource's plural name. */
const STORAGE_PREFIX: Record<string, string> = {
  nodes: 'minions',
  services: 'services/specs',
  endpoints: 'services/endpoints',
  ingresses: 'ingress',
  replicationcontrollers: 'controllers',
};

function storedObjects(context: CommandContext): { key: string; object: KubeObject }[] {
  const seen = new Set<string>();
  const stored: { key: string; object: KubeObject }[] = [];
  for (const info of resources) {
    const id = `${info.group}/${info.resource}`;
    if (seen.has(id) || !info.verbs.includes('list')) continue;
    seen.add(id);
    const prefix = STORAGE_PREFIX[info.resource] ?? info.resource;
    for (const object of context.inside.client.list({ group: info.group, resource: info.resource }).items) {
      const { namespace, name } = object.metadata;
      stored.push({ key: `/registry/${prefix}/${namespace ? `${namespace}/` : ''}${name}`, object });
    }
  }
  return stored.sort((a, b) => a.key.localeCompare(b.key));
}

const ETCD_VERSION = '3.6.5';

/** A snapshot file: the keys and values at one revision (the sandbox's stand-in for etcd's bbolt file). */
interface Snapshot {
  revision: number;
  keys: { key: string; value: unknown }[];
}

/** Sizes as etcd prints them (go-humanize): 1000-based, one decimal under 10. */
function humanBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 || value >= 10 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

function saveSnapshot(context: CommandContext, path: string | undefined): number {
  if (!path) {
    context.stderr('Error: snapshot save expects one argument\n');
    return 1;
  }
  const stored = storedObjects(context);
  const revision = Math.max(0, ...stored.map((s) => Number(s.object.metadata.resourceVersion) || 0));
  const snapshot: Snapshot = { revision, keys: stored.map(({ key, object }) => ({ key, value: object })) };
  const target = normalizePath(path, context.cwd);
  try {
    context.inside.fs.write(target, JSON.stringify(snapshot));
  } catch (error) {
    if (!(error instanceof FsError)) throw error;
    context.stderr(`Error: could not open ${target}.part (open ${target}.part: no such file or directory)\n`);
    return 5;
  }
  context.stdout(`Snapshot saved at ${target}\n`);
  return 0;
}

/** etcdutl snapshot status: the snapshot's hash, revision, key count, size and storage version. */
const etcdutl: CommandRun = (context) => {
  const format = context.args.find((a) => a.startsWith('--write-out='))?.split('=')[1] ?? 'simple';
  const [verb, sub, path] = context.args.filter((a) => !a.startsWith('--'));
  if (verb !== 'snapshot' || sub !== 'status' || !path) {
    context.stderr(`Error: unknown command "${[verb, sub].filter(Boolean).join(' ')}" for "etcdutl"\n`);
    return 1;
  }
  let data: Buffer;
  let snapshot: Snapshot;
  try {
    data = context.inside.fs.read(normalizePath(path, context.cwd));
    snapshot = JSON.parse(data.toString()) as Snapshot;
  } catch (error) {
    if (!(error instanceof FsError) && !(error instanceof SyntaxError)) throw error;
    context.stderr(`Error: snapshot file ${path} is not a valid etcd snapshot\n`);
    return 1;
  }
  const row = [
    createHash('sha256').update(data).digest('hex').slice(0, 8),
    String(snapshot.revision),
    String(snapshot.keys.length),
    humanBytes(data.length),
    ETCD_VERSION.replace(/\.\d+$/, '.0'),
  ];
  if (format !== 'table') {
    context.stdout(`${row.join(', ')}\n`);
    return 0;
  }
  const headers = ['HASH', 'REVISION', 'TOTAL KEYS', 'TOTAL SIZE', 'VERSION'];
  const widths = headers.map((h, i) => Math.max(h.length, (row[i] ?? '').length) + 2);
  const line = `+${widths.map((w) => '-'.repeat(w)).join('+')}+\n`;
  const centred = headers.map((h, i) => {
    const room = (widths[i] ?? 0) - h.length;
    return ' '.repeat(Math.ceil(room / 2)) + h + ' '.repeat(Math.floor(room / 2));
  });
  const cells = row.map((cell, i) => `${cell.padStart((widths[i] ?? 0) - 1)} `);
  context.stdout(`${line}|${centred.join('|')}|\n${line}|${cells.join('|')}|\n${line}`);
  return 0;
};

const etcdctl: CommandRun = (context) => {
  // Connection flags (--endpoints, --cacert, --cert, --key) name the local member: nothing to do with them here.
  const words = context.args.filter(
    (a) => !/^--(endpoints|cacert|cert|key|user|password|command-timeout|write-out)=/.test(a),
  );
  const options = new Set(words.filter((w) => w.startsWith('--')));
  const { operands } = flagsOf(words.filter((w) => !w.startsWith('--')));
  const [verb, ...rest] = operands;
  const member = context.inside.pod().spec as { nodeName?: string };
  const ip = (context.inside.pod().status as { podIP?: string } | undefined)?.podIP ?? '127.0.0.1';
  switch (verb) {
    case 'version':
      context.stdout(`etcdctl version: ${ETCD_VERSION}\nAPI version: 3.6\n`);
      return 0;
    case 'snapshot':
      if (rest[0] === 'save') return saveSnapshot(context, rest[1]);
      break;
    case 'endpoint':
      if (rest[0] === 'health') {
        context.stdout(`127.0.0.1:2379 is healthy: successfully committed proposal: took = 1.23ms\n`);
        return 0;
      }
      break;
    case 'member':
      if (rest[0] === 'list') {
        context.stdout(
          `8e9e05c52164694d, started, ${member.nodeName ?? 'controlplane'}, https://${ip}:2380, https://${ip}:2379, false\n`,
        );
        return 0;
      }
      break;
    case 'get': {
      const key = rest[0] ?? '';
      const matching = storedObjects(context).filter((s) =>
        options.has('--prefix') ? s.key.startsWith(key) : s.key === key,
      );
      const limit = [...context.args].find((a) => a.startsWith('--limit='));
      const shown = limit ? matching.slice(0, Number(limit.split('=')[1])) : matching;
      for (const { key: found, object } of shown) {
        if (options.has('--keys-only')) context.stdout(`${found}\n\n`);
        else context.stdout(`${found}\n${JSON.stringify(object)}\n`);
      }
      return 0;
    }
  }
  context.stderr(`Error: unknown command "${verb ?? ''}" for "etcdctl"\nRun 'etcdctl --help' for usage.\n`);
  return 1;
};

export const ETCD_COMMANDS: Record<string, CommandRun> = { etcdctl, etcdutl };
