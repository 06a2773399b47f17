/** A boolean query parameter as Go's strconv.ParseBool reads it: clients send `true`, `True` (Python) or `1`. */
export function queryFlag(query: URLSearchParams, name: string): boolean {
  return ['1', 't', 'T', 'true', 'True', 'TRUE'].includes(query.get(name) ?? '');
}
