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

/** Reads text that JSON.parse has already accepted; anything else is a bug in the caller. */
export function jsonTree(text: string): JsonNode {
  let at = 0;
  const skipSpace = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at] as string)) at++;
  };
  const readString = (): string => {
    const start = at;
    at++;
    while (text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const readValue = (): JsonNode => {
    skipSpace();
    const char = text[at];
    if (char === '{') {
      at++;
      const entries: [string, JsonNode][] = [];
      skipSpace();
      if (text[at] === '}') {
        at++;
        return { type: 'object', entries };
      }
      for (;;) {
        skipSpace();
        const key = readString();
        skipSpace();
        at++; // the colon
        entries.push([key, readValue()]);
        skipSpace();
        if (text[at++] === '}') return { type: 'object', entries };
      }
    }
    if (char === '[') {
      at++;
      const items: JsonNode[] = [];
      skipSpace();
      if (text[at] === ']') {
        at++;
        return { type: 'array', items };
      }
      for (;;) {
        items.push(readValue());
        skipSpace();
        if (text[at++] === ']') return { type: 'array', items };
      }
    }
    if (char === '"') return { type: 'scalar', kind: 'string', text: readString() };
    const start = at;
    while (at < text.length && !',}] \t\n\r'.includes(text[at] as string)) at++;
    return literal(text.slice(start, at));
  };
  return readValue();
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
