// etcdctl in the etcd pod: the cluster's objects under the keys the apiserver stores them at
// (/registry/pods/default/hello, /registry/minions/worker-1, …), so a lesson can show where `kubectl apply` ends up.
import { resources } from '../../registry/resources.ts';
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
      context.stdout('etcdctl version: 3.6.5\nAPI version: 3.6\n');
      return 0;
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

export const ETCD_COMMANDS: Record<string, CommandRun> = { etcdctl };
