import '../styles/page.css';
import { words } from '../i18n/language.ts';
import { startPageLanguage } from '../i18n/page.ts';
import { fleetCommands, fleetManifest, playerNameProblem } from './fleet.ts';

const playerKey = 'kubewars.player';

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
  showFleet(saved && !playerNameProblem(saved) ? saved : 'your-name');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = input.value.trim();
    const problem = playerNameProblem(name);
    error.textContent = problem ?? '';
    input.setAttribute('aria-invalid', String(Boolean(problem)));
    if (problem) return;
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

startPageLanguage();
setUpNameForm();
setUpCopyButtons();
void showClusterAccess();
