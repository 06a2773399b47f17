// JSON patch (RFC 6902) on a copy of the document.
import { PatchError } from './errors.ts';
import { isObject, put } from './merge-patch.ts';

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(`invalid JSON pointer "${pointer}": must start with /`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

function arrayIndex(array: unknown[], token: string, forInsert: boolean, pointer: string): number {
  if (forInsert && token === '-') return array.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new PatchError(`invalid array index "${token}" in ${pointer}`);
  const index = Number(token);
  if (index > array.length || (!forInsert && index === array.length)) {
    throw new PatchError(`array index ${index} out of bounds in ${pointer}`);
  }
  return index;
}

/** The parent container of the pointer's target and the last token. */
function locate(document: unknown, pointer: string): [Container, string] {
  const tokens = parsePointer(pointer);
  const last = tokens.pop();
  if (last === undefined) throw new PatchError('the root of the document cannot be the target');
  let node: unknown = document;
  for (const token of tokens) {
    if (Array.isArray(node)) node = node[arrayIndex(node, token, false, pointer)];
    else if (isObject(node) && Object.hasOwn(node, token)) node = node[token];
    else throw new PatchError(`doc is missing path: "${pointer}": missing value`);
  }
  if (!Array.isArray(node) && !isObject(node)) throw new PatchError(`doc is missing path: "${pointer}"`);
  return [node, last];
}

function read(document: unknown, pointer: string): unknown {
  const [parent, token] = locate(document, pointer);
  if (Array.isArray(parent)) return parent[arrayIndex(parent, token, false, pointer)];
  if (!Object.hasOwn(parent, token)) throw new PatchError(`doc is missing path: "${pointer}": missing value`);
  return parent[token];
}

function add(document: unknown, pointer: string, value: unknown): void {
  const [parent, token] = locate(document, pointer);
  if (Array.isArray(parent))
    parent.splice(arrayIndex(parent, token, true, pointer), 0, structuredClone(value));
  else put(parent, token, structuredClone(value));
}

function remove(document: unknown, pointer: string): unknown {
  const [parent, token] = locate(document, pointer);
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, token, false, pointer), 1)[0];
  if (!Object.hasOwn(parent, token)) {
    throw new PatchError(`unable to remove nonexistent key: ${token}: missing value`);
  }
  const value = parent[token];
  delete parent[token];
  return value;
}

function exists(document: unknown, pointer: string): boolean {
  try {
    read(document, pointer);
    return true;
  } catch {
    return false;
  }
}

export function applyJsonPatch(document: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new PatchError('a JSON patch must be a list of operations');
  const result = structuredClone(document);
  for (const operation of operations as JsonPatchOperation[]) {
    if (!isObject(operation) || typeof operation.path !== 'string') {
      throw new PatchError('each JSON patch operation needs "op" and "path"');
    }
    switch (operation.op) {
      case 'add':
        add(result, operation.path, operation.value);
        break;
      case 'remove':
        remove(result, operation.path);
        break;
      case 'replace':
        if (!exists(result, operation.path)) {
          throw new PatchError(
            `replace operation does not apply: doc is missing key: ${operation.path}: missing value`,
          );
        }
        remove(result, operation.path);
        add(result, operation.path, operation.value);
        break;
      case 'move':
        add(result, operation.path, remove(result, operation.from ?? ''));
        break;
      case 'copy':
        add(result, operation.path, read(result, operation.from ?? ''));
        break;
      case 'test':
        if (JSON.stringify(read(result, operation.path)) !== JSON.stringify(operation.value)) {
          throw new PatchError(`testing value ${operation.path} failed: test failed`);
        }
        break;
      default:
        throw new PatchError(`Unexpected kind: ${String((operation as { op: unknown }).op)}`);
    }
  }
  return result;
}
