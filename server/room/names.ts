// An attendee's name is their pilot name: their fleet's name on the battle screen and a Kubernetes label value
// (the player page's rules), and it names their cluster, its kubeconfig file and its state file.
import { labelValueErrors } from '../sandbox/validation/names.ts';

/** The host's own cluster, the instructor's: no attendee may take its id. */
const RESERVED = new Set(['main']);

/** Why `name` cannot be an attendee's name, in words an attendee understands; undefined when it can. */
export function attendeeNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'Choose a name: it cannot be empty.';
  if (labelValueErrors(name).length > 0) {
    return (
      `"${name}" cannot be a pilot name: use at most 63 letters, digits, "-", "_" or ".", ` +
      'starting and ending with a letter or a digit.'
    );
  }
  return undefined;
}

export function isReservedName(name: string): boolean {
  return RESERVED.has(name.toLowerCase());
}

/** A free name close to a taken one: rey → rey-2, rey-3…, kept within the 63 characters of a label value. */
export function suggestName(taken: string, isFree: (name: string) => boolean): string {
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const base = taken.slice(0, 63 - suffix.length).replace(/[-_.]+$/, '');
    const candidate = `${base}${suffix}`;
    if (isFree(candidate)) return candidate;
  }
}
