// The fieldValidation directive applied to request bodies: Strict refuses, Warn (the default) answers with
// Warning headers, Ignore says nothing — with the status and texts of the apiserver's strict decoding.
import { badRequest, fail } from '../api/status.ts';
import type { KubeObject, PatchType, WriteOptions } from '../types.ts';
import { goFormat } from './go-format.ts';
import {
  cannotBeHandled,
  duplicateFields,
  fieldIssues,
  issueText,
  pruneUnknownFields,
  strictDecodingError,
} from './index.ts';
import { jsonTree, valueTree } from './json-tree.ts';
import { typeMismatch } from './types.ts';
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
 * re-encodes it from a map before its strict decode. Strict: a 400. Otherwise the warnings to send (none under
 * Ignore) and the body to store, without its unknown fields.
 */
export function checkObjectBody(
  raw: Buffer,
  contentType: string | undefined,
  decoded: Record<string, unknown>,
  type: TypeOf,
  options: WriteOptions,
): { warnings: string[]; body: Record<string, unknown> } {
  const directive = directiveOf(options);
  const mediaType = mediaTypeOf(contentType);
  // A protobuf body is decoded by field number: an unknown field cannot reach the object at all.
  if (mediaType === 'application/vnd.kubernetes.protobuf') return { warnings: [], body: decoded };
  const yaml = /yaml/.test(mediaType);
  const repeats = yaml ? yamlDuplicateKeys(raw.toString('utf8')) : [];
  const tree = yaml ? valueTree(decoded, true) : jsonTree(raw.toString('utf8'));
  // A value of the wrong type stops Go's decoder before strict decoding has anything to say: 400 under every
  // directive.
  const mismatch = typeMismatch(tree, type.apiVersion, type.kind, {
    statusIgnored: options.subresource !== 'status' && type.kind !== 'Node',
  });
  if (mismatch) badRequest(cannotBeHandled(type.apiVersion, type.kind, mismatch));
  const issues = fieldIssues(tree, type.apiVersion, type.kind);
  if ((repeats.length || issues.length) && directive === 'Strict') {
    const yamlErrors = repeats.length ? [yamlUnmarshalErrors(repeats)] : [];
    badRequest(cannotBeHandled(type.apiVersion, type.kind, [...yamlErrors, ...issues]));
  }
  const body = issues.some((issue) => issue.problem === 'unknown')
    ? pruneUnknownFields(decoded, type.apiVersion, type.kind)
    : decoded;
  return { warnings: directive === 'Warn' ? [...repeats, ...issues.map(issueText)] : [], body };
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

/** How a patch reaches the registry. */
export interface PatchRun {
  /** Applies the patch; with `preview`, as a dry run that stores nothing. */
  patch: (preview: boolean) => KubeObject;
  /** Stores `object` in the patch's stead: the patched object without its unknown fields. */
  replace: (object: KubeObject) => KubeObject;
}

/**
 * A JSON, merge or strategic merge patch under field validation: duplicate keys of the patch document (merge
 * and strategic; a JSON patch is a list of operations), then the unknown fields of the patched object. Strict:
 * the 422 the apiserver gives, quoting the patched object (JSON and merge patches) or the patch map (strategic),
 * before anything is stored. Otherwise the patched object is stored without its unknown fields.
 */
export function validatedPatch(
  run: PatchRun,
  patchType: PatchType,
  rawPatch: Buffer,
  patchDocument: unknown,
  type: TypeOf,
  options: WriteOptions,
): { object: KubeObject; warnings: string[] } {
  const directive = directiveOf(options);
  if (patchType === 'apply') {
    const warnings = checkApplyDocument(patchType, rawPatch, options);
    return { object: run.patch(false), warnings };
  }
  const patchText = rawPatch.toString('utf8');
  const statusIgnored = options.subresource !== 'status' && type.kind !== 'Node';
  // A merge or strategic patch has the object's shape: a value of the wrong type in it would be stored as is, and
  // the controllers read what is stored. (A JSON patch's values are checked in the patched object, below.)
  const wrongType =
    patchType === 'json'
      ? undefined
      : typeMismatch(valueTree(patchDocument, false), type.apiVersion, type.kind, { statusIgnored });
  if (wrongType) badRequest(wrongType);
  const duplicates = patchType === 'json' ? [] : duplicateFields(jsonTree(patchText));
  // Stored objects hold no unknown field, so only a patch naming a key the kind lacks can bring one in
  // (strategic merge directives such as $setElementOrder look unknown too: that only costs a preview).
  const mayAddUnknown =
    patchType === 'json' ||
    fieldIssues(valueTree(patchDocument, false), type.apiVersion, type.kind).some(
      (issue) => issue.problem === 'unknown',
    );
  if (!duplicates.length && !mayAddUnknown) return { object: run.patch(false), warnings: [] };
  const preview = run.patch(true);
  const mistyped =
    patchType === 'json'
      ? typeMismatch(valueTree(preview, false), type.apiVersion, type.kind, { statusIgnored })
      : undefined;
  if (mistyped) badRequest(mistyped);
  const unknown = fieldIssues(valueTree(preview, true), type.apiVersion, type.kind);
  const issues = [...duplicates, ...unknown];
  if (issues.length && directive === 'Strict') {
    const value = patchType === 'strategic' ? goFormat(patchDocument) : JSON.stringify(sortedKeys(preview));
    const invalid = `Invalid value: ${JSON.stringify(value)}: ${strictDecodingError(issues)}`;
    fail(422, 'Invalid', ` "" is invalid: patch: ${invalid}`, {
      causes: [{ reason: 'FieldValueInvalid', message: invalid, field: 'patch' }],
    });
  }
  const warnings = directive === 'Warn' ? issues.map(issueText) : [];
  if (!unknown.length) return { object: run.patch(false), warnings };
  const pruned = pruneUnknownFields(preview, type.apiVersion, type.kind);
  return { object: options.dryRun ? pruned : run.replace(pruned), warnings };
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
