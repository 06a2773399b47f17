// Repeated keys of a YAML (or JSON, read as YAML) body, in the words of the YAML decoder the apiserver uses.
import { LineCounter, isMap, isScalar, parseDocument, visit, type Node } from 'yaml';

/** `line 5: key "name" already set in map` for each repeat, in document order. */
export function yamlDuplicateKeys(text: string): string[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: false, lineCounter });
  const repeats: { offset: number; text: string }[] = [];
  visit(doc, {
    Map(_key, map) {
      if (!isMap(map)) return;
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key: unknown = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key)) {
          const offset = (pair.key as Node | null)?.range?.[0] ?? 0;
          const quoted = typeof key === 'string' ? JSON.stringify(key) : String(key);
          repeats.push({
            offset,
            text: `line ${lineCounter.linePos(offset).line}: key ${quoted} already set in map`,
          });
        }
        seen.add(key);
      }
    },
  });
  // The visitor finishes a map before its children; the decoder reports in reading order.
  return repeats.sort((a, b) => a.offset - b.offset).map((repeat) => repeat.text);
}

/** The decoder's single error for all of them. */
export const yamlUnmarshalErrors = (repeats: readonly string[]) =>
  `yaml: unmarshal errors:\n  ${repeats.join('\n  ')}`;
