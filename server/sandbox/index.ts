// The embedded practice cluster: a Kubernetes API server on loopback with simulated nodes, kubelets and controllers.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:https';
import { resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { bearerTokenAuthenticator, type Authorizer } from './api/auth.ts';
import { createApiHandler } from './api/handler.ts';
import { setNodePower } from './api/node-power.ts';
import type { NodePowerOptions, NodePowerReply } from './api/node-power.ts';
import { previousSandboxToken, writeSandboxKubeconfig } from './api/kubeconfig.ts';
import { sandboxTls } from './api/tls.ts';
import type { WatchTracker } from './api/watch.ts';
import { startControllers } from './controllers/index.ts';
import { createRegistry } from './registry/index.ts';
import { resources } from './registry/resources.ts';
import { keepStateSaved, restoreState } from './state-file.ts';
import type { ClusterClient } from './types.ts';
import { type Clock, systemClock } from '../clock.ts';
import type { RandomSource } from '../random.ts';

export interface SandboxOptions {
  port?: number;
  host?: string;
  kubeconfigOut?: string;
  statePath?: string;
  /** Kubernetes version reported to clients (default v1.35.0). */
  version?: string;
  speed?: 'fast' | 'realistic';
  /** Worker nodes (default 2). */
  nodes?: number;
  /** The nodes' names, the control plane first (their number overrides `nodes`; default control-plane, worker-1…). */
  nodeNames?: string[];
  clock?: Clock;
  random?: RandomSource;
  /**
   * How long pods stay on a stopped (NotReady) node before they are evicted, unless they tolerate longer
   * (default 30; a real cluster waits 300).
   */
  nodeEvictionTimeoutSeconds?: number;
  /** Who may do what once authenticated (default: the kubeconfig's admin, in system:masters, may do anything). */
  authorizer?: Authorizer;
}

export interface RunningSandbox {
  url: string;
  kubeconfigPath: string;
  /** The certificate clients must trust (the kubeconfig carries it too). */
  caCert: string;
  token: string;
  client: ClusterClient;
  /** Stops a node's simulated kubelet: the node turns NotReady and its pods are evicted after the timeout. */
  stopNode(name: string): NodePowerReply;
  /** Starts it again: Ready, and schedulable for new pods. */
  startNode(name: string): NodePowerReply;
  stop(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const host = options.host ?? '127.0.0.1';
  const version = options.version ?? 'v1.35.0';
  const evictionTimeoutSeconds = options.nodeEvictionTimeoutSeconds ?? 30;
  const registry = createRegistry({ clock, random });
  if (options.statePath) restoreState(registry, options.statePath);

  const kubeconfigPath = resolve(options.kubeconfigOut ?? '.kubewars/sandbox.kubeconfig');
  const token = previousSandboxToken(kubeconfigPath) ?? randomBytes(24).toString('base64url');
  const streams = new Set<() => void>();
  const tracker: WatchTracker = {
    add(end) {
      streams.add(end);
      return () => streams.delete(end);
    },
  };
  const tls = await sandboxTls(kubeconfigPath, host);
  let url = '';
  const server = createServer(
    tls,
    createApiHandler({
      registry,
      resources,
      authenticator: bearerTokenAuthenticator(token),
      ...(options.authorizer ? { authorizer: options.authorizer } : {}),
      clock,
      version,
      serverAddress: () => url.replace(/^https?:\/\//, ''),
      tracker,
      nodeEvictionTimeoutSeconds: evictionTimeoutSeconds,
    }),
  );
  const sockets = new Set<Duplex>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const controllers = startControllers(registry, {
    clock,
    random,
    speed: options.speed ?? 'realistic',
    kubeletVersion: version,
    podEvictionTimeoutMs: evictionTimeoutSeconds * 1000,
    ...(options.nodes !== undefined ? { nodes: options.nodes } : {}),
    ...(options.nodeNames !== undefined ? { nodeNames: options.nodeNames } : {}),
  });
  const stopSaving = options.statePath ? keepStateSaved(registry, options.statePath) : () => {};

  writeSandboxKubeconfig(kubeconfigPath, url, tls.cert, token);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      controllers.stop();
      for (const end of [...streams]) end();
      await new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        for (const socket of sockets) socket.destroy();
      });
      stopSaving();
    })();
    return stopping;
  };
  const nodePower: NodePowerOptions = { client: registry, evictionTimeoutSeconds, now: clock.now };
  return {
    url,
    kubeconfigPath,
    caCert: tls.cert,
    token,
    client: registry,
    stopNode: (name) => setNodePower(nodePower, name, false),
    startNode: (name) => setNodePower(nodePower, name, true),
    stop,
  };
}
