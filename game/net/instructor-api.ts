import type {
  ChaosSettings,
  ChaosUpdate,
  GameStateView,
  RoundDetail,
  RoundSummary,
  ShotEvent,
} from '../store/protocol-types.ts';
import type { AttendeeSummary } from './room-api.ts';

/** A call the server answered with an error status: `status` lets a panel word each case in its language. */
export class InstructorApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The instructor's HTTP calls (issue 5's JSON contract), each with the bearer token. */
export class InstructorApi {
  constructor(private readonly token: string) {}

  startRound(durationSeconds: number): Promise<unknown> {
    return this.call('POST', '/api/rounds', { durationSeconds });
  }

  roundAction(action: 'pause' | 'resume' | 'stop'): Promise<unknown> {
    return this.call('POST', `/api/rounds/current/${action}`);
  }

  resetRound(): Promise<unknown> {
    return this.call('POST', '/api/rounds/current/reset');
  }

  /** Changes some settings; the server answers with all of them as now in force. */
  async setChaos(update: ChaosUpdate): Promise<ChaosSettings> {
    return (await this.call('PUT', '/api/chaos', update)) as ChaosSettings;
  }

  async state(): Promise<GameStateView> {
    return (await this.call('GET', '/api/state')) as GameStateView;
  }

  /** A manual shot; the server answers with its shot event (hit, refused with a reason, or missed). */
  async fire(uid: string): Promise<ShotEvent> {
    return (await this.call('POST', '/api/fire', { uid })) as ShotEvent;
  }

  /** Whether the capital-ship rule is on, from the public `GET /api/state`. */
  async capitalShipsEnabled(): Promise<boolean> {
    return (await this.state()).chaos.capitalShips.enabled;
  }

  async rounds(): Promise<RoundSummary[]> {
    return (await this.call('GET', '/api/rounds')) as RoundSummary[];
  }

  /** One round with its ranked standings. */
  async round(id: number): Promise<RoundDetail> {
    return (await this.call('GET', `/api/rounds/${id}`)) as RoundDetail;
  }

  async download(roundId: number, format: 'csv' | 'json'): Promise<Blob> {
    const res = await fetch(`/api/rounds/${roundId}/export.${format}`, { headers: this.headers() });
    if (!res.ok) throw new Error(`Export failed (${res.status}): check the round still exists.`);
    return res.blob();
  }

  /** The room's attendees (a room only). */
  async attendees(): Promise<AttendeeSummary[]> {
    return (await this.call('GET', '/api/attendees')) as AttendeeSummary[];
  }

  /** Removes an attendee: their cluster goes, their key and kubeconfig stop working, their fleet leaves. */
  removeAttendee(name: string): Promise<unknown> {
    return this.call('DELETE', `/api/attendees/${encodeURIComponent(name)}`);
  }

  /** Ends the room: every attendee is removed (the server wants the confirmation words in the body). */
  async endRoom(): Promise<{ removed: string[] }> {
    return (await this.call('POST', '/api/room/end', { confirm: 'end room' })) as { removed: string[] };
  }

  async attendeeKubeconfig(name: string): Promise<Blob> {
    const res = await fetch(`/api/attendees/${encodeURIComponent(name)}/kubeconfig`, {
      headers: this.headers(),
    });
    if (!res.ok)
      throw new InstructorApiError(`Kubeconfig of ${name}: the server answered ${res.status}.`, res.status);
    return res.blob();
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(path, {
      method,
      headers: { ...this.headers(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 401)
      throw new InstructorApiError(
        'The instructor token was refused: log in again with the token printed at start.',
        401,
      );
    if (!res.ok)
      throw new InstructorApiError(
        `${method} ${path} failed (${res.status}): ${(await res.text()).slice(0, 200)}`,
        res.status,
      );
    return res.status === 204 ? null : res.json();
  }

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }
}
