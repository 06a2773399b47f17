// What the join card says and offers: pure, so it is tested without a browser or a server.
import { words } from '../i18n/language.ts';
import type { JoinOutcome } from '../net/room-api.ts';
import { playerNameProblem } from './fleet.ts';

const MAX_NAME = 63;

/**
 * Another pilot name to offer when `name` is taken: a number appended, or the one it ends with counted up
 * (rey → rey-2, rey-2 → rey-3), shortened to stay a valid name.
 */
export function suggestName(name: string): string {
  const numbered = /^(.*)-(\d+)$/.exec(name);
  const base = numbered ? numbered[1]! : name;
  const next = numbered ? Number(numbered[2]) + 1 : 2;
  const suffix = `-${next}`;
  // A name that was only a number, or a count too long to print as digits, gives no valid base: offer a fresh one.
  const suggestion = `${base.slice(0, MAX_NAME - suffix.length)}${suffix}`;
  return playerNameProblem(suggestion) === undefined ? suggestion : `pilot${suffix}`;
}

/** The file name the browser saves the kubeconfig as. */
export function kubeconfigFileName(name: string): string {
  return `kubewars-${name}.kubeconfig`;
}

/**
 * The commands that point kubectl at the downloaded file, for a POSIX shell and for PowerShell. The path assumes
 * the browser's Downloads folder (the page says so); names are label values, so they need no quoting beyond this.
 */
export function connectCommands(name: string): { posix: string; powershell: string } {
  const file = kubeconfigFileName(name);
  return {
    posix: `export KUBECONFIG="$HOME/Downloads/${file}"\nkubectl get nodes`,
    powershell: `$env:KUBECONFIG = "$HOME\\Downloads\\${file}"\nkubectl get nodes`,
  };
}

type Refusal = Exclude<JoinOutcome, { kind: 'joined' }>;

/** The name to offer for a taken one: the server's (it knows which names are free), else one made here. */
export function offeredName(outcome: Extract<Refusal, { kind: 'taken' }>, name: string): string {
  const offered = outcome.suggestion;
  return offered !== undefined && playerNameProblem(offered) === undefined ? offered : suggestName(name);
}

/** What the page says for a join that did not succeed. */
export function joinProblem(outcome: Refusal, name: string): string {
  const t = words().room;
  switch (outcome.kind) {
    case 'taken':
      return t.taken(name, offeredName(outcome, name));
    case 'full':
      return t.full;
    case 'throttled':
      return t.throttled;
    case 'invalid':
      return t.refused(outcome.error);
    case 'failed':
      return t.failed(String(outcome.status));
  }
}
