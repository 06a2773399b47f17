// What `kubectl explain` says of the types of authentication.k8s.io/v1 (see ../descriptions.ts).
import type { Texts } from './common.ts';
export const authentication: Texts = {
  'authentication.v1.BoundObjectReference': {
    '': 'An object a token is bound to: the token stops working when it is deleted.',
    kind: 'Pod, Secret or Node.',
    apiVersion: 'Its API version.',
    name: 'Its name.',
    uid: 'Its uid.',
  },
  'authentication.v1.SelfSubjectReview': {
    '': 'Asks the server who you are (kubectl auth whoami).',
    metadata: "The review's name, namespace (if any), labels and annotations.",
  },
  'authentication.v1.TokenRequest': {
    '': 'Asks for a token of a service account (kubectl create token).',
    metadata: "The request's name, namespace (if any), labels and annotations.",
    spec: 'What token to issue.',
  },
  'authentication.v1.TokenRequestSpec': {
    '': 'The token asked for.',
    audiences: 'Who the token is meant for; the API server by default.',
    boundObjectRef: 'An object whose deletion ends the token.',
    expirationSeconds: 'How long the token is valid; the server may shorten it.',
  },
  'authentication.v1.TokenReview': {
    '': 'Asks the server whether a token is valid and whom it belongs to.',
    metadata: "The review's name, namespace (if any), labels and annotations.",
    spec: 'The token to check.',
  },
  'authentication.v1.TokenReviewSpec': {
    '': 'A token to check.',
    token: 'The bearer token.',
    audiences: 'Audiences the token must be valid for.',
  },
};
