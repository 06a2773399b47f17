import type { FleetScore } from '../store/protocol-types.ts';
import { leaderboardRows, type LeaderboardRow } from '../view/leaderboard.ts';

const COLUMNS: [keyof LeaderboardRow, string][] = [
  ['rank', '#'],
  ['player', 'Player'],
  ['status', 'Status'],
  ['ships', 'Ships'],
  ['uptime', 'Uptime'],
  ['hits', 'Hits'],
  ['recoveries', 'Recoveries'],
  ['p50', 'p50'],
  ['p95', 'p95'],
  ['controllers', 'Controllers'],
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
        cell.textContent = String(data[key]);
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
    th.textContent = title;
    row.appendChild(th);
  }
}
