// Who may call the API: authenticators turn a request's bearer token into an identity (the kubeconfig's admin, a
// ServiceAccount), then one Authorizer decides what that identity may do (RBAC by default, server/sandbox/auth).
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface Identity {
  user: string;
  groups: string[];
  /** A ServiceAccount's uid, for the identities that have one. */
  uid?: string;
  /** What authentication adds about the credential, e.g. a bound token's id (`kubectl auth whoami` shows it). */
  extra?: Record<string, string[]>;
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

/** A request on a path that is no resource (/api, /openapi/v2 …), as nonResourceURLs rules name it. */
export interface NonResourceAttributes {
  verb: string;
  path: string;
}

/** Decides, after authentication, whether an identity may make a resource request (RBAC's place in a real server). */
export interface Authorizer {
  allows(identity: Identity, request: ResourceAttributes): boolean;
  /** Whether it may ask for a path that is no resource; without this method every such path is allowed. */
  allowsPath?(identity: Identity, request: NonResourceAttributes): boolean;
}

/** System:masters may do anything on a real cluster (checked before RBAC); the sandbox's admin is in it. */
export const isMaster = (identity: Identity) => identity.groups.includes('system:masters');

export const mastersOnly: Authorizer = { allows: isMaster };

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

/** The token of an `Authorization: Bearer …` header. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const match = (req.headers.authorization ?? '').match(/^Bearer\s+(.+)$/i);
  return match ? (match[1] as string).trim() : undefined;
}

/** The first identity one of the authenticators finds, as the apiserver tries its authenticators in turn. */
export function firstOf(...authenticators: Authenticator[]): Authenticator {
  return {
    authenticate: (req) => {
      for (const each of authenticators) {
        const identity = each.authenticate(req);
        if (identity) return identity;
      }
      return undefined;
    },
  };
}

export function bearerTokenAuthenticator(token: string, user = 'kubewars-admin'): Authenticator {
  const expected = Buffer.from(token);
  return {
    authenticate(req) {
      const presented = bearerToken(req);
      if (!presented) return undefined;
      const given = Buffer.from(presented);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      return { user, groups: ['system:masters', 'system:authenticated'] };
    },
  };
}
