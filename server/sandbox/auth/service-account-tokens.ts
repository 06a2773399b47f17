// ServiceAccount tokens: the bound tokens TokenRequest issues (audiences, expiry, bound to the account's uid and
// optionally to a Pod or Secret) and the legacy never-expiring tokens kept in Secrets, and their authentication as
// system:serviceaccount:<namespace>:<name>, as kube-apiserver's service account authenticator does.
import { randomUUID } from 'node:crypto';
import type { ClusterClient, KubeObject } from '../types.ts';
import type { Authenticator, Identity } from '../api/auth.ts';
import { bearerToken } from '../api/auth.ts';
import type { JwtSigner } from './signing-key.ts';

/** The apiserver's own audience and issuer on a kubeadm cluster. */
export const API_AUDIENCE = 'https://kubernetes.default.svc.cluster.local';
const ISSUER = API_AUDIENCE;
const LEGACY_ISSUER = 'kubernetes/serviceaccount';
/** Which sandbox issued a token: a host of many sandboxes routes a request by it before the signature is checked. */
export const CLUSTER_CLAIM = 'kubewars.io/cluster';
const LEGACY = 'kubernetes.io/serviceaccount/';

export const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';
export const serviceAccountUser = (namespace: string, name: string) =>
  `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`;
export const serviceAccountGroups = (namespace: string) => [
  'system:serviceaccounts',
  `system:serviceaccounts:${namespace}`,
  'system:authenticated',
];

export interface ServiceAccountTokens {
  signer: JwtSigner;
  client: ClusterClient;
  now: () => number;
  /** Written into every token as the kubewars.io/cluster claim. */
  clusterId: string;
}

/** An object a token is bound to: it stops working when that object is gone. */
export interface BoundObject {
  kind: 'Pod' | 'Secret';
  name: string;
  uid: string;
}

const SECRETS = { group: '', resource: 'secrets' };
const PODS = { group: '', resource: 'pods' };
const SERVICE_ACCOUNTS = { group: '', resource: 'serviceaccounts' };

export function issueBoundToken(
  tokens: ServiceAccountTokens,
  account: KubeObject,
  request: { audiences: string[]; expirationSeconds: number; boundObject?: BoundObject },
): { token: string; expiresAt: number } {
  const issuedAt = Math.floor(tokens.now() / 1000);
  const expiresAt = issuedAt + request.expirationSeconds;
  const namespace = account.metadata.namespace ?? '';
  const bound = request.boundObject;
  const token = tokens.signer.sign({
    aud: request.audiences,
    exp: expiresAt,
    iat: issuedAt,
    iss: ISSUER,
    jti: randomUUID(),
    'kubernetes.io': {
      namespace,
      serviceaccount: { name: account.metadata.name, uid: account.metadata.uid },
      ...(bound ? { [bound.kind.toLowerCase()]: { name: bound.name, uid: bound.uid } } : {}),
    },
    nbf: issuedAt,
    sub: serviceAccountUser(namespace, account.metadata.name ?? ''),
    [CLUSTER_CLAIM]: tokens.clusterId,
  });
  return { token, expiresAt: expiresAt * 1000 };
}

/** The token a legacy `kubernetes.io/service-account-token` Secret holds: no expiry, valid while the Secret is. */
export function issueLegacyToken(
  tokens: ServiceAccountTokens,
  account: KubeObject,
  secretName: string,
): string {
  const namespace = account.metadata.namespace ?? '';
  return tokens.signer.sign({
    iss: LEGACY_ISSUER,
    [`${LEGACY}namespace`]: namespace,
    [`${LEGACY}secret.name`]: secretName,
    [`${LEGACY}service-account.name`]: account.metadata.name,
    [`${LEGACY}service-account.uid`]: account.metadata.uid,
    sub: serviceAccountUser(namespace, account.metadata.name ?? ''),
    [CLUSTER_CLAIM]: tokens.clusterId,
  });
}

interface BoundClaims {
  namespace?: string;
  serviceaccount?: { name?: string; uid?: string };
  pod?: { name?: string; uid?: string };
  secret?: { name?: string; uid?: string };
}

const liveWithUid = (object: KubeObject | undefined, uid: string | undefined) =>
  Boolean(object && object.metadata.uid === uid && !object.metadata.deletionTimestamp);

function boundIdentity(tokens: ServiceAccountTokens, claims: Record<string, unknown>): Identity | undefined {
  const now = tokens.now() / 1000;
  if (typeof claims.exp !== 'number' || claims.exp < now) return undefined;
  if (typeof claims.nbf === 'number' && claims.nbf > now + 60) return undefined;
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(API_AUDIENCE)) return undefined;
  const bound = (claims['kubernetes.io'] ?? {}) as BoundClaims;
  const namespace = bound.namespace ?? '';
  const name = bound.serviceaccount?.name ?? '';
  const account = tokens.client.tryGet(SERVICE_ACCOUNTS, namespace, name);
  if (!liveWithUid(account, bound.serviceaccount?.uid)) return undefined;
  if (bound.pod && !liveWithUid(tokens.client.tryGet(PODS, namespace, bound.pod.name ?? ''), bound.pod.uid))
    return undefined;
  if (
    bound.secret &&
    !liveWithUid(tokens.client.tryGet(SECRETS, namespace, bound.secret.name ?? ''), bound.secret.uid)
  )
    return undefined;
  const extra: Record<string, string[]> = {
    'authentication.kubernetes.io/credential-id': [`JTI=${String(claims.jti)}`],
    ...(bound.pod
      ? {
          'authentication.kubernetes.io/pod-name': [bound.pod.name ?? ''],
          'authentication.kubernetes.io/pod-uid': [bound.pod.uid ?? ''],
        }
      : {}),
  };
  return {
    user: serviceAccountUser(namespace, name),
    uid: account?.metadata.uid ?? '',
    groups: serviceAccountGroups(namespace),
    extra,
  };
}

function legacyIdentity(
  tokens: ServiceAccountTokens,
  claims: Record<string, unknown>,
  token: string,
): Identity | undefined {
  const namespace = String(claims[`${LEGACY}namespace`] ?? '');
  const name = String(claims[`${LEGACY}service-account.name`] ?? '');
  const secret = tokens.client.tryGet(SECRETS, namespace, String(claims[`${LEGACY}secret.name`] ?? ''));
  const stored = (secret?.data as Record<string, string> | undefined)?.token;
  if (!secret || secret.metadata.deletionTimestamp || !stored) return undefined;
  if (Buffer.from(stored, 'base64').toString('utf8') !== token) return undefined;
  const account = tokens.client.tryGet(SERVICE_ACCOUNTS, namespace, name);
  if (!liveWithUid(account, String(claims[`${LEGACY}service-account.uid`] ?? ''))) return undefined;
  return {
    user: serviceAccountUser(namespace, name),
    uid: account?.metadata.uid ?? '',
    groups: serviceAccountGroups(namespace),
  };
}

/** Authenticates bearer tokens this sandbox signed for one of its ServiceAccounts. */
export function serviceAccountAuthenticator(tokens: ServiceAccountTokens): Authenticator {
  return {
    authenticate(req) {
      const token = bearerToken(req);
      const claims = token?.includes('.') ? tokens.signer.verify(token) : undefined;
      if (!token || !claims || claims[CLUSTER_CLAIM] !== tokens.clusterId) return undefined;
      if (claims.iss === ISSUER) return boundIdentity(tokens, claims);
      if (claims.iss === LEGACY_ISSUER) return legacyIdentity(tokens, claims, token);
      return undefined;
    },
  };
}
