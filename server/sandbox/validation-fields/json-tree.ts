// JSON text → a tree that keeps every key of an object in document order, duplicates included, which
// JSON.parse cannot show (it keeps the last value of a duplicated key).

/** What a scalar is to Go's decoder, which names it in its type errors ("cannot unmarshal string into …"). */
export type ScalarKind = 'string' | 'number' | 'bool' | 'null';

export type JsonNode =
  | { type: 'object'; entries: [string, JsonNode][] }
  | { type: 'array'; items: JsonNode[] }
  | { type: 'scalar'; kind: ScalarKind; /** A number as written (`1.5`), a string's value. */ text?: string };

const scalars = {
  bool: { type: 'scalar', kind: 'bool' },
  null: { type: 'scalar', kind: 'null' },
} as const satisfies Record<string, JsonNode>;

function literal(text: string): JsonNode {
  if (text === 'true' || text === 'false') return scalars.bool;
  if (text === 'null') return scalars.null;
  return { type: 'scalar', kind: 'number', text };
}

/** JSON's whitespace: space, tab, line feed, carriage return. */
const isSpace = (code: number) => code === 32 || code === 9 || code === 10 || code === 13;
/** What ends a number or a literal: whitespace, a comma, a closing brace or bracket. */
const endsLiteral = (code: number) => isSpace(code) || code === 44 || code === 125 || code === 93;
const QUOTE = 34;
const BACKSLASH = 92;

/** Reads text that JSON.parse has already accepted; anything else is a bug in the caller. */
export function jsonTree(text: string): JsonNode {
  let at = 0;
  const skipSpace = () => {
    while (at < text.length && isSpace(text.charCodeAt(at))) at++;
  };
  const readString = (): string => {
    const start = at;
    at++;
    let escaped = false;
    for (let code = text.charCodeAt(at); code !== QUOTE; code = text.charCodeAt(at)) {
      if (code === BACKSLASH) {
        escaped = true;
        at += 2;
      } else at++;
    }
    at++;
    // Only an escape needs JSON's decoding; most keys and values are plain.
    return escaped ? (JSON.parse(text.slice(start, at)) as string) : text.slice(start + 1, at - 1);
  };
  const readKey = (): string => {
    skipSpace();
    const key = readString();
    skipSpace();
    at++; // the colon
    return key;
  };
  // Iterative, with its own stack of open objects and lists: a body may nest as deep as Go's decoder allows
  // (10,000), deeper than the JavaScript call stack goes.
  type Container = Extract<JsonNode, { type: 'object' | 'array' }>;
  const open: Container[] = [];
  const keys: string[] = [];
  let root: JsonNode = scalars.null;
  const attach = (node: JsonNode) => {
    const parent = open[open.length - 1];
    if (!parent) root = node;
    else if (parent.type === 'object') parent.entries.push([keys.pop() as string, node]);
    else parent.items.push(node);
  };
  for (;;) {
    skipSpace();
    const char = text[at];
    if (char === '{' || char === '[') {
      at++;
      const node: Container = char === '{' ? { type: 'object', entries: [] } : { type: 'array', items: [] };
      skipSpace();
      if (text[at] !== (char === '{' ? '}' : ']')) {
        open.push(node);
        if (node.type === 'object') keys.push(readKey());
        continue;
      }
      at++;
      attach(node);
    } else if (char === '"') attach({ type: 'scalar', kind: 'string', text: readString() });
    else {
      const start = at;
      while (at < text.length && !endsLiteral(text.charCodeAt(at))) at++;
      attach(literal(text.slice(start, at)));
    }
    // After a value: close what ends here, until a comma asks for the next value.
    for (;;) {
      const parent = open[open.length - 1];
      if (!parent) return root;
      skipSpace();
      if (text[at++] === ',') {
        if (parent.type === 'object') keys.push(readKey());
        break;
      }
      attach(open.pop() as Container);
    }
  }
}

/** The same tree for an already decoded value; Go re-encodes maps with sorted keys, hence `sortKeys`. */
export function valueTree(value: unknown, sortKeys: boolean): JsonNode {
  if (Array.isArray(value)) return { type: 'array', items: value.map((item) => valueTree(item, sortKeys)) };
  if (typeof value === 'string') return { type: 'scalar', kind: 'string', text: value };
  if (typeof value === 'boolean') return scalars.bool;
  if (typeof value === 'number' || typeof value === 'bigint') return literal(String(value));
  if (typeof value !== 'object' || value === null) return scalars.null;
  const entries = Object.entries(value as Record<string, unknown>);
  if (sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { type: 'object', entries: entries.map(([key, item]) => [key, valueTree(item, sortKeys)]) };
}
