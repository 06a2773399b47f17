// Field selectors (`status.phase=Running,spec.nodeName!=worker-1`) and the fields each kind can be selected by.
import type { KubeObject } from '../types.ts';

export interface FieldRequirement {
  field: string;
  operator: '=' | '==' | '!=';
  value: string;
}

export class FieldSelectorError extends Error {}

/** Terms split on commas a backslash does not escape; the backslashes stay for unescapeValue. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (escaped) escaped = false;
    else if (char === '\\') escaped = true;
    else if (char === ',') {
      terms.push(text.slice(start, index));
      start = index + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

const operators = ['!=', '==', '='] as const;

/** The field is taken as written (no escaping, no trimming) up to the first operator. */
function splitTerm(term: string): [string, FieldRequirement['operator'], string] | undefined {
  for (let index = 0; index < term.length; index++) {
    const operator = operators.find((candidate) => term.startsWith(candidate, index));
    if (operator) return [term.slice(0, index), operator, term.slice(index + operator.length)];
  }
  return undefined;
}

/** `\\`, `\,` and `\=` stand for themselves; anything else escaped, or a bare `,`/`=`, is refused. */
function unescapeValue(value: string): string {
  let result = '';
  let escaped = false;
  for (const char of value) {
    if (escaped) {
      if (char !== '\\' && char !== ',' && char !== '=') {
        throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${char}`);
      }
      result += char;
      escaped = false;
    } else if (char === '\\') escaped = true;
    else if (char === ',' || char === '=') {
      // Go prints the rune as its number.
      throw new FieldSelectorError(
        `invalid field selector: unescaped character in value: ${char.codePointAt(0)}`,
      );
    } else result += char;
  }
  if (escaped) throw new FieldSelectorError('invalid field selector: invalid escape sequence: \\');
  return result;
}

/** Parses as apimachinery's fields.ParseSelector does, with its messages; empty terms are skipped. */
export function parseFieldSelector(text: string): FieldRequirement[] {
  return splitTerms(text)
    .filter((term) => term !== '')
    .map((term) => {
      const parts = splitTerm(term);
      if (!parts) throw new FieldSelectorError(`invalid selector: '${text}'; can't understand '${term}'`);
      const [field, operator, value] = parts;
      return { field, operator, value: unescapeValue(value) };
    });
}

/** A field the object lacks counts as the empty string. */
export function matchesFieldSelector(
  requirements: FieldRequirement[],
  fields: Record<string, string>,
): boolean {
  return requirements.every((requirement) => {
    const value = fields[requirement.field] ?? '';
    return requirement.operator === '!=' ? value !== requirement.value : value === requirement.value;
  });
}

export function unsupportedFieldMessage(field: string): string {
  return `field label not supported: ${field}`;
}

type Getter = (object: KubeObject) => unknown;
const at =
  (...path: string[]): Getter =>
  (object) =>
    path.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], object);

/** A counter the apiserver prints as a number even when the object omits it (omitted means 0). */
const count =
  (...path: string[]): Getter =>
  (object) =>
    Number(at(...path)(object) ?? 0);

// Per kind, the fields the apiserver lets a client select on, beyond metadata.name and metadata.namespace.
const kindFields: Record<string, Record<string, Getter>> = {
  Pod: {
    'spec.nodeName': at('spec', 'nodeName'),
    'spec.restartPolicy': at('spec', 'restartPolicy'),
    'spec.schedulerName': at('spec', 'schedulerName'),
    'spec.serviceAccountName': at('spec', 'serviceAccountName'),
    'spec.hostNetwork': (pod) => String(Boolean(at('spec', 'hostNetwork')(pod))),
    'status.phase': at('status', 'phase'),
    'status.podIP': at('status', 'podIP'),
    'status.nominatedNodeName': at('status', 'nominatedNodeName'),
  },
  Event: {
    'involvedObject.kind': at('involvedObject', 'kind'),
    'involvedObject.namespace': at('involvedObject', 'namespace'),
    'involvedObject.name': at('involvedObject', 'name'),
    'involvedObject.uid': at('involvedObject', 'uid'),
    'involvedObject.apiVersion': at('involvedObject', 'apiVersion'),
    'involvedObject.resourceVersion': at('involvedObject', 'resourceVersion'),
    'involvedObject.fieldPath': at('involvedObject', 'fieldPath'),
    reason: at('reason'),
    reportingComponent: at('reportingComponent'),
    source: at('source', 'component'),
    type: at('type'),
  },
  Secret: { type: at('type') },
  Node: { 'spec.unschedulable': (node) => String(Boolean(at('spec', 'unschedulable')(node))) },
  Namespace: { 'status.phase': at('status', 'phase') },
  ReplicaSet: { 'status.replicas': count('status', 'replicas') },
  ReplicationController: { 'status.replicas': count('status', 'replicas') },
  Job: { 'status.successful': count('status', 'succeeded') },
};

/** The fields a field selector on `kind` may name; any other gets unsupportedFieldMessage (400). */
export function supportedFields(kind: string): string[] {
  return ['metadata.name', 'metadata.namespace', ...Object.keys(kindFields[kind] ?? {})];
}

/** The selectable fields of one object, as the apiserver's per-kind ToSelectableFields computes them. */
export function fieldSelectorFields(kind: string, object: KubeObject): Record<string, string> {
  const fields: Record<string, string> = {
    'metadata.name': object.metadata.name ?? '',
    'metadata.namespace': object.metadata.namespace ?? '',
  };
  for (const [field, get] of Object.entries(kindFields[kind] ?? {})) {
    const value = get(object);
    fields[field] = value === undefined || value === null ? '' : String(value);
  }
  return fields;
}
