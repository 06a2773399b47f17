// One decision, with the apiserver's reason, for a request on a resource or on a path: what the handler enforces
// and what access reviews report (`kubectl auth can-i` must say what the server would do).
import type { Authorizer, Identity, NonResourceAttributes, ResourceAttributes } from '../api/auth.ts';
import { isMaster } from '../api/auth.ts';
import type { PolicyRule, PolicySource } from './rbac.ts';
import { allowedBy, rulesFor } from './rbac.ts';

export interface Decision {
  allowed: boolean;
  reason?: string;
}

export interface AccessPolicy {
  decide(identity: Identity, request: ResourceAttributes | NonResourceAttributes): Decision;
  /** The rules that apply to the identity in the namespace (SelfSubjectRulesReview). */
  rules(identity: Identity, namespace: string): PolicyRule[];
}

/** System:masters may do anything (the apiserver checks that group before RBAC); the rest is RBAC's. */
export function rbacAccess(policy: PolicySource): AccessPolicy {
  return {
    decide(identity, request) {
      if (isMaster(identity)) return { allowed: true };
      const reason = allowedBy(policy, identity, request);
      return reason ? { allowed: true, reason } : { allowed: false };
    },
    rules: (identity, namespace) => rulesFor(policy, identity, namespace),
  };
}

/** Resource requests decided by another authorizer (a test's, a room's), the rest as `access` decides. */
export function decidedBy(authorizer: Authorizer, access: AccessPolicy): AccessPolicy {
  return {
    decide: (identity, request) =>
      'path' in request
        ? access.decide(identity, request)
        : { allowed: authorizer.allows(identity, request) },
    rules: access.rules,
  };
}

/** The Authorizer the handler asks, answering as the access policy decides. */
export const authorizerOf = (access: AccessPolicy): Authorizer => ({
  allows: (identity, request) => access.decide(identity, request).allowed,
  allowsPath: (identity, request) => access.decide(identity, request).allowed,
});
