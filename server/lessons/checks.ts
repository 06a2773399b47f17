import { z } from 'zod';
import { kindInfo } from './kinds.ts';
import { labelValuePattern } from '../sandbox/validation/names.ts';
import { type ViewerStrings, viewerStrings } from './strings.ts';

type DetailWords = ViewerStrings['checks'];

const messageSchema = z.record(z.string(), z.string()).refine((m) => typeof m.en === 'string', {
  message: 'needs an English message (en)',
});

const checkSchema = z
  .object({
    id: z.string().min(1),
    kind: z.string().refine((kind) => kindInfo(kind) !== undefined, { message: 'is not a kind checks know' }),
    name: z.string().optional(),
    labelSelector: z.string().optional(),
    /** With or instead of labelSelector: objects without labels, such as the Events about one pod. */
    fieldSelector: z.string().optional(),
    namespace: z.string().optional(),
    /**
     * Runs a command in the pod (the first running one a selector matches) through pods/exec; `expect` then reads
     * its result: `stdout` (trimmed), `stderr` and `exitCode`.
     */
    exec: z
      .object({ command: z.array(z.string()).min(1), container: z.string().optional() })
      .optional(),
    expect: z.record(z.string(), z.unknown()).default({}),
    message: messageSchema,
  })
  .refine((c) => Boolean(c.name) !== Boolean(c.labelSelector || c.fieldSelector), {
    message: 'needs exactly one of name or a selector (labelSelector, fieldSelector)',
  })
  .refine((c) => !c.exec || c.kind === 'Pod', { message: 'runs a command (exec) only in a Pod' });

export const checksFileSchema = z.object({ checks: z.array(checkSchema) });

export type Check = z.infer<typeof checkSchema>;

export interface CheckResult {
  id: string;
  passed: boolean;
  message: string;
  /** What was found, for the learner: "status.phase is Pending, expected Running". */
  detail: string;
}

// `{player}` in a check's name, label selector or message stands for the attendee's pilot name; `{player:luke}`
// also names the sample pilot the step's manifests use, checked when the attendee has not chosen a name.
const playerPlaceholder = /\{player(?::([^}]*))?\}/g;
const objectName = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** A check made ready for one attendee, or why it cannot be (said to the learner). */
export type PlayerCheck = { check: Check } | { problem: string };

function fill(text: string, player: string | undefined): { text: string; missing: boolean } {
  let missing = false;
  const filled = text.replace(playerPlaceholder, (_all, sample: string | undefined) => {
    const value = player ?? sample;
    if (value === undefined) missing = true;
    return value ?? '';
  });
  return { text: filled, missing };
}

/**
 * Fills `{player}` placeholders with the attendee's name, or the sample pilot's when they have not chosen one;
 * a problem is said in `lang`.
 */
export function checkForPlayer(check: Check, player: string | undefined, lang = 'en'): PlayerCheck {
  const words = viewerStrings(lang).checks;
  const message = Object.fromEntries(
    Object.entries(check.message).map(([language, text]) => [
      language,
      text.replace(playerPlaceholder, (_all, sample?: string) => player ?? sample ?? 'yourname'),
    ]),
  ) as Check['message'];
  const name = check.name === undefined ? undefined : fill(check.name, player);
  const selector = check.labelSelector === undefined ? undefined : fill(check.labelSelector, player);
  const fields = check.fieldSelector === undefined ? undefined : fill(check.fieldSelector, player);
  const personal =
    name?.text !== check.name || selector?.text !== check.labelSelector || fields?.text !== check.fieldSelector;
  if (name?.missing || selector?.missing || fields?.missing) {
    return { problem: words.needsPilotName };
  }
  if (personal && player !== undefined && !labelValuePattern.test(player)) {
    return { problem: words.nameNotLabel(player) };
  }
  if (name && name.text !== check.name && !objectName.test(name.text)) {
    return { problem: words.nameNotObjectName(player ?? '') };
  }
  const filled: Check = { ...check, message };
  if (name) filled.name = name.text;
  if (selector) filled.labelSelector = selector.text;
  if (fields) filled.fieldSelector = fields.text;
  return { check: filled };
}

/** What a command run in a pod by an exec check gave back. */
export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * What the cluster held for a check: one object (or none) by name, or the list matched by a label selector; for an
 * exec check, the pod it ran in (none when no pod matched) and the command's result when that pod was running.
 */
export type Observed =
  | { by: 'name'; object: unknown }
  | { by: 'selector'; items: unknown[] }
  | { by: 'exec'; pod: unknown; result?: ExecResult };

/** The pod an exec check runs its command in: the named one, or the first running one of a selector's list. */
export function execTarget(pods: unknown[]): unknown {
  return pods.find((pod) => readPath(pod, 'status.phase') === 'Running') ?? pods[0];
}

/** Reads `a.b[0].c` from an object; undefined when any part is missing. */
export function readPath(object: unknown, path: string): unknown {
  const parts = path.match(/[^.[\]]+/g) ?? [];
  let current: unknown = object;
  for (const part of parts) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

// Short paths as written for learners (`phase`, `readyReplicas`, `type`) are looked up under status, then spec.
function lookup(object: unknown, path: string): { value: unknown; path: string } {
  for (const candidate of [path, `status.${path}`, `spec.${path}`]) {
    const value = readPath(object, candidate);
    if (value !== undefined) return { value, path: candidate };
  }
  return { value: undefined, path };
}

/** Compares an observed value with an expectation: a literal, or a string ">=3", "<=5", ">0", "<2", "!=x". */
export function matchesExpectation(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'string') {
    const comparison = /^(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)$/.exec(expected.trim());
    if (comparison) {
      const value = typeof actual === 'number' ? actual : actual === undefined ? 0 : Number(actual);
      if (Number.isNaN(value)) return false;
      const bound = Number(comparison[2]);
      switch (comparison[1]) {
        case '>=':
          return value >= bound;
        case '<=':
          return value <= bound;
        case '>':
          return value > bound;
        default:
          return value < bound;
      }
    }
    if (expected.startsWith('!=')) return String(actual ?? '') !== expected.slice(2).trim();
  }
  if (expected !== null && typeof expected === 'object') return JSON.stringify(actual) === JSON.stringify(expected);
  return actual === expected || (actual !== undefined && actual !== null && String(actual) === String(expected));
}

// A detail shows what it read from the cluster only as far as fixing the step needs: a scalar, cut short, never a
// whole subtree or a Secret's data (issue 17: a check must not be a way to read the cluster).
const shownValueLength = 60;

function describeObserved(value: unknown, path: string, kind: string, words: DetailWords): string {
  if (value === undefined) return words.missing;
  if (kind === 'Secret' && /^(data|stringData)([.[]|$)/.test(path)) return words.hidden;
  if (Array.isArray(value)) return '[…]';
  if (value !== null && typeof value === 'object') return '{…}';
  const text = JSON.stringify(value);
  return text.length > shownValueLength ? `${text.slice(0, shownValueLength - 1)}…` : text;
}

function failureDetail(object: unknown, check: Check, words: DetailWords): string | undefined {
  for (const [path, expected] of Object.entries(check.expect)) {
    if (path === 'exists' || path === 'count') continue;
    const found = lookup(object, path);
    if (!matchesExpectation(found.value, expected)) {
      const actual = describeObserved(found.value, found.path, check.kind, words);
      return words.fieldIs(found.path, actual, expected === undefined ? words.missing : JSON.stringify(expected));
    }
  }
  return undefined;
}

/** Pure verdict of one check against what the cluster held; `lang` picks the message, English when absent. */
export function evaluateCheck(check: Check, observed: Observed, lang: string): CheckResult {
  const message = check.message[lang] ?? check.message.en ?? check.id;
  const words = viewerStrings(lang).checks;
  const wantsAbsent = check.expect.exists === false;
  const verdict = (passed: boolean, detail: string): CheckResult => ({ id: check.id, passed, message, detail });
  const selectors = [check.labelSelector, check.fieldSelector].filter(Boolean).join(',');
  const what = check.name ? `${check.kind} ${check.name}` : words.withSelector(check.kind, selectors);

  if (observed.by === 'exec') {
    if (observed.pod === undefined) return verdict(false, words.notFound(what));
    if (!observed.result) {
      const phase = describeObserved(readPath(observed.pod, 'status.phase'), 'status.phase', check.kind, words);
      return verdict(false, words.fieldIs('status.phase', phase, '"Running"'));
    }
    const detail = failureDetail(observed.result, check, words);
    return verdict(detail === undefined, detail ?? words.asExpected(what));
  }
  if (observed.by === 'name') {
    if (observed.object === undefined) return verdict(wantsAbsent, words.notFound(what));
    if (wantsAbsent) return verdict(false, words.stillExists(what));
    const detail = failureDetail(observed.object, check, words);
    return verdict(detail === undefined, detail ?? words.asExpected(what));
  }
  const count = observed.items.length;
  if (wantsAbsent) return verdict(count === 0, words.counted(count, what));
  const expectedCount = check.expect.count ?? '>0';
  if (!matchesExpectation(count, expectedCount)) {
    return verdict(false, words.countExpected(count, what, String(expectedCount)));
  }
  for (const item of observed.items) {
    const detail = failureDetail(item, check, words);
    if (detail !== undefined) {
      const name = readPath(item, 'metadata.name');
      return verdict(false, `${check.kind} ${String(name)}: ${detail}`);
    }
  }
  return verdict(true, words.asExpected(words.counted(count, what)));
}
