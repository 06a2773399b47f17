import type { KubeConfig } from '@kubernetes/client-node';

/**
 * A sandbox room (issue 12) gives each attendee a virtual cluster of their own; a namespace room (issue 14) gives
 * each a namespace of a shared cluster, where what needs cluster-admin is the instructor's to show.
 */
export type RoomKind = 'sandbox' | 'namespace';

/**
 * What the lessons need from a workshop room, given by the room server: the attendee a key belongs to, with a
 * KubeConfig for their own cluster (in a namespace room, their token, its context naming their namespace), and the
 * URL attendees reach the platform by. Outside a room there is none.
 */
export interface RoomAttendees {
  readonly kind: RoomKind;
  byKey(key: string): { name: string; kubeConfig: KubeConfig } | undefined;
  /** e.g. http://10.0.0.5:8080: read when a lesson is rendered, so it may be a getter set once the server listens. */
  readonly publicBaseUrl: string;
}
