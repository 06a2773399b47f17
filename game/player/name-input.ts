import { playerNameProblem } from './fleet.ts';

/**
 * The pilot name typed in `input`, trimmed; or undefined, with the reason shown in `error` and the field marked
 * invalid. Both the single-user name form and the room's join form take names this way.
 */
export function typedPilotName(input: HTMLInputElement, error: HTMLElement): string | undefined {
  const name = input.value.trim();
  const problem = playerNameProblem(name);
  error.textContent = problem ?? '';
  input.setAttribute('aria-invalid', String(Boolean(problem)));
  return problem ? undefined : name;
}
