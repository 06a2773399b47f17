import type { ClusterTarget } from '../cluster.ts';
import type { WebFeature } from './feature.ts';
import type { RoomKind } from '../lessons/room.ts';

/** What the pages learn about a room: they pick the join flow or today's single-user page from it. */
export interface RoomInfo {
  /** Read at each request: known once the web server listens. */
  readonly publicBaseUrl: string;
  readonly maxAttendees: number;
  /** A virtual cluster per attendee, or a namespace per attendee on a shared cluster. */
  readonly kind: RoomKind;
}

/**
 * `GET /api/platform`: what the player page needs to tell attendees how to reach the cluster; `GET /api/room`:
 * whether this is a room.
 */
export function platformInfoFeature(cluster: ClusterTarget, room?: RoomInfo): WebFeature {
  // The kubeconfig path is only shown for the sandbox outside a room: there it is a file on the attendee's own
  // laptop, in a room it is the instructor's (attendees download their own).
  const body = {
    cluster: {
      mode: cluster.mode,
      context: cluster.context,
      version: cluster.version,
      kubeconfigPath: cluster.mode === 'sandbox' && !room ? cluster.kubeconfigPath : undefined,
    },
  };
  return {
    name: 'platform-info',
    mount(app) {
      app.get('/api/platform', (_req, res) => {
        res.json(body);
      });
      app.get('/api/room', (_req, res) => {
        res.json(
          room
            ? {
                room: true,
                kind: room.kind,
                publicBaseUrl: room.publicBaseUrl,
                maxAttendees: room.maxAttendees,
              }
            : { room: false },
        );
      });
    },
  };
}
