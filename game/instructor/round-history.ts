import type { RoundDetail, RoundSummary } from '../store/protocol-types.ts';
import { leaderboardHeader, renderLeaderboard } from './leaderboard-table.ts';
import { words } from '../i18n/language.ts';
import { formatDateTime, formatNumber } from '../i18n/format.ts';

export interface RoundHistoryActions {
  standings(id: number): Promise<RoundDetail>;
  exportRound(id: number, format: 'csv' | 'json'): void;
  failed(error: Error): void;
}

/** One line per round, newest first as the server lists them; its final standings load when opened. */
export function renderRoundHistory(
  list: HTMLUListElement,
  rounds: RoundSummary[],
  actions: RoundHistoryActions,
): void {
  list.replaceChildren(...rounds.map((round) => historyItem(round, actions)));
}

function historyItem(round: RoundSummary, actions: RoundHistoryActions): HTMLLIElement {
  const item = document.createElement('li');
  item.dataset['testid'] = `round-${round.id}`;
  const t = words().instructor;
  const when = round.startedAt ? formatDateTime(round.startedAt) : t.notStarted;
  const leader = round.leader === null ? '' : t.historyLeader(round.leader, formatNumber(round.fleetCount));
  const status = words().hud.roundStatus[round.status];
  item.append(`${t.historyLine(formatNumber(round.id), status, when)}${leader} `);
  for (const format of ['csv', 'json'] as const) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = format.toUpperCase();
    button.dataset['testid'] = `export-${format}-${round.id}`;
    button.addEventListener('click', () => actions.exportRound(round.id, format));
    item.append(button);
  }
  if (round.fleetCount > 0) item.append(standingsDetails(round.id, actions));
  return item;
}

function standingsDetails(id: number, actions: RoundHistoryActions): HTMLDetailsElement {
  const details = document.createElement('details');
  const summary = document.createElement('summary');
  summary.textContent = words().instructor.standings;
  const table = document.createElement('table');
  table.dataset['testid'] = `standings-${id}`;
  details.append(summary, table);
  details.addEventListener('toggle', () => {
    if (!details.open || table.tBodies.length > 0) return;
    actions
      .standings(id)
      .then((round) => {
        leaderboardHeader(table.createTHead());
        renderLeaderboard(table.createTBody(), round.fleets);
      })
      .catch(actions.failed);
  });
  return details;
}
