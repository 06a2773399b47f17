// The review APIs, computed per request and never stored: SelfSubjectAccessReview (`kubectl auth can-i`),
// SelfSubjectRulesReview (`can-i --list`), SubjectAccessReview and LocalSubjectAccessReview, SelfSubjectReview
// (`kubectl auth whoami`) and TokenReview.
import type { IncomingMessage } from 'node:http';
import type { Authenticator, Identity, NonResourceAttributes, ResourceAttributes } from '../api/auth.ts';
import { parseObjectBody, readBody } from '../api/body.ts';
import type { Reply, ResourceRequest } from '../api/resources.ts';
import { invalid } from '../errors.ts';
import { invalid as invalidCause } from '../validation/causes.ts';
import type { KubeObject } from '../types.ts';
import type { AccessPolicy } from './access.ts';
import { API_AUDIENCE } from './service-account-tokens.ts';

export interface ReviewContext {
  access: AccessPolicy;
  /** Authenticates the token a TokenReview carries. */
  authenticator: Authenticator;
}

const AUTHORIZATION = 'authorization.k8s.io';
const AUTHENTICATION = 'authentication.k8s.io';
export const REVIEW_RESOURCES: Record<string, string[]> = {
  [AUTHORIZATION]: [
    'localsubjectaccessreviews',
    'selfsubjectaccessreviews',
    'selfsubjectrulesreviews',
    'subjectaccessreviews',
  ],
  [AUTHENTICATION]: ['selfsubjectreviews', 'tokenreviews'],
};

export const isReview = (group: string, resource: string) =>
  REVIEW_RESOURCES[group]?.includes(resource) ?? false;

interface WireResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

interface AccessSpec {
  resourceAttributes?: WireResourceAttributes;
  nonResourceAttributes?: { path?: string; verb?: string };
  user?: string;
  groups?: string[];
  uid?: string;
  extra?: Record<string, string[]>;
  namespace?: string;
}

function attributesOf(kind: string, spec: AccessSpec): ResourceAttributes | NonResourceAttributes {
  const resource = spec.resourceAttributes;
  const path = spec.nonResourceAttributes;
  if (Boolean(resource) === Boolean(path)) {
    throw invalid(
      kind,
      '',
      [
        invalidCause(
          'spec.resourceAttributes',
          resource ?? null,
          'exactly one of nonResourceAttributes or resourceAttributes must be specified',
        ),
      ],
      AUTHORIZATION,
    );
  }
  if (path) return { verb: path.verb ?? '', path: path.path ?? '' };
  const r = resource as WireResourceAttributes;
  return {
    verb: r.verb ?? '',
    group: r.group ?? '',
    resource: r.resource ?? '',
    ...(r.subresource ? { subresource: r.subresource } : {}),
    ...(r.namespace ? { namespace: r.namespace } : {}),
    ...(r.name ? { name: r.name } : {}),
  };
}

function subjectOf(kind: string, spec: AccessSpec): Identity {
  if (!spec.user && !spec.groups?.length) {
    throw invalid(
      kind,
      '',
      [invalidCause('spec.user', spec.user ?? '', 'at least one of user or group must be specified')],
      AUTHORIZATION,
    );
  }
  return {
    user: spec.user ?? '',
    groups: spec.groups ?? [],
    ...(spec.uid ? { uid: spec.uid } : {}),
    ...(spec.extra ? { extra: spec.extra } : {}),
  };
}

const userInfo = (identity: Identity) => ({
  username: identity.user,
  ...(identity.uid ? { uid: identity.uid } : {}),
  groups: identity.groups,
  ...(identity.extra ? { extra: identity.extra } : {}),
});

function accessStatus(
  context: ReviewContext,
  identity: Identity,
  attributes: ResourceAttributes | NonResourceAttributes,
) {
  const decision = context.access.decide(identity, attributes);
  return { allowed: decision.allowed, ...(decision.reason ? { reason: decision.reason } : {}) };
}

/** The review's answer: the request's spec with the status the apiserver computes. */
export function answerReview(
  context: ReviewContext,
  identity: Identity,
  kind: string,
  group: string,
  namespace: string | undefined,
  body: Record<string, unknown>,
): KubeObject {
  const spec = (body.spec ?? {}) as AccessSpec;
  const answer = (status: Record<string, unknown>, shownSpec: unknown = body.spec ?? {}): KubeObject => ({
    kind,
    apiVersion: `${group}/v1`,
    metadata: { ...((body.metadata as object | undefined) ?? {}), ...(namespace ? { namespace } : {}) },
    ...(kind === 'SelfSubjectReview' ? {} : { spec: shownSpec }),
    status,
  });
  switch (kind) {
    case 'SelfSubjectAccessReview':
      return answer(accessStatus(context, identity, attributesOf(kind, spec)));
    case 'SubjectAccessReview':
      return answer(accessStatus(context, subjectOf(kind, spec), attributesOf(kind, spec)));
    case 'LocalSubjectAccessReview': {
      const asked = spec.resourceAttributes?.namespace;
      if (spec.nonResourceAttributes || (asked !== undefined && asked !== namespace)) {
        throw invalid(
          kind,
          '',
          [invalidCause('spec.resourceAttributes.namespace', asked ?? '', 'must match metadata.namespace')],
          AUTHORIZATION,
        );
      }
      const scoped = { ...spec, resourceAttributes: { ...spec.resourceAttributes, namespace } };
      return answer(accessStatus(context, subjectOf(kind, scoped), attributesOf(kind, scoped)), scoped);
    }
    case 'SelfSubjectRulesReview': {
      const rules = context.access.rules(identity, spec.namespace ?? '');
      return answer({
        resourceRules: rules
          .filter((rule) => rule.resources?.length)
          .map(({ verbs, apiGroups, resources, resourceNames }) => ({
            verbs,
            ...(apiGroups ? { apiGroups } : {}),
            ...(resources ? { resources } : {}),
            ...(resourceNames ? { resourceNames } : {}),
          })),
        nonResourceRules: rules
          .filter((rule) => rule.nonResourceURLs?.length)
          .map(({ verbs, nonResourceURLs }) => ({ verbs, nonResourceURLs })),
        incomplete: false,
      });
    }
    case 'SelfSubjectReview':
      return answer({ userInfo: userInfo(identity) });
    case 'TokenReview': {
      const token = String((spec as { token?: unknown }).token ?? '');
      const fake = { headers: { authorization: `Bearer ${token}` } } as IncomingMessage;
      const reviewed = token ? context.authenticator.authenticate(fake) : undefined;
      return answer(
        reviewed
          ? { authenticated: true, user: userInfo(reviewed), audiences: [API_AUDIENCE] }
          : { user: {}, error: 'invalid bearer token' },
      );
    }
    default:
      throw new Error(`${kind} is no review`);
  }
}

/** Serves the POST of a review: 201 with the computed status, as the apiserver answers. */
export async function serveReview(
  request: ResourceRequest,
  identity: Identity,
  context: ReviewContext,
): Promise<Reply> {
  const { info, path, req } = request;
  const body = parseObjectBody(await readBody(req), req.headers['content-type']);
  return { code: 201, body: answerReview(context, identity, info.kind, info.group, path.namespace, body) };
}
