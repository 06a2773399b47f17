// The composition root: picks the cluster, builds the front end, mounts the features and starts the web server.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadKubeConfig, probeCluster } from './cluster.ts';
import { startGameEngine } from './game/engine.ts';
import type { GameEngineOptions } from './game/engine.ts';
import { createGameFeature } from './game/web/feature.ts';
import { createLessonsFeature } from './lessons/feature.ts';
import { logger } from './log.ts';
import type { ClusterTarget, KubeconfigSelection } from './cluster.ts';
import { startSandbox } from './sandbox/index.ts';
import { ensureFrontEndBuilt } from './web/build.ts';
import type { WebFeature } from './web/feature.ts';
import { platformInfoFeature } from './web/platform-info.ts';
import { startWebServer, type WebServerOptions } from './web/server.ts';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface PlatformOptions {
  host: string;
  port: number;
  /** 'sandbox' starts the embedded cluster; 'kubeconfig' uses an existing cluster. */
  cluster: 'sandbox' | 'kubeconfig';
  kubeconfig?: KubeconfigSelection;
  /** Where the sandbox writes its kubeconfig. */
  sandboxKubeconfigOut: string;
  sandboxPort: number;
  sandboxState?: string;
  /** Worker nodes of the sandbox (the control plane is one more). */
  sandboxNodes?: number;
  /** The sandbox nodes' names, the control plane first (their number overrides sandboxNodes). */
  sandboxNodeNames?: string[];
  sandboxSpeed?: 'fast' | 'realistic';
  /** The Kubernetes version the sandbox reports, e.g. v1.34.2. */
  sandboxVersion?: string;
  /** How long a stopped sandbox node's pods stay before eviction (the sandbox's default: 30 s). */
  sandboxNodeEvictionTimeoutSeconds?: number;
  /** Which pods the game shows and fires at: the engine's defaults for whatever is left out. */
  game?: Pick<GameEngineOptions, 'selector' | 'namespaces' | 'protectedNamespaces'>;
  /** Working data: the game's database, lesson progress. */
  dataDir: string;
  instructorToken?: string;
  /** Express's `trust proxy` for client addresses behind a reverse proxy (`--trust-proxy`). */
  trustProxy?: WebServerOptions['trustProxy'];
}

export interface RunningPlatform {
  url: string;
  instructorToken: string;
  cluster: ClusterTarget;
  stop(): Promise<void>;
}

export function generateInstructorToken(): string {
  return randomBytes(18).toString('base64url');
}

export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  mkdirSync(options.dataDir, { recursive: true });
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };

  try {
    let cluster: ClusterTarget;
    if (options.cluster === 'sandbox') {
      const sandbox = await startSandbox({
        host: '127.0.0.1',
        port: options.sandboxPort,
        kubeconfigOut: options.sandboxKubeconfigOut,
        ...(options.sandboxState ? { statePath: options.sandboxState } : {}),
        ...(options.sandboxNodes !== undefined ? { nodes: options.sandboxNodes } : {}),
        ...(options.sandboxNodeNames !== undefined ? { nodeNames: options.sandboxNodeNames } : {}),
        ...(options.sandboxSpeed ? { speed: options.sandboxSpeed } : {}),
        ...(options.sandboxVersion ? { version: options.sandboxVersion } : {}),
        ...(options.sandboxNodeEvictionTimeoutSeconds !== undefined
          ? { nodeEvictionTimeoutSeconds: options.sandboxNodeEvictionTimeoutSeconds }
          : {}),
      });
      stops.push(() => sandbox.stop());
      const kubeConfig = loadKubeConfig({ path: sandbox.kubeconfigPath });
      cluster = {
        mode: 'sandbox',
        kubeConfig,
        context: kubeConfig.getCurrentContext(),
        server: sandbox.url,
        kubeconfigPath: sandbox.kubeconfigPath,
        version: await probeCluster(kubeConfig),
      };
    } else {
      const kubeConfig = loadKubeConfig(options.kubeconfig ?? {});
      cluster = {
        mode: 'kubeconfig',
        kubeConfig,
        context: kubeConfig.getCurrentContext(),
        server: kubeConfig.getCurrentCluster()?.server ?? '',
        kubeconfigPath: options.kubeconfig?.path ? resolve(options.kubeconfig.path) : undefined,
        version: await probeCluster(kubeConfig),
      };
    }

    const instructorToken = options.instructorToken ?? generateInstructorToken();
    await ensureFrontEndBuilt(projectRoot, join(projectRoot, 'dist/web'));

    // In a pod, the engine protects its own namespace (read from the in-cluster context) by itself.
    const engine = await startGameEngine({
      ...options.game,
      kubeConfig: cluster.kubeConfig,
      dataDir: options.dataDir,
      log: logger.child({ part: 'game' }),
    });
    stops.push(() => engine.close());

    const features: WebFeature[] = [
      platformInfoFeature(cluster),
      createLessonsFeature({
        projectRoot,
        kubeConfig: cluster.kubeConfig,
        dataDir: options.dataDir,
        defaultNamespace: 'default',
        instructorToken,
      }),
      createGameFeature({ engine, instructorToken }),
    ];
    const web = await startWebServer({
      host: options.host,
      port: options.port,
      staticDir: join(projectRoot, 'dist/web'),
      features,
      trustProxy: options.trustProxy,
    });
    stops.push(() => web.close());

    return { url: web.url, instructorToken, cluster, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
