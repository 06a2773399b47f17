// The sandbox host: one HTTPS port serving many virtual clusters (the main one and one per attendee in a room).
// The bearer token picks the cluster; that cluster's API handler then authenticates and authorizes as a
// cluster's own apiserver would.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { statusBody } from '../api/status.ts';
import { sandboxTls, servingNames, type SandboxTls } from '../api/tls.ts';
import { type Clock, systemClock } from '../../clock.ts';
import type { RandomSource } from '../../random.ts';
import {
  createHostedCluster,
  type HostedCluster,
  type SandboxCluster,
  type SandboxClusterOptions,
} from './cluster.ts';
import { bearerToken, claimedCluster } from './routing.ts';

export type { KubeconfigOptions, SandboxCluster, SandboxClusterOptions } from './cluster.ts';

/** The cluster anonymous requests (/version, /healthz, discovery) go to: the instructor's, or the only one. */
export const MAIN_CLUSTER = 'main';

export interface SandboxHostOptions {
  /** Listen address ('0.0.0.0' in a room, '127.0.0.1' alone). */
  host: string;
  port: number;
  /** ca.crt/ca.key (kept forever: kubeconfigs stay valid) and the serving certificate (re-made when SANs change). */
  tlsDir: string;
  /** Extra names the serving certificate covers (the room's --public-address). */
  publicAddresses?: string[];
  clock?: Clock;
  random?: RandomSource;
}

export interface SandboxHost {
  readonly port: number;
  /** PEM of the CA kubeconfigs trust. */
  readonly caCert: string;
  /** https://address:port (default: the listen host, or 127.0.0.1 when it listens on every address). */
  url(address?: string): string;
  addCluster(id: string, options: SandboxClusterOptions): Promise<SandboxCluster>;
  cluster(id: string): SandboxCluster | undefined;
  /** Stops it and ends its watches; its token is refused (401) from then on. */
  removeCluster(id: string): Promise<void>;
  stop(): Promise<void>;
}

/** How often the serving certificate is checked against the machine's addresses and its expiry. */
const tlsCheckEveryMs = 60 * 60 * 1000;

function unauthorized(res: ServerResponse): void {
  const body = JSON.stringify(statusBody(401, 'Unauthorized', 'Unauthorized'));
  res.writeHead(401, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const bracketed = (address: string) => (address.includes(':') ? `[${address}]` : address);

export async function startSandboxHost(options: SandboxHostOptions): Promise<SandboxHost> {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const names = () => servingNames([options.host, ...(options.publicAddresses ?? [])]);
  let tls: SandboxTls = await sandboxTls(options.tlsDir, names());

  const clusters = new Map<string, HostedCluster>();
  const byToken = new Map<string, HostedCluster>();
  const route = (req: IncomingMessage): HostedCluster | undefined => {
    const token = bearerToken(req);
    if (token === undefined) return clusters.get(MAIN_CLUSTER);
    const cluster = byToken.get(token);
    if (cluster) return cluster;
    const claimed = claimedCluster(token);
    return claimed === undefined ? undefined : clusters.get(claimed);
  };

  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const cluster = route(req);
    if (!cluster) return unauthorized(res);
    void cluster.handle(req, res);
  });
  // exec, attach and port-forward: routed by their token like any request, then upgraded by that cluster.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const cluster = route(req);
    if (cluster) return cluster.handleUpgrade(req, socket, head);
    socket.on('error', () => socket.destroy());
    socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  const sockets = new Set<Duplex>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const wildcard = options.host === '0.0.0.0' || options.host === '::';
  const url = (at = wildcard ? '127.0.0.1' : options.host) => `https://${bracketed(at)}:${port}`;

  // A laptop joins another network, or a year passes: a new serving certificate from the same CA, so no
  // kubeconfig changes.
  const tlsCheck = setInterval(() => {
    void sandboxTls(options.tlsDir, names()).then((fresh) => {
      if (fresh.cert === tls.cert) return;
      tls = fresh;
      server.setSecureContext({ key: fresh.key, cert: fresh.cert });
    });
  }, tlsCheckEveryMs);
  tlsCheck.unref();

  const removeCluster = async (id: string) => {
    const cluster = clusters.get(id);
    if (!cluster) return;
    clusters.delete(id);
    byToken.delete(cluster.token);
    cluster.stop();
  };

  let stopping: Promise<void> | undefined;
  return {
    port,
    get caCert() {
      return tls.ca;
    },
    url,
    async addCluster(id, clusterOptions) {
      if (stopping) throw new Error(`The sandbox host is stopping: cluster ${id} cannot be added.`);
      if (clusters.has(id)) throw new Error(`The sandbox host already has a cluster named ${id}.`);
      if (byToken.has(clusterOptions.token)) {
        throw new Error(`Cluster ${id} needs a token of its own: another cluster of the host has this one.`);
      }
      const cluster = createHostedCluster(id, clusterOptions, {
        clock,
        random,
        caCert: () => tls.ca,
        serverAddress: () => url().replace(/^https:\/\//, ''),
      });
      clusters.set(id, cluster);
      byToken.set(cluster.token, cluster);
      // Handed out as kubeadm hands a cluster over: its first answer already shows its own pods running.
      await cluster.booted;
      return cluster;
    },
    cluster: (id) => clusters.get(id),
    removeCluster,
    stop() {
      stopping ??= (async () => {
        clearInterval(tlsCheck);
        for (const id of [...clusters.keys()]) await removeCluster(id);
        await new Promise<void>((resolveClose) => {
          server.close(() => resolveClose());
          for (const socket of sockets) socket.destroy();
        });
      })();
      return stopping;
    },
  };
}
