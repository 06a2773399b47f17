// Who may call the API. Today one bearer token for the whole sandbox; the shape leaves room for per-attendee
// tokens limited to their own namespace (RBAC evaluated here) when an instructor shares one sandbox with a room.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface Identity {
  user: string;
  groups: string[];
}

export interface Authenticator {
  authenticate(req: IncomingMessage): Identity | undefined;
}

/** What a resource request asks to do, in the terms RBAC rules use. */
export interface ResourceAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** Decides, after authentication, whether an identity may make a resource request (RBAC's place in a real server). */
export interface Authorizer {
  allows(identity: Identity, request: ResourceAttributes): boolean;
}

/** The sandbox's single admin is in system:masters, which a real cluster lets do anything. */
export const mastersOnly: Authorizer = {
  allows: (identity) => identity.groups.includes('system:masters'),
};

/** The apiserver's wording for a refused request, which kubectl prints after "Error from server (Forbidden):". */
export function forbiddenMessage(identity: Identity, request: ResourceAttributes): string {
  const resource = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
  const qualified = request.group ? `${request.resource}.${request.group}` : request.resource;
  const subject = request.name ? `${qualified} "${request.name}"` : qualified;
  const scope = request.namespace ? `in the namespace "${request.namespace}"` : 'at the cluster scope';
  return `${subject} is forbidden: User "${identity.user}" cannot ${request.verb} resource "${resource}" in API group "${request.group}" ${scope}`;
}

/** Paths a real cluster serves to anyone (system:public-info-viewer). */
const publicPaths = new Set(['/version', '/healthz', '/livez', '/readyz']);
export const isPublicPath = (pathname: string) => publicPaths.has(pathname);

export function bearerTokenAuthenticator(token: string, user = 'kubewars-admin'): Authenticator {
  const expected = Buffer.from(token);
  return {
    authenticate(req) {
      const header = req.headers.authorization ?? '';
      const match = header.match(/^Bearer\s+(.+)$/i);
      if (!match) return undefined;
      const given = Buffer.from((match[1] as string).trim());
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      return { user, groups: ['system:masters', 'system:authenticated'] };
    },
  };
}
