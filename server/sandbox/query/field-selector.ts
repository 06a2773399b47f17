// Field selectors (`status.phase=Running,spec.nodeName!=node-1`) and the fields each kind can be selected by.
import type { KubeObject } from '../types.ts';

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

export class FieldSelectorError extends Error {}

/** Splits on a separator that is not escaped with a backslash, then unescapes. */
function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string;
    if (char === '\\' && index + 1 < text.length) {
      current += char + (text[index + 1] as string);
      index++;
    } else if (char === separator) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

const unescape = (text: string) => text.replace(/\\(.)/g, '$1');

export function parseFieldSelector(text: string): FieldRequirement[] {
  if (text.trim() === '') return [];
  return splitUnescaped(text, ',').map((term) => {
    const match = term.match(/^((?:\\.|[^=!\\])*)(==|=|!=)(.*)$/);
    if (!match) throw new FieldSelectorError(`invalid selector: '${text}'; can't understand '${term}'`);
    const [, field, operator, value] = match as unknown as [string, string, string, string];
    return {
      field: unescape(field.trim()),
      operator: operator === '!=' ? '!=' : '=',
      value: unescape(value.trim()),
    };
  });
}

export function matchesFieldSelector(
  requirements: FieldRequirement[],
  fields: Record<string, string>,
): boolean {
  return requirements.every((requirement) => {
    const value = fields[requirement.field] ?? '';
    return requirement.operator === '=' ? value === requirement.value : value !== requirement.value;
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
  ReplicaSet: { 'status.replicas': at('status', 'replicas') },
  ReplicationController: { 'status.replicas': at('status', 'replicas') },
  Job: { 'status.successful': at('status', 'succeeded') },
};

export function supportedFields(kind: string): string[] {
  return ['metadata.name', 'metadata.namespace', ...Object.keys(kindFields[kind] ?? {})];
}

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
