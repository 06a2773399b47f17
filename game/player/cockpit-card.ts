// The attendee's cockpit card: their fleet live from the public /game feed, drawn as text on each change.
import { GAME_NAMESPACES } from '../../server/game/protocol.ts';
import { oncePerFrame } from '../frame-schedule.ts';
import { words } from '../i18n/language.ts';
import { connectGame } from '../net/game-connection.ts';
import { LiveGameState } from '../store/live-game-state.ts';
import { cockpitView, countShips, FleetLog } from './cockpit.ts';

function part(card: HTMLElement, testId: string): HTMLElement {
  const element = card.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
  if (!element) throw new Error(`the cockpit lacks ${testId}`);
  return element;
}

const listItems = (lines: string[]): HTMLElement[] =>
  lines.map((line) => {
    const item = document.createElement('li');
    item.textContent = line;
    return item;
  });

/** Shows `fleet` in `card` until the returned function is called (the attendee left). */
export function startCockpit(card: HTMLElement, fleet: string): () => void {
  const state = new LiveGameState();
  const log = new FleetLog(fleet);
  const render = oncePerFrame(() => {
    const view = cockpitView(
      state.fleets.get(fleet),
      countShips(state.ships.values(), fleet),
      state.fleets.size,
      state.round,
      log.events,
    );
    const headline = part(card, 'cockpit-headline');
    headline.textContent = view.headline;
    headline.dataset['state'] = view.state;
    part(card, 'cockpit-stats').replaceChildren(...listItems(view.stats));
    part(card, 'cockpit-why').textContent = view.why ?? '';
    part(card, 'cockpit-events').replaceChildren(...listItems(view.events));
  });
  const unsubscribe = state.subscribe({
    // Only the attendee's own ships: the room's other fleets change all the time.
    shipAdded: (ship) => ship.fleet === fleet && render(),
    shipChanged: (ship) => ship.fleet === fleet && render(),
    shipRemoved: (ship) => ship.fleet === fleet && render(),
    // Any fleet: a newcomer changes "rank 2 of N" too.
    fleetChanged: render,
    fleetRemoved: render,
    roundChanged: render,
    shot: (shot) => {
      if (log.add({ kind: 'shot', shot })) render();
    },
    recovered: (recovery) => {
      if (log.add({ kind: 'recovery', recovery })) render();
    },
  });
  const socket = connectGame(state, GAME_NAMESPACES.game);
  const connection = part(card, 'cockpit-connection');
  socket.on('connect', () => (connection.textContent = ''));
  socket.on('disconnect', () => (connection.textContent = words().connection.lost));
  card.hidden = false;
  render();
  return () => {
    unsubscribe();
    socket.disconnect();
    card.hidden = true;
  };
}
