// One virtual cluster of a sandbox host: its own registry, nodes, kubelets, controllers and API handler, as a
// vcluster is a whole control plane behind one shared endpoint.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { bearerTokenAuthenticator, firstOf, type Authorizer } from '../api/auth.ts';
import { createApiHandler } from '../api/handler.ts';
import { kubeconfigYaml } from '../api/kubeconfig.ts';
import { setNodePower } from '../api/node-power.ts';
import type { NodePowerOptions, NodePowerReply } from '../api/node-power.ts';
import type { WatchTracker } from '../api/watch.ts';
import { authorizerOf, decidedBy, rbacAccess } from '../auth/access.ts';
import { escalationAdmission } from '../auth/escalation.ts';
import { registryPolicy } from '../auth/registry-policy.ts';
import { serviceAccountAuthenticator, type ServiceAccountTokens } from '../auth/service-account-tokens.ts';
import { jwtSigner, loadSigningKey } from '../auth/signing-key.ts';
import { startControllers } from '../controllers/index.ts';
import { createRegistry } from '../registry/index.ts';
import { resources } from '../registry/resources.ts';
import { keepStateSaved, restoreState } from '../state-file.ts';
import type { ClusterClient } from '../types.ts';
import type { Clock } from '../../clock.ts';
import type { RandomSource } from '../../random.ts';

export interface SandboxClusterOptions {
  /** The cluster's admin bearer token (system:masters inside this cluster only). */
  token: string;
  /** Kubernetes version reported to clients (default v1.35.0). */
  version?: string;
  speed?: 'fast' | 'realistic';
  /** Worker nodes (default 2). */
  nodes?: number;
  /** The nodes' names, the control plane first (their number overrides `nodes`; default control-plane, worker-1…). */
  nodeNames?: string[];
  /**
   * How long pods stay on a stopped (NotReady) node before they are evicted, unless they tolerate longer
   * (default 30; a real cluster waits 300).
   */
  nodeEvictionTimeoutSeconds?: number;
  /** This cluster's objects, kept across restarts. */
  statePath?: string;
  /** Pods this cluster may hold: a create beyond it is refused (403), controllers record FailedCreate. */
  podLimit?: number;
  /** Objects of any kind this cluster may hold. */
  objectLimit?: number;
  /**
   * Writes kept so watches can resume from an earlier resourceVersion (default 1,000); older ones get 410 Gone and
   * clients relist, as a real apiserver's watch cache does. Each write kept holds a copy of its object, so this
   * is most of a busy cluster's memory: an attendee cluster keeps few, the single-user sandbox many.
   */
  watchHistory?: number;
  /** Who may do what once authenticated (default: RBAC; the admin token is in system:masters). */
  authorizer?: Authorizer;
  /**
   * Where the key this cluster signs ServiceAccount tokens with is kept, so tokens handed out before a restart stay
   * valid (default: a key for this run only).
   */
  serviceAccountKeyPath?: string;
}

/** Writes an attendee cluster keeps for resuming watches: a workshop's few watchers reconnect within seconds. */
const DEFAULT_WATCH_HISTORY = 1000;

export interface KubeconfigOptions {
  /** The URL clients reach the host at, e.g. https://192.168.1.20:6443. */
  server: string;
  /** Name of the kubeconfig's cluster, user and context. */
  contextName: string;
  namespace?: string;
}

export interface SandboxCluster {
  readonly id: string;
  readonly token: string;
  readonly client: ClusterClient;
  /** Stops a node's simulated kubelet: the node turns NotReady and its pods are evicted after the timeout. */
  stopNode(name: string): NodePowerReply;
  /** Starts it again: Ready, and schedulable for new pods. */
  startNode(name: string): NodePowerReply;
  /** Kubeconfig YAML for this cluster: the server given, the host's CA, the token, the context named as given. */
  kubeconfig(options: KubeconfigOptions): string;
}

/** What the host needs of a cluster besides its public face: serve a request routed to it, and stop. */
export interface HostedCluster extends SandboxCluster {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** exec, attach and port-forward: HTTP upgrades to WebSocket or SPDY. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Resolves once its own pods (control plane, kube-proxy, CoreDNS, CNI) run, as kubeadm hands a cluster over. */
  readonly booted: Promise<void>;
  stop(): void;
}

export interface ClusterContext {
  clock: Clock;
  random: RandomSource;
  caCert: () => string;
  /** host:port the host's URL names, which discovery reports as the server address. */
  serverAddress: () => string;
}

export function createHostedCluster(
  id: string,
  options: SandboxClusterOptions,
  context: ClusterContext,
): HostedCluster {
  const { clock, random } = context;
  const version = options.version ?? 'v1.35.0';
  const evictionTimeoutSeconds = options.nodeEvictionTimeoutSeconds ?? 30;
  const limits = {
    ...(options.podLimit !== undefined ? { pods: options.podLimit } : {}),
    ...(options.objectLimit !== undefined ? { objects: options.objectLimit } : {}),
  };
  const registry = createRegistry({
    clock,
    random,
    limits,
    watchHistory: options.watchHistory ?? DEFAULT_WATCH_HISTORY,
  });
  if (options.statePath) restoreState(registry, options.statePath);

  const streams = new Set<() => void>();
  const tracker: WatchTracker = {
    add(end) {
      streams.add(end);
      return () => streams.delete(end);
    },
  };
  // Tokens carry the cluster's id (the host routes them by it) and are checked against this cluster's own key.
  const serviceAccountTokens: ServiceAccountTokens = {
    signer: jwtSigner(loadSigningKey(options.serviceAccountKeyPath)),
    client: registry,
    now: clock.now,
    clusterId: id,
  };
  const policy = registryPolicy(registry);
  const access = rbacAccess(policy);
  const authenticator = firstOf(
    bearerTokenAuthenticator(options.token),
    serviceAccountAuthenticator(serviceAccountTokens),
  );
  const handle = createApiHandler({
    registry,
    resources,
    authenticator,
    serviceAccountTokens,
    authorizer: options.authorizer ?? authorizerOf(access),
    admission: escalationAdmission(access, policy),
    reviews: {
      access: options.authorizer ? decidedBy(options.authorizer, access) : access,
      authenticator,
    },
    clock,
    version,
    serverAddress: context.serverAddress,
    tracker,
    nodeEvictionTimeoutSeconds: evictionTimeoutSeconds,
  });
  const controllers = startControllers(registry, {
    clock,
    random,
    speed: options.speed ?? 'realistic',
    kubeletVersion: version,
    podEvictionTimeoutMs: evictionTimeoutSeconds * 1000,
    serviceAccountTokens,
    ...(options.nodes !== undefined ? { nodes: options.nodes } : {}),
    ...(options.nodeNames !== undefined ? { nodeNames: options.nodeNames } : {}),
  });
  const stopSaving = options.statePath ? keepStateSaved(registry, options.statePath) : () => {};

  const nodePower: NodePowerOptions = { client: registry, evictionTimeoutSeconds, now: clock.now };
  return {
    id,
    token: options.token,
    client: registry,
    stopNode: (name) => setNodePower(nodePower, name, false),
    startNode: (name) => setNodePower(nodePower, name, true),
    kubeconfig: ({ server, contextName, namespace }) =>
      kubeconfigYaml({
        server,
        caCert: context.caCert(),
        token: options.token,
        contextName,
        ...(namespace ? { namespace } : {}),
      }),
    handle,
    handleUpgrade: handle.handleUpgrade,
    booted: controllers.booted,
    stop() {
      controllers.stop();
      for (const end of [...streams]) end();
      stopSaving();
    },
  };
}
