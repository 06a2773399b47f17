// What `kubectl explain` says of the types of authorization.k8s.io/v1 (see ../descriptions.ts).
import type { Texts } from './common.ts';
export const authorization: Texts = {
  'authorization.v1.LocalSubjectAccessReview': {
    '': 'Asks whether a user or group may do something in one namespace.',
    metadata: "The review's name, namespace (if any), labels and annotations.",
    spec: 'The user, and the action in this namespace.',
  },
  'authorization.v1.NonResourceAttributes': {
    '': 'An action on a URL path that is not a resource, e.g. /healthz.',
    path: 'The URL path.',
    verb: 'The HTTP verb in lower case, e.g. get.',
  },
  'authorization.v1.ResourceAttributes': {
    '': 'An action on a resource.',
    namespace: 'The namespace; empty for all namespaces or a cluster-wide resource.',
    verb: 'get, list, watch, create, update, patch, delete \u2026 or * for all.',
    group: 'The API group; empty for the core group.',
    version: 'The API version.',
    resource: 'The resource, e.g. pods; * for all.',
    subresource: 'A subresource, e.g. log.',
    name: "One object's name; empty for all.",
  },
  'authorization.v1.SelfSubjectAccessReview': {
    '': 'Asks whether you may do something (kubectl auth can-i).',
    metadata: "The review's name, namespace (if any), labels and annotations.",
    spec: 'The action to check.',
  },
  'authorization.v1.SelfSubjectAccessReviewSpec': {
    '': 'An action you might do; set one of the two fields.',
    resourceAttributes: 'An action on a resource.',
    nonResourceAttributes: 'An action on a non-resource URL.',
  },
  'authorization.v1.SelfSubjectRulesReview': {
    '': 'Asks for everything you may do in a namespace (kubectl auth can-i --list).',
    metadata: "The review's name, namespace (if any), labels and annotations.",
    spec: 'The namespace to list your rules in.',
  },
  'authorization.v1.SelfSubjectRulesReviewSpec': {
    '': 'Where to list your rules.',
    namespace: 'The namespace.',
  },
  'authorization.v1.SubjectAccessReview': {
    '': 'Asks whether a user or group may do something.',
    metadata: "The review's name, namespace (if any), labels and annotations.",
    spec: 'The user and the action.',
  },
  'authorization.v1.SubjectAccessReviewSpec': {
    '': 'A user and an action; set resourceAttributes or nonResourceAttributes.',
    resourceAttributes: 'An action on a resource.',
    nonResourceAttributes: 'An action on a non-resource URL.',
    user: "The user's name.",
    groups: "The user's groups.",
    uid: "The user's uid.",
  },
};
