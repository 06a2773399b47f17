import type { KubeConfig } from '@kubernetes/client-node';

/**
 * What the lessons need from a workshop room (issue 12), given by the room server: the attendee a key belongs to,
 * with a KubeConfig for their own cluster, and the URL attendees reach the platform by. Outside a room there is none.
 * (The room server may export an identical type from server/room/attendees.ts; this one is the lessons' side of it.)
 */
export interface RoomAttendees {
  byKey(key: string): { name: string; kubeConfig: KubeConfig } | undefined;
  /** e.g. http://10.0.0.5:8080: read when a lesson is rendered, so it may be a getter set once the server listens. */
  readonly publicBaseUrl: string;
}
