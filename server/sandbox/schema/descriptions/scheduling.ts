// What `kubectl explain` says of the types of scheduling.k8s.io/v1 (see ../descriptions.ts).
import type { Texts } from './common.ts';
export const scheduling: Texts = {
  'scheduling.v1.PriorityClass': {
    '': 'A PriorityClass names a pod priority; the scheduler may evict lower-priority pods to place higher ones.',
    value: 'The priority; higher is more important.',
    globalDefault: 'Use this class for pods that name none.',
    description: 'When to use this class, for people.',
    preemptionPolicy: 'PreemptLowerPriority (default) or Never.',
    metadata: "The priority class's name, namespace (if any), labels and annotations.",
  },
};
