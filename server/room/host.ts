// The room's sandbox host: one HTTPS port on the room's address for every cluster, the instructor's ('main', whose
// kubeconfig `kubewars start` writes as it always has) and one per attendee, added as they join.
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { previousSandboxToken, writeSandboxKubeconfig } from '../sandbox/api/kubeconfig.ts';
import { sandboxTls, servingNames } from '../sandbox/api/tls.ts';
import { MAIN_CLUSTER, startSandboxHost } from '../sandbox/index.ts';
import type { SandboxClusterOptions, SandboxHost } from '../sandbox/index.ts';

export interface RoomHostOptions {
  host: string;
  port: number;
  publicAddress: string;
  /** The instructor's kubeconfig: its folder also keeps the CA, so kubeconfigs handed out stay valid. */
  kubeconfigOut: string;
  /** The main cluster's shape and state file. */
  main: Omit<SandboxClusterOptions, 'token'>;
}

export interface RoomSandbox {
  host: SandboxHost;
  /** The instructor's kubeconfig (the main cluster), at the listen address. */
  kubeconfigPath: string;
  /** The room's CA certificate file, which browsers trust for --tls. */
  caPath: string;
  /** Key and certificate for the room's address, from the room's CA: the web pages serve it with --tls. */
  servingTls(): Promise<{ key: string; cert: string }>;
}

export async function startRoomSandbox(options: RoomHostOptions): Promise<RoomSandbox> {
  const tlsDir = dirname(options.kubeconfigOut);
  const token = previousSandboxToken(options.kubeconfigOut) ?? randomBytes(24).toString('base64url');
  const host = await startSandboxHost({
    host: options.host,
    port: options.port,
    tlsDir,
    publicAddresses: [options.publicAddress],
  });
  try {
    await host.addCluster(MAIN_CLUSTER, {
      ...options.main,
      token,
      serviceAccountKeyPath: `${options.kubeconfigOut}.sa.key`,
    });
    writeSandboxKubeconfig(options.kubeconfigOut, host.url(), host.caCert, token);
  } catch (error) {
    await host.stop();
    throw error;
  }
  return {
    host,
    kubeconfigPath: options.kubeconfigOut,
    caPath: join(tlsDir, 'ca.crt'),
    // The host's own serving certificate covers the same names: the same files, reused.
    servingTls: () => sandboxTls(tlsDir, servingNames([options.host, options.publicAddress])),
  };
}
