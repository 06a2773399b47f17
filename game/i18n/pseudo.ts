// The pseudo-locale: the English table with every string and every function's result in ⟦brackets⟧. A page shown
// in it has brackets around each of its words, so a test can find text that bypassed the tables.

export const PSEUDO_OPEN = '⟦';
export const PSEUDO_CLOSE = '⟧';

type Table = { [key: string]: unknown };

export function pseudoStrings<T extends object>(table: T): T {
  const out: Table = {};
  for (const [key, value] of Object.entries(table)) {
    if (typeof value === 'string') out[key] = `${PSEUDO_OPEN}${value}${PSEUDO_CLOSE}`;
    else if (typeof value === 'function')
      out[key] = (...args: unknown[]) =>
        `${PSEUDO_OPEN}${String((value as (...a: unknown[]) => unknown)(...args))}${PSEUDO_CLOSE}`;
    else out[key] = pseudoStrings(value as Table);
  }
  return out as T;
}
