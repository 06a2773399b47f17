// Which cluster of a host a request is for: its bearer token says so. Static cluster tokens are looked up as they
// are; a ServiceAccount token (a JWT) names its cluster in a claim, read here unverified only to route the request:
// the cluster itself verifies the signature.
import type { IncomingMessage } from 'node:http';
import { CLUSTER_CLAIM } from '../auth/service-account-tokens.ts';

/** The bearer token of a request, or undefined when it has none. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const match = (req.headers.authorization ?? '').match(/^Bearer\s+(.+)$/i);
  return match ? (match[1] as string).trim() : undefined;
}

const JWT = /^[\w-]+\.([\w-]+)\.[\w-]*$/;

/** The cluster a JWT-shaped token claims to come from (not verified), or undefined for any other token. */
export function claimedCluster(token: string): string | undefined {
  const payload = JWT.exec(token)?.[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    const cluster =
      claims && typeof claims === 'object' ? (claims as Record<string, unknown>)[CLUSTER_CLAIM] : undefined;
    return typeof cluster === 'string' ? cluster : undefined;
  } catch {
    return undefined;
  }
}
