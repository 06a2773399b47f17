import type { Texts } from './common.ts';
export const authentication: Texts = {
  'authentication.v1.SelfSubjectReview': { '': 'Asks the server who you are (kubectl auth whoami).' },
  'authentication.v1.TokenRequest': { '': 'Asks for a token of a service account (kubectl create token).' },
  'authentication.v1.TokenReview': { '': 'Asks the server whether a token is valid and whom it belongs to.' },
};
