// Splits an API path into what it addresses: /api/v1/namespaces/ns/pods/name/log → group '', version v1, …
export interface ResourcePath {
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
}

export type ApiPath =
  | { type: 'groups'; legacy: boolean }
  | { type: 'group'; group: string }
  | { type: 'groupVersion'; group: string; version: string }
  | ({ type: 'resource' } & ResourcePath);

/** undefined when the path is not an API path at all. */
export function parseApiPath(pathname: string): ApiPath | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length === 1) return { type: 'groups', legacy: true };
    group = '';
    rest = parts.slice(1);
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return { type: 'groups', legacy: false };
    if (parts.length === 2) return { type: 'group', group: parts[1] as string };
    group = parts[1] as string;
    rest = parts.slice(2);
  } else return undefined;
  const [version, ...segments] = rest as [string, ...string[]];
  if (segments.length === 0) return { type: 'groupVersion', group, version };
  // namespaces/{ns}/{resource}/…, except the namespace object's own subresources (status, finalize).
  if (
    segments[0] === 'namespaces' &&
    segments.length >= 3 &&
    !(segments.length === 3 && ['status', 'finalize'].includes(segments[2] as string))
  ) {
    const [, namespace, resource, name, subresource, ...extra] = segments;
    if (extra.length) return undefined;
    return { type: 'resource', group, version, namespace, resource: resource as string, name, subresource };
  }
  const [resource, name, subresource, ...extra] = segments;
  if (extra.length) return undefined;
  return { type: 'resource', group, version, resource: resource as string, name, subresource };
}
