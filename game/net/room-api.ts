// The attendee's HTTP calls in a room (issue 12's contract): is this a room, join, download the kubeconfig.
// Outcomes are data, so the page decides what to say; only a network failure throws.

export interface RoomInfo {
  room: true;
  publicBaseUrl: string;
  maxAttendees: number;
}

export interface JoinedAttendee {
  name: string;
  key: string;
  kubeconfig: string;
}

/** One line of `GET /api/attendees` (instructor): `lastActivity` when the server keeps it. */
export interface AttendeeSummary {
  name: string;
  joinedAt: string | number;
  flying: number;
  total: number;
  stepsDone: number;
  lastActivity?: string | number | null;
}

export type JoinOutcome =
  | { kind: 'joined'; attendee: JoinedAttendee }
  /** `suggestion`: a free name the server offers instead (the room server sends one with its 409). */
  | { kind: 'taken'; suggestion?: string }
  | { kind: 'invalid'; error: string }
  | { kind: 'full' }
  /** Too many joins from this address in a minute (429). */
  | { kind: 'throttled' }
  | { kind: 'failed'; status: number };

export type KubeconfigOutcome =
  { kind: 'kubeconfig'; yaml: string } | { kind: 'refused' } | { kind: 'failed'; status: number };

/** The room this page is served by, or null when the platform is not a room (404 or `{"room":false}`). */
export async function roomInfo(): Promise<RoomInfo | null> {
  const response = await fetch('/api/room');
  if (!response.ok) return null;
  const info = (await response.json()) as Partial<RoomInfo> | null;
  return info?.room === true ? (info as RoomInfo) : null;
}

/** Joins as `name`; with the key of that name's attendee the server answers 200 with the same attendee. */
export async function joinRoom(name: string, key?: string): Promise<JoinOutcome> {
  const response = await fetch('/api/attendees', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ name }),
  });
  if (response.ok) return { kind: 'joined', attendee: (await response.json()) as JoinedAttendee };
  if (response.status === 409) {
    const body = (await response.json().catch(() => null)) as { suggestion?: unknown } | null;
    return typeof body?.suggestion === 'string'
      ? { kind: 'taken', suggestion: body.suggestion }
      : { kind: 'taken' };
  }
  if (response.status === 503) return { kind: 'full' };
  if (response.status === 429) return { kind: 'throttled' };
  if (response.status === 400) return { kind: 'invalid', error: await errorOf(response) };
  return { kind: 'failed', status: response.status };
}

/** The attendee's kubeconfig, with the attendee's key or the instructor token as `credential`. */
export async function fetchKubeconfig(name: string, credential: string): Promise<KubeconfigOutcome> {
  const response = await fetch(`/api/attendees/${encodeURIComponent(name)}/kubeconfig`, {
    headers: { authorization: `Bearer ${credential}` },
  });
  if (response.ok) return { kind: 'kubeconfig', yaml: await response.text() };
  if (response.status === 401 || response.status === 404) return { kind: 'refused' };
  return { kind: 'failed', status: response.status };
}

/** The server's `{"error"}` text, or the status line when the body is not that. */
async function errorOf(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
  return typeof body?.error === 'string' ? body.error : `${response.status} ${response.statusText}`;
}
