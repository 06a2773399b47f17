// The instructor's attendees × steps grid: who finished which lesson step, polled from GET /api/progress.
// Attendees choose their own names, so every name reaches the page through textContent only.
import { words } from '../i18n/language.ts';
import { formatNumber, formatTime } from '../i18n/format.ts';
import { cell, fillTable } from './table.ts';

export interface ProgressGridData {
  steps: { step: string; number: string; title: string }[];
  attendees: Record<string, Record<string, { completedAt: string }>>;
}

export interface ProgressRow {
  attendee: string;
  /** One per column, in step order: when that step was completed, or null. */
  cells: (string | null)[];
  done: number;
}

/** Pure view model: attendees sorted by how far they got, then by name; one cell per step. */
export function progressRows(data: ProgressGridData): ProgressRow[] {
  return Object.entries(data.attendees)
    .map(([attendee, completed]) => {
      const cells = data.steps.map((s) =>
        Object.hasOwn(completed, s.step) ? (completed[s.step]?.completedAt ?? null) : null,
      );
      return { attendee, cells, done: cells.filter((c) => c !== null).length };
    })
    .sort((a, b) => b.done - a.done || a.attendee.localeCompare(b.attendee));
}

export function renderProgressGrid(table: HTMLTableElement, data: ProgressGridData): void {
  const t = words().instructor;
  const head = document.createElement('tr');
  head.append(
    cell('th', t.attendee),
    ...data.steps.map((s) => cell('th', s.number, s.title)),
    cell('th', t.stepsDone),
  );
  const rows = progressRows(data).map((row) => {
    const tr = document.createElement('tr');
    tr.dataset.attendee = row.attendee;
    tr.append(
      cell('th', row.attendee),
      ...row.cells.map((completedAt, i) => {
        const td = cell('td', completedAt ? '✓' : '', completedAt ? formatTime(completedAt) : undefined);
        td.dataset.step = data.steps[i]?.step ?? '';
        if (completedAt) td.className = 'done';
        return td;
      }),
      cell('td', `${formatNumber(row.done)}/${formatNumber(data.steps.length)}`),
    );
    return tr;
  });
  fillTable(table, head, rows, t.noAttendee);
}

/** Shows the grid in `table` and refreshes it every `intervalMs`; returns a function that stops the polling. */
export function startProgressGrid(table: HTMLTableElement, token: string, intervalMs = 5000): () => void {
  const show = (text: string): void => {
    const caption = document.createElement('caption');
    caption.textContent = text;
    table.querySelector('caption')?.remove();
    table.prepend(caption);
  };
  const refresh = async (): Promise<void> => {
    const response = await fetch('/api/progress', { headers: { authorization: `Bearer ${token}` } });
    if (response.status === 401) {
      // A refused token stays refused: polling on would only fill the server's log with refusals.
      stop();
      return show(words().instructor.progressTokenRefused);
    }
    if (!response.ok) return show(words().instructor.progressFailed(String(response.status)));
    renderProgressGrid(table, (await response.json()) as ProgressGridData);
  };
  const poll = (): void => {
    refresh().catch(() => show(words().instructor.progressUnreachable));
  };
  const timer = setInterval(poll, intervalMs);
  const stop = (): void => clearInterval(timer);
  poll();
  return stop;
}
