// The streaming subresources arrive as HTTP upgrades (WebSocket, or SPDY/3.1 for older clients): this module
// authenticates and authorizes them as the request path does, finds the container and hands the stream to exec.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Authenticator, Identity, ResourceAttributes } from '../auth.ts';
import { errorStatus } from '../errors.ts';
import { statusBody } from '../status.ts';
import type { WatchTracker } from '../watch.ts';
import type { ClusterClient } from '../../types.ts';
import { REF } from '../../controllers/runtime.ts';
import { ContainerInsides, NoContainerError } from '../../container/inside.ts';
import { CHANNEL_PROTOCOLS, channelSession } from './channels.ts';
import { execRequest, serveExec } from './exec.ts';
import { acceptWebSocket, isWebSocketUpgrade, offeredProtocols, refuseUpgrade } from './websocket.ts';
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

function refuseWithStatus(socket: Duplex, error: unknown): void {
  const status = errorStatus(error);
  refuseUpgrade(socket, status.code, status.reason, JSON.stringify(status));
}

export function createUpgradeHandler(options: StreamingOptions) {
  const insides = new ContainerInsides(options.client, options.clock, options.random ?? Math.random);
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    try {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      const match = STREAM_PATH.exec(url.pathname);
      if (!match) {
        refuseUpgrade(
          socket,
          404,
          'Not Found',
          JSON.stringify(statusBody(404, 'NotFound', 'the server could not find the requested resource')),
        );
        return;
      }
      const [, namespace = '', name = '', subresource = ''] = match.map(decodeURIComponent);
      const identity = options.authenticator.authenticate(req);
      if (!identity) {
        refuseUpgrade(
          socket,
          401,
          'Unauthorized',
          JSON.stringify(statusBody(401, 'Unauthorized', 'Unauthorized')),
        );
        return;
      }
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
      if (subresource !== 'exec') {
        refuseUpgrade(
          socket,
          400,
          'Bad Request',
          JSON.stringify(statusBody(400, 'BadRequest', `${subresource} is not served by this sandbox yet`)),
        );
        return;
      }
      let inside;
      try {
        inside = insides.enter(pod, query.get('container') ?? undefined);
      } catch (error) {
        if (!(error instanceof NoContainerError)) throw error;
        refuseUpgrade(
          socket,
          400,
          'Bad Request',
          JSON.stringify(statusBody(400, 'BadRequest', error.message)),
        );
        return;
      }
      if (!isWebSocketUpgrade(req)) {
        refuseUpgrade(
          socket,
          400,
          'Bad Request',
          JSON.stringify(
            statusBody(400, 'BadRequest', 'this sandbox streams over WebSocket (v4/v5.channel.k8s.io) only'),
          ),
        );
        return;
      }
      const protocol = offeredProtocols(req).find((p) => CHANNEL_PROTOCOLS.includes(p));
      if (!protocol) {
        refuseUpgrade(
          socket,
          400,
          'Bad Request',
          JSON.stringify(
            statusBody(
              400,
              'BadRequest',
              `none of the offered protocols is served: ${offeredProtocols(req).join(', ')}`,
            ),
          ),
        );
        return;
      }
      const connection = acceptWebSocket(req, socket, head, protocol);
      const session = channelSession(connection);
      const untrack = options.tracker.add(() => connection.close());
      connection.onClose(untrack);
      serveExec(session, inside, execRequest(query)).catch((error: unknown) => {
        session.stderr(`${(error as Error).message}\n`);
        connection.close(1011);
      });
    } catch (error) {
      if (error instanceof NoContainerError) refuseUpgrade(socket, 400, 'Bad Request', error.message);
      else refuseWithStatus(socket, error);
    }
  };
}
