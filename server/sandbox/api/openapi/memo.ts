// Most parameters of the documents (pretty, dryRun, the list options …) are shared objects: each is converted once.

/** `convert`, remembering its result for each object it was given. */
export function memoized<K extends object, V>(convert: (key: K) => V): (key: K) => V {
  const results = new WeakMap<K, V>();
  return (key) => {
    let result = results.get(key);
    if (result === undefined) {
      result = convert(key);
      results.set(key, result);
    }
    return result;
  };
}
