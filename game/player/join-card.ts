// The "Join the room" card: the join form, then "You are rey" with the kubeconfig download, the commands and Leave.
// Names are typed by attendees: they reach the page through textContent only.
import { words } from '../i18n/language.ts';
import { fetchKubeconfig, joinRoom } from '../net/room-api.ts';
import { saveFile } from '../save-file.ts';
import { forgetAttendee, saveAttendee, savedAttendee, ATTENDEE_KEY, type Attendee } from './attendee.ts';
import { connectCommands, joinProblem, kubeconfigFileName, offeredName } from './join.ts';
import { typedPilotName } from './name-input.ts';

export interface JoinCardEvents {
  /** This browser is now `attendee` (joined here, in another tab, or remembered from before). */
  joined(attendee: Attendee): void;
  left(): void;
}

function part<T extends HTMLElement>(card: HTMLElement, selector: string): T {
  const element = card.querySelector<T>(selector);
  if (!element) throw new Error(`the join card lacks ${selector}`);
  return element;
}

export function startJoinCard(card: HTMLElement, events: JoinCardEvents): void {
  const t = words().room;
  const form = part<HTMLFormElement>(card, '#join-form');
  const input = part<HTMLInputElement>(card, '#attendee-name');
  const joinButton = part<HTMLButtonElement>(card, '[data-testid="join-button"]');
  const error = part<HTMLElement>(card, '#join-error');
  const joined = part<HTMLElement>(card, '#joined');
  const downloadError = part<HTMLElement>(card, '#download-error');
  let attendee: Attendee | undefined;
  /** The kubeconfig as last received (join answer or download), so the first download needs no request. */
  let kubeconfig: string | undefined;

  const showForm = (message = ''): void => {
    attendee = undefined;
    kubeconfig = undefined;
    joined.hidden = true;
    form.hidden = false;
    error.textContent = message;
  };
  const showJoined = (who: Attendee): void => {
    attendee = who;
    form.hidden = true;
    joined.hidden = false;
    downloadError.textContent = '';
    part(card, '[data-testid="you-are"]').textContent = t.youAre(who.name);
    const commands = connectCommands(who.name);
    part(card, '[data-testid="posix-commands"]').textContent = commands.posix;
    part(card, '[data-testid="powershell-commands"]').textContent = commands.powershell;
    events.joined(who);
  };
  const leave = (message?: string): void => {
    forgetAttendee(localStorage);
    showForm(message);
    events.left();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = typedPilotName(input, error);
    if (name === undefined) return;
    joinButton.disabled = true;
    joinButton.textContent = t.joining;
    joinRoom(name)
      .then((outcome) => {
        if (outcome.kind === 'joined') {
          kubeconfig = outcome.attendee.kubeconfig;
          const who = { name: outcome.attendee.name, key: outcome.attendee.key };
          saveAttendee(localStorage, who);
          showJoined(who);
          return;
        }
        error.textContent = joinProblem(outcome, name);
        if (outcome.kind === 'taken') input.value = offeredName(outcome, name);
      })
      .catch(() => (error.textContent = t.unreachable))
      .finally(() => {
        joinButton.disabled = false;
        joinButton.textContent = t.join;
      });
  });

  part(card, '[data-testid="download-kubeconfig"]').addEventListener('click', () => {
    const who = attendee;
    if (!who) return;
    downloadError.textContent = '';
    const save = (yaml: string): void =>
      saveFile(new Blob([yaml], { type: 'application/yaml' }), kubeconfigFileName(who.name));
    if (kubeconfig !== undefined) return save(kubeconfig);
    fetchKubeconfig(who.name, who.key)
      .then((outcome) => {
        if (outcome.kind === 'kubeconfig') {
          kubeconfig = outcome.yaml;
          save(outcome.yaml);
        } else if (outcome.kind === 'refused') leave(t.keyRevoked(who.name));
        else downloadError.textContent = t.downloadFailed(String(outcome.status));
      })
      .catch(() => (downloadError.textContent = t.unreachable));
  });

  part(card, '[data-testid="leave-room"]').addEventListener('click', () => {
    if (confirm(t.leaveConfirm)) leave();
  });

  // Another tab joined or left: follow it, so every tab of this browser is the same attendee.
  addEventListener('storage', (event) => {
    if (event.key !== ATTENDEE_KEY) return;
    const now = savedAttendee(localStorage);
    if (!now) {
      if (attendee) leave();
    } else if (now.key !== attendee?.key) {
      kubeconfig = undefined;
      showJoined(now);
    }
  });

  card.hidden = false;
  const remembered = savedAttendee(localStorage);
  if (!remembered) return showForm();
  showJoined(remembered);
  // The key may have been revoked since (the instructor removed this attendee): ask once, and fetch the
  // kubeconfig for the download at the same time. A network failure keeps the attendee: the room may be back soon.
  fetchKubeconfig(remembered.name, remembered.key)
    .then((outcome) => {
      if (attendee?.key !== remembered.key) return;
      if (outcome.kind === 'kubeconfig') kubeconfig = outcome.yaml;
      if (outcome.kind === 'refused') leave(t.keyRevoked(remembered.name));
    })
    .catch(() => undefined);
}
