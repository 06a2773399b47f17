// Impersonation headers (`kubectl --as`, `--as-group`, `--as-uid`): the request acts as another identity when
// the caller may `impersonate` each part of it, as the apiserver's impersonation filter checks.
import type { IncomingMessage } from 'node:http';
import type { Identity, ResourceAttributes } from '../api/auth.ts';
import { badRequest } from '../errors.ts';
import { SERVICE_ACCOUNT_PREFIX, serviceAccountGroups } from './service-account-tokens.ts';

const EXTRA_PREFIX = 'impersonate-extra-';

function headerValues(req: IncomingMessage, name: string): string[] {
  return (req.headersDistinct?.[name] ?? []).map((value) => value.trim()).filter(Boolean);
}

/** What impersonating a user name needs: a ServiceAccount is authorised as that object, anyone else as a user. */
function userAttributes(user: string): ResourceAttributes {
  if (user.startsWith(SERVICE_ACCOUNT_PREFIX)) {
    const [namespace, name] = user.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
    if (namespace && name)
      return { verb: 'impersonate', group: '', resource: 'serviceaccounts', namespace, name };
  }
  return { verb: 'impersonate', group: '', resource: 'users', name: user };
}

/**
 * The identity the request acts as: the caller's own without impersonation headers; otherwise the impersonated
 * one, once `authorize` (which throws the apiserver's 403) has accepted every part of it.
 */
export function impersonatedIdentity(
  req: IncomingMessage,
  caller: Identity,
  authorize: (attributes: ResourceAttributes) => void,
): Identity {
  const user = headerValues(req, 'impersonate-user')[0];
  const groups = headerValues(req, 'impersonate-group');
  const uid = headerValues(req, 'impersonate-uid')[0];
  const extraKeys = Object.keys(req.headersDistinct ?? {}).filter((key) => key.startsWith(EXTRA_PREFIX));
  if (!user) {
    if (groups.length || uid || extraKeys.length)
      throw badRequest('requested impersonation of groups, uid or extra without impersonating a user');
    return caller;
  }
  authorize(userAttributes(user));
  for (const group of groups) authorize({ verb: 'impersonate', group: '', resource: 'groups', name: group });
  if (uid) authorize({ verb: 'impersonate', group: 'authentication.k8s.io', resource: 'uids', name: uid });
  const extra: Record<string, string[]> = {};
  for (const header of extraKeys) {
    const key = decodeURIComponent(header.slice(EXTRA_PREFIX.length));
    extra[key] = headerValues(req, header);
    for (const value of extra[key])
      authorize({
        verb: 'impersonate',
        group: 'authentication.k8s.io',
        resource: 'userextras',
        subresource: key,
        name: value,
      });
  }
  const serviceAccount = user.startsWith(SERVICE_ACCOUNT_PREFIX)
    ? user.slice(SERVICE_ACCOUNT_PREFIX.length).split(':')[0]
    : undefined;
  const impersonatedGroups =
    groups.length === 0 && serviceAccount ? serviceAccountGroups(serviceAccount) : [...groups];
  if (user !== 'system:anonymous' && !impersonatedGroups.includes('system:authenticated'))
    impersonatedGroups.push('system:authenticated');
  return {
    user,
    groups: impersonatedGroups,
    ...(uid ? { uid } : {}),
    ...(extraKeys.length ? { extra } : {}),
  };
}
