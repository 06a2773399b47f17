import '../styles/page.css';
import { words } from '../i18n/language.ts';
import { startPageLanguage } from '../i18n/page.ts';
import { roomInfo } from '../net/room-api.ts';
import { startCockpit } from './cockpit-card.ts';
import { fleetCommands, fleetManifest, playerNameProblem } from './fleet.ts';
import { startJoinCard } from './join-card.ts';
import { typedPilotName } from './name-input.ts';

const playerKey = 'kubewars.player';
/** The name the manifest shows until the visitor has one. */
const noName = 'your-name';

function byTestId(id: string): HTMLElement {
  const element = document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  if (!element) throw new Error(`missing element ${id}`);
  return element;
}

function showFleet(player: string): void {
  // textContent only: the name is typed by a user and must never be parsed as HTML.
  byTestId('fleet-manifest').textContent = fleetManifest(player);
  byTestId('fleet-commands').textContent = fleetCommands(player);
}

function setUpNameForm(): void {
  const form = document.querySelector<HTMLFormElement>('#name-form');
  const input = document.querySelector<HTMLInputElement>('#player-name');
  const error = document.querySelector<HTMLElement>('#name-error');
  if (!form || !input || !error) return;
  const saved = localStorage.getItem(playerKey);
  input.value = saved ?? '';
  showFleet(saved && !playerNameProblem(saved) ? saved : noName);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = typedPilotName(input, error);
    if (name === undefined) return;
    localStorage.setItem(playerKey, name);
    showFleet(name);
  });
}

function setUpCopyButtons(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-copy-from]')) {
    button.addEventListener('click', async () => {
      const source = byTestId(button.dataset.copyFrom ?? '');
      try {
        await navigator.clipboard.writeText(source.textContent ?? '');
        button.textContent = words().player.copied;
      } catch {
        // Clipboard access needs a secure context: on plain http, select the text for Ctrl-C instead.
        getSelection()?.selectAllChildren(source);
        button.textContent = words().player.pressCtrlC;
      }
      setTimeout(() => (button.textContent = words().player.copy), 1500);
    });
  }
}

async function showClusterAccess(): Promise<void> {
  const response = await fetch('/api/platform').catch(() => undefined);
  if (!response?.ok) return;
  const info = (await response.json()) as { cluster: { mode: string; kubeconfigPath?: string } };
  if (info.cluster.mode !== 'sandbox' || !info.cluster.kubeconfigPath) return;
  byTestId('kubeconfig-command').textContent =
    `export KUBECONFIG=${info.cluster.kubeconfigPath}\nkubectl get nodes`;
  const section = document.querySelector<HTMLElement>('#connect');
  if (section) section.hidden = false;
  // The connect card comes first, so the other steps move down by one.
  for (const step of document.querySelectorAll<HTMLElement>('.step[data-step]')) {
    step.textContent = String(Number(step.textContent) + 1);
  }
}

/**
 * In a room the attendee joins instead of naming a fleet: the join card is step 1, the fleet is the attendee's
 * name (every game pod of their cluster is theirs) and the cockpit follows it.
 */
function startRoomPage(): void {
  const card = (id: string): HTMLElement => document.getElementById(id) as HTMLElement;
  card('name-card').hidden = true;
  let stopCockpit: (() => void) | undefined;
  startJoinCard(card('join'), {
    joined(attendee) {
      showFleet(attendee.name);
      stopCockpit?.();
      stopCockpit = startCockpit(card('cockpit'), attendee.name);
    },
    left() {
      stopCockpit?.();
      stopCockpit = undefined;
      showFleet(noName);
    },
  });
}

startPageLanguage();
setUpNameForm();
setUpCopyButtons();
// Without a room (or a server that does not know the question), the page stays the single-user page.
void roomInfo()
  .catch(() => null)
  .then((room) => (room ? startRoomPage() : showClusterAccess()));
