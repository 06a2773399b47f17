// Deep copies of stored objects. Every read and write copies, so the copy is on the hot path: a walk over JSON
// values is several times faster than structuredClone, which serialises through the structured-clone format.

/** A deep copy of a JSON value; an own `__proto__` key (from JSON.parse) stays a data key, never a prototype. */
export function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = cloneJson((value as Record<string, unknown>)[key]);
    if (key === '__proto__') {
      Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    } else copy[key] = item;
  }
  return copy as T;
}
