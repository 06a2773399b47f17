// The lesson routes' JSON shapes as the browser sees them, and the calls that fetch them.
import type { CourseIndex, LessonPage } from '../../server/lessons/library.ts';
import type { RoomKind } from '../../server/lessons/room.ts';

export type { LessonPage };

export interface LessonIndex extends CourseIndex {
  defaultNamespace: string;
  /** A workshop room: checks need the attendee's key and run in their own cluster. */
  room: boolean;
  /** In a namespace room (issue 14) what needs cluster-admin is the instructor's to show; null outside a room. */
  roomKind: RoomKind | null;
}

export interface CheckResponse {
  complete: boolean;
  /** The completion is in the progress (false when incomplete, without a name, or the progress is full). */
  saved: boolean;
  namespace: string;
  results: { id: string; passed: boolean; message: string; detail: string }[];
  /** In a namespace room, the checks not run because the instructor shows them: progress does not wait for them. */
  instructorShows: string[];
}

/** The steps one attendee completed, keyed by step folder. */
export type StepsDone = Record<string, { completedAt: string }>;

async function json<T>(response: Response): Promise<T> {
  const body = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `The server answered ${response.status}`);
  return body;
}

export const fetchIndex = async (): Promise<LessonIndex> => json(await fetch('/api/lessons'));
export const fetchStepsDone = async (player: string): Promise<StepsDone> =>
  (await json<{ steps: StepsDone }>(await fetch(`/api/progress/${encodeURIComponent(player)}`))).steps;
export const fetchLesson = async (lang: string, slug: string): Promise<LessonPage> =>
  json(await fetch(`/api/lessons/${encodeURIComponent(lang)}/${encodeURIComponent(slug)}`));

/**
 * "Check my work"; in a room, `key` (the attendee's) says whose cluster to check and whom to credit. Without a
 * namespace the server picks: the attendee's own in a namespace room, else its default.
 */
export async function checkWork(slug: string, body: { namespace?: string; player?: string; lang: string }, key?: string) {
  const response = await fetch(`/api/lessons/${encodeURIComponent(slug)}/check`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(key === undefined ? {} : { Authorization: `Bearer ${key}` }) },
    body: JSON.stringify(body),
  });
  return json<CheckResponse>(response);
}
