// Who this browser is in a room: the attendee's name and key, kept in localStorage so a reload, a second tab and
// the lesson viewer (game/lessons, which reads the same key) are the same attendee.

/** The storage key, shared with the lesson viewer: JSON `{"name","key"}`. */
export const ATTENDEE_KEY = 'kubewars.attendee';

export interface Attendee {
  name: string;
  key: string;
}

type KeyStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The saved attendee, or undefined when there is none or what is saved is not one (edited by hand, older page). */
export function savedAttendee(storage: KeyStore): Attendee | undefined {
  const text = storage.getItem(ATTENDEE_KEY);
  if (text === null) return undefined;
  try {
    const value = JSON.parse(text) as Partial<Attendee> | null;
    if (typeof value?.name === 'string' && typeof value.key === 'string' && value.name && value.key)
      return { name: value.name, key: value.key };
  } catch {
    // Not JSON: treated as no attendee, and overwritten by the next join.
  }
  return undefined;
}

export function saveAttendee(storage: KeyStore, attendee: Attendee): void {
  storage.setItem(ATTENDEE_KEY, JSON.stringify({ name: attendee.name, key: attendee.key }));
}

export function forgetAttendee(storage: KeyStore): void {
  storage.removeItem(ATTENDEE_KEY);
}
