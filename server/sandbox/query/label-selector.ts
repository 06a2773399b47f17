// Label selectors as the apiserver parses and matches them (`app=web,tier in (a,b),!canary`).

export type Operator = '=' | '!=' | 'in' | 'notin' | 'exists' | '!';

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

/** An empty list selects everything; `nothing` selects no object (a nil selector). */
export type LabelSelector = Requirement[] | { nothing: true };

export class SelectorParseError extends Error {}

const qualifiedName = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !dnsSubdomain.test(prefix))) {
    return (
      'prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, ' +
      "'-' or '.', and must start and end with an alphanumeric character"
    );
  }
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!qualifiedName.test(name)) {
    return (
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " +
      'alphanumeric character'
    );
  }
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!labelValue.test(value)) {
    return (
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and " +
      'must start and end with an alphanumeric character'
    );
  }
  return undefined;
}

function checkKey(key: string, text: string): void {
  const problem = labelKeyProblem(key);
  if (problem)
    throw new SelectorParseError(`unable to parse requirement: invalid label key "${key}": ${problem}`);
  if (key.length === 0) throw new SelectorParseError(`found '', expected: identifier in "${text}"`);
}

function checkValue(value: string): void {
  const problem = labelValueProblem(value);
  if (problem)
    throw new SelectorParseError(
      `unable to parse requirement: values[0]: Invalid value: "${value}": ${problem}`,
    );
}

/** Splits on commas that are not inside a parenthesised value set. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (depth < 0) throw new SelectorParseError(`found ')', expected: identifier in "${text}"`);
    if (char === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += char;
  }
  if (depth !== 0) throw new SelectorParseError(`found '', expected: ')' in "${text}"`);
  terms.push(current);
  return terms;
}

function parseTerm(term: string, text: string): Requirement {
  const trimmed = term.trim();
  if (trimmed === '')
    throw new SelectorParseError(`found ',', expected: !, identifier, or 'end of string' in "${text}"`);
  const set = trimmed.match(/^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/);
  if (set) {
    const [, key, operator, list] = set as unknown as [string, string, 'in' | 'notin', string];
    checkKey(key, text);
    const values = list.split(',').map((value) => value.trim());
    if (values.length === 1 && values[0] === '' && operator === 'in') {
      throw new SelectorParseError(
        `unable to parse requirement: values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty`,
      );
    }
    values.forEach(checkValue);
    return { key, operator, values: [...new Set(values)].sort() };
  }
  const notExists = trimmed.match(/^!\s*(\S+)$/);
  if (notExists) {
    checkKey(notExists[1] as string, text);
    return { key: notExists[1] as string, operator: '!', values: [] };
  }
  const equality = trimmed.match(/^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/);
  if (equality) {
    const [, key, operator, value] = equality as unknown as [string, string, string, string];
    checkKey(key, text);
    checkValue(value);
    return { key, operator: operator === '!=' ? '!=' : '=', values: [value] };
  }
  if (/^\S+$/.test(trimmed) && !/[=!()]/.test(trimmed)) {
    checkKey(trimmed, text);
    return { key: trimmed, operator: 'exists', values: [] };
  }
  throw new SelectorParseError(
    `unable to parse requirement: found '${trimmed}', expected: in, notin, =, ==, !=, gt, lt in "${text}"`,
  );
}

export function parseLabelSelector(text: string): LabelSelector {
  if (text.trim() === '') return [];
  return splitTerms(text).map((term) => parseTerm(term, text));
}

function matchesRequirement(requirement: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, requirement.key);
  const value = labels[requirement.key];
  switch (requirement.operator) {
    case '=':
    case 'in':
      return has && requirement.values.includes(value as string);
    case '!=':
    case 'notin':
      return !has || !requirement.values.includes(value as string);
    case 'exists':
      return has;
    case '!':
      return !has;
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

const specOperators = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' } as const;

/** A workload's `spec.selector`: an empty one selects everything, a missing one nothing. */
export function labelSelectorFromSpec(spec: LabelSelectorSpec | undefined | null): LabelSelector {
  if (!spec) return { nothing: true };
  const fromLabels = Object.entries(spec.matchLabels ?? {}).map(([key, value]): Requirement => ({
    key,
    operator: '=',
    values: [value],
  }));
  const fromExpressions = (spec.matchExpressions ?? []).map((expression): Requirement => ({
    key: expression.key,
    operator: specOperators[expression.operator],
    values: [...(expression.values ?? [])].sort(),
  }));
  return [...fromLabels, ...fromExpressions];
}

/** A Service's or RC's equality selector: an empty map selects nothing. */
export function selectorFromMap(map: Record<string, string> | undefined | null): LabelSelector {
  if (!map || Object.keys(map).length === 0) return { nothing: true };
  return Object.entries(map).map(([key, value]): Requirement => ({ key, operator: '=', values: [value] }));
}

export function formatLabelSelector(selector: LabelSelector): string {
  if (!Array.isArray(selector)) return '';
  return [...selector]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((requirement) => {
      switch (requirement.operator) {
        case '=':
          return `${requirement.key}=${requirement.values[0]}`;
        case '!=':
          return `${requirement.key}!=${requirement.values[0]}`;
        case 'in':
        case 'notin':
          return `${requirement.key} ${requirement.operator} (${requirement.values.join(',')})`;
        case 'exists':
          return requirement.key;
        case '!':
          return `!${requirement.key}`;
      }
    })
    .join(',');
}
