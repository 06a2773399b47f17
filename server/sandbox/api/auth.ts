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
