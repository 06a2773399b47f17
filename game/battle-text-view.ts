import type { LiveGameState } from './store/live-game-state.ts';
import { oncePerFrame } from './frame-schedule.ts';
import { hudLines } from './view/hud.ts';
import { recoveryLine, shotLine } from './view/kill-feed.ts';
import { controllerBadge } from './view/ship-visual.ts';
import { words } from './i18n/language.ts';

const FEED_LINES = 20;

/** `/game?view=text`: the same state as an accessible live list. Names are user input, so textContent only. */
export function mountTextView(root: HTMLElement, store: LiveGameState): void {
  const status = el('p', root);
  status.setAttribute('role', 'status');
  const fleets = el('ul', root);
  fleets.dataset['testid'] = 'text-fleets';
  el('h2', root).textContent = words().battle.killFeed;
  const feed = el('ol', root);
  feed.setAttribute('aria-live', 'polite');
  feed.dataset['testid'] = 'text-feed';

  const addLine = (line: string): void => {
    const item = document.createElement('li');
    item.textContent = line;
    feed.prepend(item);
    while (feed.children.length > FEED_LINES) feed.lastElementChild?.remove();
  };

  const render = (): void => {
    const hud = hudLines(store, Date.now());
    status.textContent = [hud.status, hud.warning].filter(Boolean).join(' — ');
    const byFleet = new Map<string, string[]>();
    for (const s of store.ships.values()) {
      const list = byFleet.get(s.fleet) ?? [];
      list.push(
        words().battle.shipLine(s.name, controllerBadge(s.controller), words().battle.shipStates[s.state]),
      );
      byFleet.set(s.fleet, list);
    }
    fleets.replaceChildren(
      ...[...byFleet.keys()].sort().map((name) => {
        const item = document.createElement('li');
        el('strong', item).textContent = name;
        const ships = el('ul', item);
        for (const line of byFleet.get(name)!) el('li', ships).textContent = line;
        return item;
      }),
    );
  };
  const schedule = oncePerFrame(render);
  store.subscribe({
    shipAdded: schedule,
    shipChanged: schedule,
    shipRemoved: schedule,
    fleetChanged: schedule,
    fleetRemoved: schedule,
    roundChanged: schedule,
    connectionChanged: schedule,
    shot: (shot) => addLine(shotLine(shot)),
    recovered: (recovery) => addLine(recoveryLine(recovery)),
  });
  setInterval(render, 1000);
  render();
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, parent: HTMLElement): HTMLElementTagNameMap[K] {
  return parent.appendChild(document.createElement(tag));
}
