import type { FleetScore } from '../store/protocol-types.ts';
import { leaderboardRows, type LeaderboardRow } from '../view/leaderboard.ts';
import { words } from '../i18n/language.ts';
import type { PageStrings } from '../i18n/page-strings.ts';

// Each column and the table key of its heading ('#' is a sign, the same in every language).
const COLUMNS: [keyof LeaderboardRow, keyof PageStrings['instructor']['columns'] | null][] = [
  ['rank', null],
  ['player', 'player'],
  ['status', 'status'],
  ['ships', 'ships'],
  ['uptime', 'uptime'],
  ['hits', 'hits'],
  ['recoveries', 'recoveries'],
  ['p50', 'p50'],
  ['p95', 'p95'],
  ['controllers', 'controllers'],
];

/** Renders ranked rows keyed by player; a row that changes rank slides from its old place (FLIP). */
export function renderLeaderboard(body: HTMLTableSectionElement, fleets: Iterable<FleetScore>): void {
  const before = new Map<string, number>();
  for (const row of body.rows) before.set(row.dataset['player'] ?? '', row.getBoundingClientRect().top);
  const existing = new Map([...body.rows].map((r) => [r.dataset['player'] ?? '', r]));
  const rows = leaderboardRows(fleets).map((data) => {
    const row = existing.get(data.player) ?? document.createElement('tr');
    row.dataset['player'] = data.player;
    row.className = data.status;
    row.replaceChildren(
      ...COLUMNS.map(([key]) => {
        const cell = document.createElement('td');
        // The status is also the row's class name: only its text is in the page's language.
        cell.textContent = key === 'status' ? words().instructor[data.status] : String(data[key]);
        return cell;
      }),
    );
    return row;
  });
  body.replaceChildren(...rows);
  for (const row of rows) {
    const old = before.get(row.dataset['player'] ?? '');
    if (old === undefined) continue;
    const delta = old - row.getBoundingClientRect().top;
    if (delta !== 0) row.animate([{ transform: `translateY(${delta}px)` }, { transform: 'none' }], 400);
  }
}

export function leaderboardHeader(head: HTMLTableSectionElement): void {
  const row = head.insertRow();
  for (const [, title] of COLUMNS) {
    const th = document.createElement('th');
    th.textContent = title === null ? '#' : words().instructor.columns[title];
    row.appendChild(th);
  }
}
