// Server-side field validation (the fieldValidation parameter): unknown and duplicate fields in request bodies,
// reported with the paths and texts of the apiserver's strict decoding.
import { fieldsOf, messageForKind, type FieldShape } from './fields.ts';
import { jsonTree, valueTree, type JsonNode } from './json-tree.ts';

export { messageForKind } from './fields.ts';
export { jsonTree, valueTree, type JsonNode } from './json-tree.ts';
export { goFormat } from './go-format.ts';

export interface FieldIssue {
  problem: 'unknown' | 'duplicate';
  /** e.g. `spec.template.spec.containers[0].imagePullPolicy` */
  path: string;
}

/**
 * What a value is decoded into: a message (unknown and duplicate keys count), `any` (Go's interface{}: only
 * duplicate keys count, at every depth) or `opaque` (scalars and raw JSON such as FieldsV1: nothing counts).
 */
type Target = { message: string } | 'any' | 'opaque';

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** An object decoded into a message (`fields`) or into a map whose values are all decoded as `values`. */
function walkObject(
  node: Extract<JsonNode, { type: 'object' }>,
  fields: ReadonlyMap<string, FieldShape> | undefined,
  values: Target,
  path: string,
  issues: FieldIssue[],
): void {
  const seen = new Set<string>();
  const unknown = new Set<string>();
  for (const [key, value] of node.entries) {
    const shape = fields?.get(key);
    if (fields && !shape) {
      // A key both unknown and repeated is reported once, as unknown, as Go's strict decoder does.
      if (!unknown.has(key)) issues.push({ problem: 'unknown', path: join(path, key) });
      unknown.add(key);
      continue;
    }
    if (seen.has(key)) issues.push({ problem: 'duplicate', path: join(path, key) });
    seen.add(key);
    if (shape) walkField(value, shape, join(path, key), issues);
    else walk(value, values, join(path, key), issues);
  }
}

function walkField(node: JsonNode, shape: FieldShape, path: string, issues: FieldIssue[]): void {
  const element: Target = shape.message ? { message: shape.message } : 'opaque';
  if (shape.map) {
    if (node.type === 'object') walkObject(node, undefined, element, path, issues);
    return;
  }
  if (shape.repeated) {
    if (node.type === 'array') node.items.forEach((item, i) => walk(item, element, `${path}[${i}]`, issues));
    return;
  }
  walk(node, element, path, issues);
}

function walk(node: JsonNode, target: Target, path: string, issues: FieldIssue[], topLevel = false): void {
  if (target === 'opaque') return;
  if (node.type === 'array') {
    // A list where an object belongs is a decoding error of its own, not a field problem.
    if (target === 'any') node.items.forEach((item, i) => walk(item, 'any', `${path}[${i}]`, issues));
    return;
  }
  if (node.type !== 'object') return;
  if (target === 'any') walkObject(node, undefined, 'any', path, issues);
  else walkObject(node, fieldsOf(target.message, topLevel), 'opaque', path, issues);
}

/**
 * The unknown and duplicate fields of a request body decoded as `apiVersion`/`kind`, in the order Go's decoder
 * meets them. A kind without a schema here only has its duplicate keys checked.
 */
export function fieldIssues(tree: JsonNode, apiVersion: string, kind: string): FieldIssue[] {
  const message = messageForKind(apiVersion, kind);
  const issues: FieldIssue[] = [];
  walk(tree, message ? { message } : 'any', '', issues, true);
  return issues;
}

/** Duplicate keys anywhere in a patch document, which the apiserver decodes into a plain map first. */
export function duplicateFields(tree: JsonNode): FieldIssue[] {
  const issues: FieldIssue[] = [];
  walk(tree, 'any', '', issues);
  return issues;
}

/** Issues of JSON text in document order; of a decoded value (YAML, protobuf, a patched object) in key order. */
export function bodyFieldIssues(body: string | unknown, apiVersion: string, kind: string): FieldIssue[] {
  return fieldIssues(typeof body === 'string' ? jsonTree(body) : valueTree(body, true), apiVersion, kind);
}

/** Go quotes the path with %q: escapes as in JSON for the text a manifest can hold. */
export const issueText = (issue: FieldIssue) => `${issue.problem} field ${JSON.stringify(issue.path)}`;

/** Field issues, or already worded errors (a YAML decoder's), joined as Go's strict decoding error. */
export const strictDecodingError = (issues: readonly (FieldIssue | string)[]) =>
  `strict decoding error: ${issues.map((issue) => (typeof issue === 'string' ? issue : issueText(issue))).join(', ')}`;

/**
 * The message of the apiserver's 400 for a create or update body it cannot decode: a decoder's error as it
 * words it, or the field issues refused under fieldValidation=Strict.
 */
export function cannotBeHandled(
  apiVersion: string,
  kind: string,
  problem: string | readonly (FieldIssue | string)[],
): string {
  const version = apiVersion.split('/').pop() as string;
  const why = typeof problem === 'string' ? problem : strictDecodingError(problem);
  return `${kind} in version "${version}" cannot be handled as a ${kind}: ${why}`;
}

function pruneField(value: unknown, shape: FieldShape): unknown {
  if (!shape.message) return value;
  const message = shape.message;
  if (shape.map) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, pruneMessage(item, message, false)]),
    );
  }
  if (shape.repeated)
    return Array.isArray(value) ? value.map((item) => pruneMessage(item, message, false)) : value;
  return pruneMessage(value, message, false);
}

function pruneMessage(value: unknown, message: string, topLevel: boolean): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const fields = fieldsOf(message, topLevel);
  const kept: [string, unknown][] = [];
  for (const [key, item] of Object.entries(value)) {
    const shape = fields.get(key);
    if (shape) kept.push([key, pruneField(item, shape)]);
  }
  return Object.fromEntries(kept);
}

/**
 * The object without its unknown fields, as the apiserver stores a body it accepted under Warn or Ignore: Go
 * decodes it into the typed struct, where an unknown field has nowhere to go. Kinds without a schema are kept.
 */
export function pruneUnknownFields<T extends Record<string, unknown>>(
  object: T,
  apiVersion: string,
  kind: string,
): T {
  const message = messageForKind(apiVersion, kind);
  return message ? (pruneMessage(object, message, true) as T) : object;
}
