// The embedded practice cluster: a Kubernetes API server on loopback with simulated nodes, kubelets and controllers,
// served as the one cluster ('main') of a sandbox host.
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import type { Authorizer } from './api/auth.ts';
import type { NodePowerReply } from './api/node-power.ts';
import { previousSandboxToken, writeSandboxKubeconfig } from './api/kubeconfig.ts';
import { MAIN_CLUSTER, startSandboxHost } from './host/index.ts';
import { DEFAULT_HISTORY_LIMIT } from './store/object-store.ts';
import type { ClusterClient } from './types.ts';
import type { Clock } from '../clock.ts';
import type { RandomSource } from '../random.ts';

export { MAIN_CLUSTER, startSandboxHost } from './host/index.ts';
export type {
  KubeconfigOptions,
  SandboxCluster,
  SandboxClusterOptions,
  SandboxHost,
  SandboxHostOptions,
} from './host/index.ts';

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
  /** Who may do what once authenticated (default: RBAC; the kubeconfig's admin is in system:masters). */
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
  const kubeconfigPath = resolve(options.kubeconfigOut ?? '.kubewars/sandbox.kubeconfig');
  const token = previousSandboxToken(kubeconfigPath) ?? randomBytes(24).toString('base64url');
  const host = await startSandboxHost({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    // The CA lives beside the kubeconfig, as the certificate always has.
    tlsDir: dirname(kubeconfigPath),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
  const cluster = await host.addCluster(MAIN_CLUSTER, {
    token,
    ...(options.version ? { version: options.version } : {}),
    ...(options.speed ? { speed: options.speed } : {}),
    ...(options.nodes !== undefined ? { nodes: options.nodes } : {}),
    ...(options.nodeNames !== undefined ? { nodeNames: options.nodeNames } : {}),
    ...(options.nodeEvictionTimeoutSeconds !== undefined
      ? { nodeEvictionTimeoutSeconds: options.nodeEvictionTimeoutSeconds }
      : {}),
    ...(options.statePath ? { statePath: options.statePath } : {}),
    ...(options.authorizer ? { authorizer: options.authorizer } : {}),
    // Beside the kubeconfig, so ServiceAccount tokens handed out before a restart stay valid.
    serviceAccountKeyPath: `${kubeconfigPath}.sa.key`,
    // A learner's one cluster may run thousands of pods: it keeps the store's long history for watches.
    watchHistory: DEFAULT_HISTORY_LIMIT,
  });
  const url = host.url();
  writeSandboxKubeconfig(kubeconfigPath, url, host.caCert, token);
  return {
    url,
    kubeconfigPath,
    caCert: host.caCert,
    token,
    client: cluster.client,
    stopNode: (name) => cluster.stopNode(name),
    startNode: (name) => cluster.startNode(name),
    stop: () => host.stop(),
  };
}
