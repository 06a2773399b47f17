// What `kubectl explain` says of the types of policy/v1 (see ../descriptions.ts).
import { metadata, type Texts } from './common.ts';
export const policy: Texts = {
  'policy.v1.Eviction': {
    '': 'Asks to evict a pod, respecting its PodDisruptionBudgets (kubectl drain uses it).',
    metadata: "The pod's name and namespace.",
    deleteOptions: 'Options for deleting the pod, e.g. a grace period.',
  },
  'policy.v1.PodDisruptionBudget': {
    '': 'A PodDisruptionBudget limits how many pods of an application voluntary disruptions (drain, eviction) may take down at once.',
    spec: 'Which pods, and how many must stay up.',
    status: 'How many disruptions are allowed now.',
    metadata: metadata('budget'),
  },
  'policy.v1.PodDisruptionBudgetSpec': {
    '': 'How many of the selected pods must stay up during voluntary disruptions (drain, eviction).',
    minAvailable: 'Pods (a number or a percentage) that must stay available.',
    selector: 'The pods the budget protects.',
    maxUnavailable: 'Pods (a number or a percentage) that may be unavailable; use this or minAvailable.',
    unhealthyPodEvictionPolicy:
      'IfHealthyBudget (default) or AlwaysAllow: may pods that are not ready be evicted.',
  },
  'policy.v1.PodDisruptionBudgetStatus': {
    '': 'How many disruptions the budget allows now; read-only.',
    observedGeneration: 'The metadata.generation last acted on.',
    disruptedPods: 'Pods being evicted that the controller has not seen go yet, with the time of eviction.',
    disruptionsAllowed: 'Evictions allowed right now.',
    currentHealthy: 'Selected pods that are healthy.',
    desiredHealthy: 'Healthy pods the budget requires.',
    expectedPods: 'Pods the budget counts.',
    conditions: 'DisruptionAllowed and why.',
  },
};
