// POST …/serviceaccounts/{name}/token (what `kubectl create token` calls): a TokenRequest answered with a signed
// token, with the apiserver's defaults and limits for its lifetime and its checks of the object it is bound to.
import { parseObjectBody, readBody } from '../api/body.ts';
import type { Reply, ResourceRequest } from '../api/resources.ts';
import { conflict, invalid } from '../errors.ts';
import { invalid as invalidCause, notSupported } from '../validation/causes.ts';
import { kubeTime } from '../time.ts';
import type { KubeObject } from '../types.ts';
import type { BoundObject, ServiceAccountTokens } from './service-account-tokens.ts';
import { API_AUDIENCE, issueBoundToken } from './service-account-tokens.ts';

/** The apiserver's default lifetime when the request names none, and the shortest it accepts. */
export const DEFAULT_EXPIRATION_SECONDS = 3600;
const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 2 ** 32;

interface TokenRequestSpec {
  audiences?: string[];
  expirationSeconds?: number;
  boundObjectRef?: { kind?: string; apiVersion?: string; name?: string; uid?: string };
}

const REFS = { Pod: { group: '', resource: 'pods' }, Secret: { group: '', resource: 'secrets' } } as const;

function boundObject(
  tokens: ServiceAccountTokens,
  namespace: string,
  name: string,
  ref: TokenRequestSpec['boundObjectRef'],
): BoundObject | undefined {
  if (!ref) return undefined;
  const kind = ref.kind ?? '';
  if (kind !== 'Pod' && kind !== 'Secret') {
    throw invalid(
      'TokenRequest',
      name,
      [notSupported('spec.boundObjectRef.kind', kind, ['Pod', 'Secret'])],
      'authentication.k8s.io',
    );
  }
  const target = tokens.client.get(REFS[kind], namespace, ref.name ?? '');
  const uid = target.metadata.uid ?? '';
  if (ref.uid && ref.uid !== uid) {
    throw conflict(
      REFS[kind].resource,
      ref.name ?? '',
      '',
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  }
  return { kind, name: ref.name ?? '', uid };
}

/** The TokenRequest the apiserver returns for `body`, asked of ServiceAccount `name` in `namespace`. */
export function answerTokenRequest(
  tokens: ServiceAccountTokens,
  namespace: string,
  name: string,
  body: Record<string, unknown>,
): KubeObject {
  const spec = (body.spec ?? {}) as TokenRequestSpec;
  const expirationSeconds = spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  const field = 'spec.expirationSeconds';
  if (expirationSeconds < MIN_EXPIRATION_SECONDS || expirationSeconds > MAX_EXPIRATION_SECONDS) {
    const why =
      expirationSeconds < MIN_EXPIRATION_SECONDS
        ? 'may not specify a duration less than 10 minutes'
        : 'may not specify a duration larger than 2^32 seconds';
    throw invalid(
      'TokenRequest',
      name,
      [invalidCause(field, expirationSeconds, why)],
      'authentication.k8s.io',
    );
  }
  const account = tokens.client.get({ group: '', resource: 'serviceaccounts' }, namespace, name);
  const audiences = spec.audiences?.length ? spec.audiences : [API_AUDIENCE];
  const bound = boundObject(tokens, namespace, name, spec.boundObjectRef);
  const issued = issueBoundToken(tokens, account, {
    audiences,
    expirationSeconds,
    ...(bound ? { boundObject: bound } : {}),
  });
  return {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace },
    spec: {
      audiences,
      expirationSeconds,
      boundObjectRef: bound ? { kind: bound.kind, apiVersion: 'v1', name: bound.name, uid: bound.uid } : null,
    },
    status: { token: issued.token, expirationTimestamp: kubeTime(issued.expiresAt) },
  };
}

/** Serves the POST: reads the TokenRequest body and answers 201 with the token. */
export async function serveTokenRequest(
  request: ResourceRequest,
  tokens: ServiceAccountTokens,
): Promise<Reply> {
  const { path, req } = request;
  const body = parseObjectBody(await readBody(req), req.headers['content-type']);
  return {
    code: 201,
    body: answerTokenRequest(tokens, path.namespace ?? 'default', path.name ?? '', body),
  };
}
