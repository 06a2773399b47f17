// Label selectors as the apiserver parses, matches and prints them (`app=web,tier in (a,b),!canary`).
import { parseRequirements } from './label-selector-parse.ts';

export { SelectorParseError } from './label-selector-parse.ts';

/** `!` is DoesNotExist; `gt`/`lt` compare integers (`replicas>2`). */
export type Operator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

/** An empty list selects everything; `nothing` selects no object (a nil selector). */
export type LabelSelector = Requirement[] | { nothing: true };

/** Throws SelectorParseError with the apiserver's message for text that is not a selector. */
export function parseLabelSelector(text: string): LabelSelector {
  return parseRequirements(text);
}

/** Go's strconv.ParseInt: an optional sign and decimal digits. */
const integer = (text: string | undefined) =>
  text !== undefined && /^[+-]?[0-9]+$/.test(text) ? Number(text) : undefined;

function matchesRequirement(requirement: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, requirement.key);
  const value = labels[requirement.key];
  switch (requirement.operator) {
    case '=':
    case '==':
    case 'in':
      return has && requirement.values.includes(value as string);
    case '!=':
    case 'notin':
      return !has || !requirement.values.includes(value as string);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      const actual = has ? integer(value) : undefined;
      const bound = integer(requirement.values[0]);
      if (actual === undefined || bound === undefined) return false;
      return requirement.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

export function matchesLabelSelector(
  selector: LabelSelector,
  labels: Record<string, string> | undefined,
): boolean {
  if (!Array.isArray(selector)) return false;
  return selector.every((requirement) => matchesRequirement(requirement, labels ?? {}));
}

export interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: {
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }[];
}

export const specOperators = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' } as const;

const byKey = (a: Requirement, b: Requirement) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * A workload's `spec.selector` (metav1.LabelSelector): an empty one selects everything, a missing (nil) one
 * nothing. An operator validation would have refused also selects nothing, so a controller never over-selects.
 */
export function labelSelectorFromSpec(spec: LabelSelectorSpec | undefined | null): LabelSelector {
  if (!spec) return { nothing: true };
  const expressions = spec.matchExpressions ?? [];
  if (expressions.some((expression) => !Object.hasOwn(specOperators, expression.operator))) {
    return { nothing: true };
  }
  const fromLabels = Object.entries(spec.matchLabels ?? {}).map(([key, value]): Requirement => ({
    key,
    operator: '=',
    values: [value],
  }));
  const fromExpressions = expressions.map((expression): Requirement => ({
    key: expression.key,
    operator: specOperators[expression.operator],
    values: [...new Set(expression.values ?? [])].sort(),
  }));
  return [...fromLabels, ...fromExpressions].sort(byKey);
}

/** A Service's equality selector: an empty or missing map selects nothing (a Service without endpoints). */
export function selectorFromMap(map: Record<string, string> | undefined | null): LabelSelector {
  if (!map || Object.keys(map).length === 0) return { nothing: true };
  return Object.entries(map)
    .map(([key, value]): Requirement => ({ key, operator: '=', values: [value] }))
    .sort(byKey);
}

const symbols: Partial<Record<Operator, string>> = { '=': '=', '==': '==', '!=': '!=', gt: '>', lt: '<' };

function formatRequirement({ key, operator, values }: Requirement): string {
  if (operator === 'exists') return key;
  if (operator === '!') return `!${key}`;
  if (operator === 'in' || operator === 'notin')
    return `${key} ${operator} (${[...values].sort().join(',')})`;
  return `${key}${symbols[operator]}${values[0] ?? ''}`;
}

/** The canonical text (`app=web,tier in (a,b)`), as a Scale's status.selector shows it; '' selects nothing. */
export function formatLabelSelector(selector: LabelSelector): string {
  if (!Array.isArray(selector)) return '';
  return [...selector].sort(byKey).map(formatRequirement).join(',');
}
