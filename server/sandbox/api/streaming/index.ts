// The streaming subresources arrive as HTTP upgrades (WebSocket, or SPDY/3.1 for older clients): this module
// authenticates and authorizes them as the request path does, finds the container and hands the stream to exec.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Authenticator, Identity, ResourceAttributes } from '../auth.ts';
import { errorStatus } from '../errors.ts';
import { badRequest, fail, notFoundPath, statusBody } from '../status.ts';
import type { WatchTracker } from '../watch.ts';
import type { ClusterClient, KubeObject } from '../../types.ts';
import { REF } from '../../controllers/runtime.ts';
import { ContainerInsides, NoContainerError } from '../../container/inside.ts';
import { MainProcesses } from '../../container/main-process.ts';
import { CHANNEL_PROTOCOLS, channelSession } from './channels.ts';
import { execRequest, serveExec } from './exec.ts';
import { serveAttach } from './attach.ts';
import { reportProcessExit } from '../../kubelet/process-exit.ts';
import { failureStatus, type StreamSession } from './session.ts';
import { type SpdyConnection, acceptSpdy, offeredStreamProtocols, spdyConnection } from './spdy.ts';
import { PORTFORWARD_PROTOCOL, servePortForward } from './portforward.ts';
import { type ProxyTarget, serveProxy } from './proxy.ts';
import { expectedStreams, spdySession } from './spdy-session.ts';
import {
  acceptWebSocket,
  isWebSocketUpgrade,
  offeredProtocols,
  refuseUpgrade,
  webSocketStream,
} from './websocket.ts';
import type { Clock } from '../../../clock.ts';
import type { RandomSource } from '../../../random.ts';

export interface StreamingOptions {
  client: ClusterClient;
  authenticator: Authenticator;
  /** The handler's own authorization (throws the apiserver's 403). */
  authorize(identity: Identity, attributes: ResourceAttributes): void;
  clock: Clock;
  random?: RandomSource;
  tracker: WatchTracker;
}

const STREAM_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)\/?$/;

const TUNNELED_PORTFORWARD = `SPDY/3.1+${PORTFORWARD_PROTOCOL}`;

/** Over SPDY the kubelet speaks v4 of the channel protocol (v5 only adds what SPDY's FIN already says). */
const SPDY_CHANNEL_PROTOCOLS = ['v4.channel.k8s.io'];

const refuseProtocols = (offered: string[]): never =>
  badRequest(
    `unable to upgrade connection: none of the requested protocols (${offered.join(', ')}) is supported; this server speaks ${[
      ...CHANNEL_PROTOCOLS,
      ...SPDY_CHANNEL_PROTOCOLS.map((p) => `${p} over SPDY/3.1`),
    ].join(', ')}`,
  );

/** The cluster's streaming subresources: upgrades (exec, attach, port-forward) and the HTTP proxy subresources. */
export function createStreaming(options: StreamingOptions) {
  const insides = new ContainerInsides(options.client, options.clock, options.random ?? Math.random);
  const mainProcesses = new MainProcesses(insides, options.clock);
  options.tracker.add(mainProcesses.start());

  /** Opens the stream session the client asked for (WebSocket channels or SPDY streams) and hands it to `run`. */
  const open = (
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    streams: string[],
    run: (session: StreamSession) => Promise<void>,
  ) => {
    if (isWebSocketUpgrade(req)) {
      const protocol = offeredProtocols(req).find((p) => CHANNEL_PROTOCOLS.includes(p));
      if (!protocol) return refuseProtocols(offeredProtocols(req));
      const connection = acceptWebSocket(req, socket, head, protocol);
      connection.onClose(options.tracker.add(() => connection.close()));
      return void run(channelSession(connection));
    }
    const offered = offeredStreamProtocols(req.headers['x-stream-protocol-version']);
    const protocol = SPDY_CHANNEL_PROTOCOLS.find((p) => offered.includes(p));
    if (!protocol) return refuseProtocols(offered);
    const connection = acceptSpdy(socket, head, protocol);
    connection.onClose(options.tracker.add(() => connection.close()));
    void spdySession(connection, streams).then((session) => session && run(session));
  };

  /** Port-forward speaks SPDY: on its own upgrade, or tunnelled in WebSocket messages (kubectl ≥ 1.31). */
  const forwardPorts = (req: IncomingMessage, socket: Duplex, head: Buffer, pod: KubeObject) => {
    if ((pod.status as { phase?: string } | undefined)?.phase !== 'Running') {
      badRequest(`unable to upgrade connection: pod ${pod.metadata.name} is not running`);
    }
    const current = () =>
      options.client.tryGet(REF.pods, pod.metadata.namespace, pod.metadata.name ?? '') ?? pod;
    let connection: SpdyConnection;
    if (isWebSocketUpgrade(req)) {
      if (!offeredProtocols(req).includes(TUNNELED_PORTFORWARD))
        return refuseProtocols(offeredProtocols(req));
      const tunnel = acceptWebSocket(req, socket, head, TUNNELED_PORTFORWARD);
      connection = spdyConnection(webSocketStream(tunnel), Buffer.alloc(0));
    } else {
      const offered = offeredStreamProtocols(req.headers['x-stream-protocol-version']);
      if (!offered.includes(PORTFORWARD_PROTOCOL)) return refuseProtocols(offered);
      connection = acceptSpdy(socket, head, PORTFORWARD_PROTOCOL);
    }
    connection.onClose(options.tracker.add(() => connection.close()));
    servePortForward(connection, current, insides);
  };

  const handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    try {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      const match = STREAM_PATH.exec(url.pathname) ?? notFoundPath();
      const [, namespace = '', name = '', subresource = ''] = match.map(decodeURIComponent);
      const identity = options.authenticator.authenticate(req) ?? fail(401, 'Unauthorized', 'Unauthorized');
      options.authorize(identity, {
        verb: 'create',
        group: '',
        resource: 'pods',
        subresource,
        namespace,
        name,
      });
      const pod = options.client.get(REF.pods, namespace, name);
      const query = url.searchParams;
      if (subresource === 'portforward') return forwardPorts(req, socket, head, pod);
      const inside = insides.enter(pod, query.get('container') ?? undefined);
      const request = execRequest(query);
      const serve =
        subresource === 'exec'
          ? (session: StreamSession) => serveExec(session, inside, request)
          : (session: StreamSession) =>
              serveAttach(session, inside, request, mainProcesses, (code) =>
                reportProcessExit(
                  options.client,
                  inside.pod(),
                  inside.container.name,
                  code,
                  options.clock.now(),
                ),
              );
      open(req, socket, head, expectedStreams(request), (session) =>
        serve(session).catch((error: unknown) => session.finish(failureStatus((error as Error).message))),
      );
    } catch (error) {
      const status =
        error instanceof NoContainerError ? statusBody(400, 'BadRequest', error.message) : errorStatus(error);
      refuseUpgrade(socket, status.code, status.reason, JSON.stringify(status));
    }
  };
  return {
    handleUpgrade,
    /** What containers' commands printed, for their logs. */
    printed: mainProcesses,
    /** pods/proxy and services/proxy, once the caller is authorized. */
    serveProxy: (req: IncomingMessage, res: ServerResponse, target: ProxyTarget) =>
      serveProxy(req, res, options.client, insides, target),
  };
}
