// Field errors as the apiserver words them (apimachinery field.Error): each becomes one `details.causes` entry of
// an Invalid Status, and `<field>: <message>` in the Status message.

export type CauseReason =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTypeInvalid';

export interface Cause {
  reason: CauseReason;
  /** The message without the field, as in `details.causes[].message`. */
  message: string;
  field: string;
}

/** A value as Go's encoding/json writes it, which escapes <, > and & (the apiserver quotes bad values so). */
export function goJson(value: unknown): string {
  return (JSON.stringify(value) ?? 'null')
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const withDetail = (text: string, detail: string) => (detail ? `${text}: ${detail}` : text);

export const invalid = (field: string, value: unknown, detail: string): Cause => ({
  reason: 'FieldValueInvalid',
  message: withDetail(`Invalid value: ${goJson(value)}`, detail),
  field,
});

export const required = (field: string, detail = ''): Cause => ({
  reason: 'FieldValueRequired',
  message: withDetail('Required value', detail),
  field,
});

export const forbidden = (field: string, detail: string): Cause => ({
  reason: 'FieldValueForbidden',
  message: withDetail('Forbidden', detail),
  field,
});

export const notSupported = (field: string, value: unknown, supported: readonly string[]): Cause => ({
  reason: 'FieldValueNotSupported',
  message: withDetail(
    `Unsupported value: ${goJson(value)}`,
    supported.length > 0 ? `supported values: ${supported.map((v) => JSON.stringify(v)).join(', ')}` : '',
  ),
  field,
});

/** One Invalid cause per message, as the apiserver reports every problem a syntax check finds. */
export const invalidEach = (field: string, value: unknown, messages: string[]): Cause[] =>
  messages.map((message) => invalid(field, value, message));

/** `a`, or `[a, b]` for several: an aggregate error's text, repeated texts shown once. */
function aggregateText(texts: string[]): string {
  const unique = [...new Set(texts)];
  return unique.length === 1 ? (unique[0] as string) : `[${unique.join(', ')}]`;
}

/**
 * The message of the Invalid Status: `Pod "web" is invalid: spec.containers: Required value`. `kind` is
 * qualified by group as the apiserver prints it (`Deployment.apps`).
 */
export function invalidMessage(kind: string, name: string, causes: Cause[]): string {
  const head = `${kind} ${JSON.stringify(name)} is invalid`;
  if (causes.length === 0) return head;
  return `${head}: ${aggregateText(causes.map((cause) => `${cause.field}: ${cause.message}`))}`;
}
