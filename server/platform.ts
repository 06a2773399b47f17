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
import { AttendeeRegistry, type RoomKind } from './room/attendees.ts';
import { startRoomSandbox, type RoomSandbox } from './room/host.ts';
import { attendeesFile, attendeeStatePath } from './room/paths.ts';
import { NamespacePlaces } from './room/namespace/places.ts';
import { NamespaceProvisioner } from './room/namespace/provisioner.ts';
import { DEFAULT_ATTENDEE_QUOTA, DEFAULT_TOKEN_TTL_SECONDS } from './room/namespace/settings.ts';
import { type AttendeePlaces, Room } from './room/room.ts';
import { ATTENDEE_OBJECT_LIMIT, SandboxPlaces } from './room/sandbox-places.ts';
import { createRoomFeature } from './room/routes.ts';
import { startSandbox } from './sandbox/index.ts';
import { ensureFrontEndBuilt } from './web/build.ts';
import type { WebFeature } from './web/feature.ts';
import { platformInfoFeature } from './web/platform-info.ts';
import { formatUrl, startWebServer, type WebServerOptions } from './web/server.ts';

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
  /**
   * A workshop room: attendees join and each gets a cluster on the sandbox host, or on a kubeconfig's cluster a
   * namespace of their own.
   */
  room?: RoomPlatformOptions;
}

export interface RoomPlatformOptions {
  /** Host name or IP attendees reach the room at: their kubeconfigs and the printed URLs name it. */
  publicAddress: string;
  attendeePodLimit: number;
  maxAttendees: number;
  joinsPerMinute: number;
  /** Serve the web pages over HTTPS with a certificate from the room's CA (sandbox rooms). */
  tls: boolean;
  /** A namespace room's settings (a kubeconfig's cluster). */
  namespaces?: NamespaceRoomOptions;
}

export interface NamespaceRoomOptions {
  /** Each attendee's ResourceQuota `spec.hard`. */
  quota: Record<string, string>;
  tokenTtlSeconds: number;
  /** The API server as attendees reach it (default: the kubeconfig's). */
  attendeeServer?: string;
}

export interface RunningRoom {
  kind: RoomKind;
  publicAddress: string;
  publicBaseUrl: string;
  /** The API server every attendee's kubeconfig names: the sandbox host's at the public address, or the cluster's. */
  sandboxUrl: string;
  maxAttendees: number;
  /** Attendees already joined (brought back from the data dir). */
  attendees: number;
  /** The room's CA file, printed with --tls so the instructor can hand it out. */
  caPath?: string;
}

export interface RunningPlatform {
  url: string;
  instructorToken: string;
  cluster: ClusterTarget;
  room?: RunningRoom;
  stop(): Promise<void>;
}

/** A sandbox cluster as the platform's target: the kubeconfig written for it, probed once. */
async function sandboxTarget(kubeconfigPath: string, server: string): Promise<ClusterTarget> {
  const kubeConfig = loadKubeConfig({ path: kubeconfigPath });
  return {
    mode: 'sandbox',
    kubeConfig,
    context: kubeConfig.getCurrentContext(),
    server,
    kubeconfigPath,
    version: await probeCluster(kubeConfig),
  };
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
    const sandboxShape = {
      ...(options.sandboxNodes !== undefined ? { nodes: options.sandboxNodes } : {}),
      ...(options.sandboxNodeNames !== undefined ? { nodeNames: options.sandboxNodeNames } : {}),
      ...(options.sandboxSpeed ? { speed: options.sandboxSpeed } : {}),
      ...(options.sandboxVersion ? { version: options.sandboxVersion } : {}),
      ...(options.sandboxNodeEvictionTimeoutSeconds !== undefined
        ? { nodeEvictionTimeoutSeconds: options.sandboxNodeEvictionTimeoutSeconds }
        : {}),
    };
    let cluster: ClusterTarget;
    let roomSandbox: RoomSandbox | undefined;
    if (options.room && options.cluster === 'sandbox') {
      const started = await startRoomSandbox({
        host: options.host,
        port: options.sandboxPort,
        publicAddress: options.room.publicAddress,
        kubeconfigOut: options.sandboxKubeconfigOut,
        main: { ...sandboxShape, ...(options.sandboxState ? { statePath: options.sandboxState } : {}) },
      });
      roomSandbox = started;
      stops.push(() => started.host.stop());
      cluster = await sandboxTarget(started.kubeconfigPath, started.host.url());
    } else if (options.cluster === 'sandbox') {
      const sandbox = await startSandbox({
        host: '127.0.0.1',
        port: options.sandboxPort,
        kubeconfigOut: options.sandboxKubeconfigOut,
        ...(options.sandboxState ? { statePath: options.sandboxState } : {}),
        ...sandboxShape,
      });
      stops.push(() => sandbox.stop());
      cluster = await sandboxTarget(sandbox.kubeconfigPath, sandbox.url);
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

    const namespaceRoom = options.room && options.cluster === 'kubeconfig' ? options.room : undefined;
    const provisioner = namespaceRoom
      ? new NamespaceProvisioner({
          kubeConfig: cluster.kubeConfig,
          quota: namespaceRoom.namespaces?.quota ?? DEFAULT_ATTENDEE_QUOTA,
          tokenTtlSeconds: namespaceRoom.namespaces?.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS,
          ...(namespaceRoom.namespaces?.attendeeServer
            ? { attendeeServer: namespaceRoom.namespaces.attendeeServer }
            : {}),
          log: logger.child({ part: 'room' }),
        })
      : undefined;
    await provisioner?.prepare();

    // In a pod, the engine protects its own namespace (read from the in-cluster context) by itself.
    const engine = await startGameEngine({
      ...options.game,
      // A namespace room's game is its attendees' namespaces (added as they join), plus those named.
      ...(namespaceRoom ? { namespaces: options.game?.namespaces ?? [] } : {}),
      kubeConfig: cluster.kubeConfig,
      dataDir: options.dataDir,
      log: logger.child({ part: 'game' }),
    });
    stops.push(() => engine.close());

    let publicBaseUrl = '';
    let places: AttendeePlaces | undefined;
    if (roomSandbox && options.room) {
      places = new SandboxPlaces({
        host: roomSandbox.host,
        publicAddress: options.room.publicAddress,
        cluster: {
          ...sandboxShape,
          podLimit: options.room.attendeePodLimit,
          objectLimit: ATTENDEE_OBJECT_LIMIT,
        },
        ...(options.sandboxState
          ? { statePathOf: (name: string) => attendeeStatePath(options.sandboxState as string, name) }
          : {}),
      });
    } else if (provisioner) {
      places = new NamespacePlaces(provisioner, cluster.kubeConfig, logger.child({ part: 'room' }));
    }
    const room =
      options.room && places
        ? new Room({
            registry: new AttendeeRegistry(attendeesFile(options.dataDir)),
            places,
            game: engine,
            stepsDone: (name) => lessons.stepsDone(name),
            publicBaseUrl: () => publicBaseUrl,
            maxAttendees: options.room.maxAttendees,
            log: logger.child({ part: 'room' }),
          })
        : undefined;
    const lessons = createLessonsFeature({
      projectRoot,
      kubeConfig: cluster.kubeConfig,
      dataDir: options.dataDir,
      defaultNamespace: 'default',
      instructorToken,
      ...(room ? { room } : {}),
    });
    await room?.restore();

    const features: WebFeature[] = [
      platformInfoFeature(cluster, room),
      lessons,
      createGameFeature({ engine, instructorToken }),
    ];
    if (room && options.room) {
      features.push(
        createRoomFeature({
          room,
          instructorToken,
          joinsPerMinute: options.room.joinsPerMinute,
          log: logger.child({ part: 'room' }),
        }),
      );
    }
    const tls = options.room?.tls && roomSandbox ? await roomSandbox.servingTls() : undefined;
    const web = await startWebServer({
      host: options.host,
      port: options.port,
      staticDir: join(projectRoot, 'dist/web'),
      features,
      trustProxy: options.trustProxy,
      ...(tls ? { tls } : {}),
    });
    stops.push(() => web.close());

    const scheme = tls ? 'https' : 'http';
    const runningRoom: RunningRoom | undefined =
      room && options.room
        ? {
            kind: room.kind,
            publicAddress: options.room.publicAddress,
            publicBaseUrl: (publicBaseUrl = formatUrl(scheme, options.room.publicAddress, web.port)),
            sandboxUrl: roomSandbox
              ? roomSandbox.host.url(options.room.publicAddress)
              : (options.room.namespaces?.attendeeServer ?? cluster.server),
            maxAttendees: options.room.maxAttendees,
            attendees: room.size,
            ...(tls && roomSandbox ? { caPath: roomSandbox.caPath } : {}),
          }
        : undefined;
    return {
      url: web.url,
      instructorToken,
      cluster,
      ...(runningRoom ? { room: runningRoom } : {}),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
