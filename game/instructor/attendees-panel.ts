// The instructor's Attendees panel in a room: who joined, their ships and steps, with a kubeconfig download and a
// remove button per attendee, polled from GET /api/attendees. Attendees choose their own names: textContent only.
import { words } from '../i18n/language.ts';
import { formatNumber, formatTime } from '../i18n/format.ts';
import { InstructorApiError, type InstructorApi } from '../net/instructor-api.ts';
import type { AttendeeSummary } from '../net/room-api.ts';
import { kubeconfigFileName } from '../player/join.ts';
import { saveFile } from '../save-file.ts';
import { cell, fillTable } from './table.ts';

export interface AttendeeRow {
  name: string;
  joined: string;
  ships: string;
  stepsDone: string;
  /** Null when the server does not report last activity at all (the column is left out). */
  lastActivity: string | null;
}

/** Pure view model: one row per attendee, by name, so a name is easy to find among 200. */
export function attendeeRows(attendees: readonly AttendeeSummary[]): AttendeeRow[] {
  const reportsActivity = attendees.some((a) => a.lastActivity !== undefined);
  return [...attendees]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((a) => ({
      name: a.name,
      joined: formatTime(a.joinedAt),
      ships: `${formatNumber(a.flying)}/${formatNumber(a.total)}`,
      stepsDone: formatNumber(a.stepsDone),
      lastActivity: reportsActivity ? (a.lastActivity == null ? '–' : formatTime(a.lastActivity)) : null,
    }));
}

function button(text: string, action: string): HTMLButtonElement {
  const node = document.createElement('button');
  node.type = 'button';
  node.textContent = text;
  node.dataset['action'] = action;
  return node;
}

export function renderAttendees(table: HTMLTableElement, attendees: readonly AttendeeSummary[]): void {
  const t = words().instructor.attendees;
  const rows = attendeeRows(attendees);
  const withActivity = rows.some((r) => r.lastActivity !== null);
  const head = document.createElement('tr');
  head.append(
    ...[t.name, t.joined, t.ships, t.stepsDone, ...(withActivity ? [t.lastActivity] : []), t.actions].map(
      (text) => cell('th', text),
    ),
  );
  const body = rows.map((row) => {
    const tr = document.createElement('tr');
    tr.dataset['attendee'] = row.name;
    const actions = document.createElement('td');
    const remove = button(t.remove, 'remove');
    remove.className = 'danger';
    actions.append(button(t.download, 'download'), ' ', remove);
    tr.append(
      cell('th', row.name),
      cell('td', row.joined),
      cell('td', row.ships),
      cell('td', row.stepsDone),
      ...(row.lastActivity === null ? [] : [cell('td', row.lastActivity)]),
      actions,
    );
    return tr;
  });
  fillTable(table, head, body, t.none);
}

export interface AttendeesPanelOptions {
  table: HTMLTableElement;
  /** Where "12 of 200 seats taken" goes. */
  seats: HTMLElement;
  /** The "End room" button: removes every attendee after a confirmation. */
  endRoom: HTMLButtonElement;
  maxAttendees: number;
  api: InstructorApi;
  /** The instructor screen's message line. */
  say(text: string, bad?: boolean): void;
  intervalMs?: number;
}

/** Shows the panel and refreshes it every `intervalMs`; returns a function that stops the polling. */
export function startAttendeesPanel(options: AttendeesPanelOptions): () => void {
  const { table, api, say } = options;
  const t = words().instructor.attendees;
  /** The list as last drawn: an unchanged poll leaves the buttons alone, so a click in progress is not lost. */
  let shown = '';
  const caption = (text: string): void => {
    table.querySelector('caption')?.remove();
    const node = document.createElement('caption');
    node.textContent = text;
    table.prepend(node);
  };
  const refresh = async (): Promise<void> => {
    const attendees = await api.attendees();
    options.seats.textContent = t.seats(formatNumber(attendees.length), formatNumber(options.maxAttendees));
    const text = JSON.stringify(attendees);
    if (text === shown) return;
    shown = text;
    renderAttendees(table, attendees);
  };
  const poll = (): void => {
    refresh().catch((err: unknown) => {
      shown = '';
      if (!(err instanceof InstructorApiError)) return caption(t.unreachable);
      // A refused token stays refused: polling on would only fill the server's log with refusals.
      if (err.status === 401) {
        stop();
        return caption(t.tokenRefused);
      }
      caption(t.failed(String(err.status)));
    });
  };
  table.addEventListener('click', (event) => {
    const target = (event.target as Element).closest<HTMLButtonElement>('button[data-action]');
    const name = target?.closest<HTMLElement>('tr')?.dataset['attendee'];
    if (!target || !name) return;
    if (target.dataset['action'] === 'download') {
      api
        .attendeeKubeconfig(name)
        .then((blob) => saveFile(blob, kubeconfigFileName(name)))
        .catch((err: Error) => say(err.message, true));
    } else if (confirm(t.removeConfirm(name))) {
      api
        .removeAttendee(name)
        .then(() => {
          say(t.removed(name));
          poll();
        })
        .catch((err: Error) => say(err.message, true));
    }
  });
  options.endRoom.addEventListener('click', () => {
    if (!confirm(t.endRoomConfirm)) return;
    api
      .endRoom()
      .then(({ removed }) => {
        say(t.roomEnded(formatNumber(removed.length)));
        poll();
      })
      .catch((err: Error) => say(err.message, true));
  });
  const timer = setInterval(poll, options.intervalMs ?? 5000);
  const stop = (): void => clearInterval(timer);
  poll();
  return stop;
}
