// The fieldValidation directive applied to request bodies: Strict refuses, Warn (the default) answers with
// Warning headers, Ignore says nothing — with the status and texts of the apiserver's strict decoding.
import { badRequest, fail } from '../api/status.ts';
import type { PatchType, WriteOptions } from '../types.ts';
import { goFormat } from './go-format.ts';
import {
  cannotBeHandled,
  duplicateFields,
  fieldIssues,
  issueText,
  strictDecodingError,
  type FieldIssue,
} from './index.ts';
import { jsonTree, valueTree } from './json-tree.ts';
import { yamlDuplicateKeys, yamlUnmarshalErrors } from './yaml-duplicates.ts';

export interface TypeOf {
  apiVersion: string;
  kind: string;
}

const directiveOf = (options: WriteOptions) => options.fieldValidation ?? 'Warn';

const mediaTypeOf = (contentType: string | undefined) =>
  (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/**
 * Checks a create or update body. JSON is read as text, in document order and with its duplicate keys; a YAML
 * body's repeated keys come first, in its decoder's words, then its unknown fields in sorted key order, as Go
 * re-encodes it from a map before its strict decode. Strict: a 400; Warn: the warnings to send.
 */
export function checkObjectBody(
  raw: Buffer,
  contentType: string | undefined,
  decoded: Record<string, unknown>,
  type: TypeOf,
  options: WriteOptions,
): string[] {
  const directive = directiveOf(options);
  if (directive === 'Ignore') return [];
  const mediaType = mediaTypeOf(contentType);
  // A protobuf body is decoded by field number: an unknown field cannot reach the object at all.
  if (mediaType === 'application/vnd.kubernetes.protobuf') return [];
  const yaml = /yaml/.test(mediaType);
  const repeats = yaml ? yamlDuplicateKeys(raw.toString('utf8')) : [];
  const tree = yaml ? valueTree(decoded, true) : jsonTree(raw.toString('utf8'));
  const issues = fieldIssues(tree, type.apiVersion, type.kind);
  if ((repeats.length || issues.length) && directive === 'Strict') {
    const yamlErrors = repeats.length ? [yamlUnmarshalErrors(repeats)] : [];
    badRequest(cannotBeHandled(type.apiVersion, type.kind, [...yamlErrors, ...issues]));
  }
  return [...repeats, ...issues.map(issueText)];
}

/**
 * Checks a server-side apply document before it is applied: its repeated keys, read as YAML whatever the
 * text (JSON is YAML). Its unknown fields are the apply machinery's business, not strict decoding's.
 */
export function checkApplyDocument(patchType: PatchType, rawPatch: Buffer, options: WriteOptions): string[] {
  const directive = directiveOf(options);
  if (patchType !== 'apply' || directive === 'Ignore') return [];
  const repeats = yamlDuplicateKeys(rawPatch.toString('utf8'));
  if (repeats.length && directive === 'Strict') {
    badRequest(`error strict decoding YAML: error converting YAML to JSON: ${yamlUnmarshalErrors(repeats)}`);
  }
  return repeats;
}

/**
 * Whether a patch must be tried first (Strict refuses before anything is stored). Server-side apply is
 * checked by the apply machinery itself, not by strict decoding, so it is left out here.
 */
export const patchNeedsPreview = (patchType: PatchType, options: WriteOptions) =>
  patchType !== 'apply' && directiveOf(options) === 'Strict';

/**
 * Checks a JSON, merge or strategic merge patch: duplicate keys of the patch document (merge and strategic;
 * a JSON patch is a list of operations), then the unknown fields of the patched object. Strict: the 422 the
 * apiserver gives, quoting the patched object (JSON and merge patches) or the patch map (strategic).
 */
export function checkPatch(
  patchType: PatchType,
  rawPatch: Buffer,
  patched: Record<string, unknown>,
  type: TypeOf,
  options: WriteOptions,
): string[] {
  const directive = directiveOf(options);
  if (directive === 'Ignore' || patchType === 'apply') return [];
  const patchText = rawPatch.toString('utf8');
  const issues: FieldIssue[] = [
    ...(patchType === 'json' ? [] : duplicateFields(jsonTree(patchText))),
    ...fieldIssues(valueTree(patched, true), type.apiVersion, type.kind),
  ];
  if (!issues.length) return [];
  if (directive === 'Strict') {
    const value =
      patchType === 'strategic' ? goFormat(JSON.parse(patchText)) : JSON.stringify(sortedKeys(patched));
    const invalid = `Invalid value: ${JSON.stringify(value)}: ${strictDecodingError(issues)}`;
    fail(422, 'Invalid', ` "" is invalid: patch: ${invalid}`, {
      causes: [{ reason: 'FieldValueInvalid', message: invalid, field: 'patch' }],
    });
  }
  return issues.map(issueText);
}

/** Go encodes the patched object from a map, so its keys come out sorted. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => [key, sortedKeys(item)]),
  );
}

/** A Warning header value as the apiserver writes it: code 299, no agent, the text quoted. */
export function warningHeader(text: string): string {
  const quoted = `"${text.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
  // Header values travel as bytes: UTF-8 in a field name must not be refused by Node's header check.
  return `299 - ${Buffer.from(quoted, 'utf8').toString('latin1')}`;
}
