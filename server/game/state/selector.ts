// Label selectors as kubectl writes them, to check a pod still belongs to the game at the moment of a shot.
import { GameError } from '../errors.ts';

export type Requirement =
  { key: string; op: 'in' | 'notin'; values: string[] } | { key: string; op: 'exists' | '!exists' };

export type LabelSelector = Requirement[];

const TERM =
  /^\s*(?:(!)\s*([\w./-]+)|([\w./-]+)\s*(?:(==|=|!=)\s*([\w.-]*)|\s(in|notin)\s*\(([^)]*)\))?)\s*$/;

/** Splits on commas outside parentheses. */
function terms(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  out.push(selector.slice(start));
  return out.filter((t) => t.trim() !== '');
}

/** Parses `a=b,c!=d,e in (f,g),h notin (i),j,!k`; an unreadable selector is a configuration error. */
export function parseSelector(selector: string): LabelSelector {
  return terms(selector).map((term) => {
    const m = TERM.exec(term);
    if (!m)
      throw new GameError(400, `Cannot read the label selector term "${term.trim()}" in "${selector}".`);
    const [, not, notKey, key, eqOp, eqValue, setOp, setValues] = m;
    if (not && notKey) return { key: notKey, op: '!exists' };
    if (!key) throw new GameError(400, `Cannot read the label selector "${selector}".`);
    if (eqOp) return { key, op: eqOp === '!=' ? 'notin' : 'in', values: [eqValue ?? ''] };
    if (setOp === 'in' || setOp === 'notin') {
      return { key, op: setOp, values: (setValues ?? '').split(',').map((v) => v.trim()) };
    }
    return { key, op: 'exists' };
  });
}

export function matchesSelector(
  selector: LabelSelector,
  labels: Record<string, string> | undefined,
): boolean {
  const l = labels ?? {};
  return selector.every((r) => {
    const has = Object.hasOwn(l, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case '!exists':
        return !has;
      case 'in':
        return has && r.values.includes(l[r.key] as string);
      case 'notin':
        return !has || !r.values.includes(l[r.key] as string);
    }
  });
}
