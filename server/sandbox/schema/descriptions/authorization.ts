import type { Texts } from './common.ts';
export const authorization: Texts = {
  'authorization.v1.LocalSubjectAccessReview': {
    '': 'Asks whether a user or group may do something in one namespace.',
  },
  'authorization.v1.SelfSubjectAccessReview': {
    '': 'Asks whether you may do something (kubectl auth can-i).',
  },
  'authorization.v1.SelfSubjectRulesReview': {
    '': 'Asks for everything you may do in a namespace (kubectl auth can-i --list).',
  },
  'authorization.v1.SubjectAccessReview': { '': 'Asks whether a user or group may do something.' },
};
