// `kubewars node stop|start NAME`: pull a sandbox worker's plug (NotReady, its pods evicted) and plug it back in,
// through the sandbox's own Kube Wars API with the kubeconfig's server, CA and credentials.
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { RequestOptions } from 'node:https';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadKubeConfig } from './cluster.ts';
import { UserError } from './errors.ts';
import { NODE_POWER_HEADER, nodePowerPath } from './sandbox/api/node-power.ts';
import type { NodePowerReply } from './sandbox/api/node-power.ts';

const requestTimeoutMs = 15_000;

interface Answer {
  status: number;
  fromSandbox: boolean;
  body: string;
}

/**
 * KUBECONFIG when set, so the node stopped is on the cluster kubectl is watching; otherwise the sandbox's own
 * kubeconfig in the working directory (what `kubewars start` writes); otherwise kubectl's default file.
 */
export function defaultNodeKubeconfig(cwd: string, env: NodeJS.ProcessEnv): string | undefined {
  if (env.KUBECONFIG) return undefined;
  const sandbox = join(cwd, '.kubewars/sandbox.kubeconfig');
  return existsSync(sandbox) ? sandbox : undefined;
}

async function post(server: string, path: string, apply: (options: RequestOptions) => Promise<void>) {
  const url = new URL(path, server.endsWith('/') ? server : `${server}/`);
  const options: RequestOptions = { method: 'POST', headers: {}, timeout: requestTimeoutMs };
  await apply(options);
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise<Answer>((resolveAnswer, reject) => {
    const req = send(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolveAnswer({
          status: res.statusCode ?? 0,
          fromSandbox: res.headers[NODE_POWER_HEADER] !== undefined,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${requestTimeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end();
  });
}

const messageOf = (body: string) => {
  try {
    return String((JSON.parse(body) as { message?: unknown }).message ?? body);
  } catch {
    return body;
  }
};

export async function setNodePowerFromCli(
  name: string,
  action: 'stop' | 'start',
  kubeconfigPath: string | undefined,
): Promise<string> {
  const kubeConfig = loadKubeConfig(kubeconfigPath ? { path: kubeconfigPath } : {});
  const server = kubeConfig.getCurrentCluster()?.server ?? '';
  let answer: Answer;
  try {
    answer = await post(server, nodePowerPath(name, action), (options) =>
      kubeConfig.applyToHTTPSOptions(options),
    );
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UserError(
      `Cannot reach the cluster at ${server} (${reason}).`,
      'Is the sandbox running? Start it with `npx kubewars start` (or `npx kubewars sandbox`).',
    );
  }
  if (answer.status === 401 && !answer.fromSandbox) {
    throw new UserError(
      `The cluster at ${server} rejected the kubeconfig's credentials (401 Unauthorized).`,
      'Use the kubeconfig the sandbox wrote: --kubeconfig .kubewars/sandbox.kubeconfig.',
    );
  }
  if (!answer.fromSandbox) {
    throw new UserError(
      `\`kubewars node ${action}\` works only on the Kube Wars sandbox, and ${server} is another cluster`,
      `on a real cluster, stop the node's machine instead: \`vagrant halt ${name}\`, or \`kubewars cluster ssh ${name}\` then \`sudo systemctl stop kubelet\`.`,
    );
  }
  if (answer.status !== 200) throw new UserError(messageOf(answer.body));
  const reply = JSON.parse(answer.body) as NodePowerReply;
  return reply.ready
    ? `${reply.name} started: Ready again, new pods can be scheduled on it.`
    : `${reply.name} stopped: its pods are evicted after ${reply.evictionTimeoutSeconds} s unless they tolerate longer; \`kubewars node start ${reply.name}\` brings it back.`;
}

export function registerNodeCommands(program: Command): void {
  const node = program
    .command('node')
    .description("stop or start one of the sandbox's nodes, to watch Kubernetes move its pods");
  const kubeconfigHelp =
    "the sandbox's kubeconfig (default: KUBECONFIG, else .kubewars/sandbox.kubeconfig here)";
  for (const [action, description] of [
    ['stop', 'make the node NotReady, as if its machine went down: its pods are evicted after the timeout'],
    ['start', 'bring a stopped node back: Ready again'],
  ] as const) {
    node
      .command(action)
      .description(description)
      .argument('<name>', 'the node, as `kubectl get nodes` lists it (worker-1, worker-2, …)')
      .option('--kubeconfig <path>', kubeconfigHelp)
      .action(async (name: string, options: { kubeconfig?: string }) => {
        const path = options.kubeconfig
          ? resolve(options.kubeconfig)
          : defaultNodeKubeconfig(process.cwd(), process.env);
        process.stdout.write(`${await setNodePowerFromCli(name, action, path)}\n`);
      });
  }
}
