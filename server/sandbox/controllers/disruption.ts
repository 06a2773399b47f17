// The disruption controller: each PodDisruptionBudget's status (healthy pods, desired healthy, disruptions
// allowed), which the eviction API consults so `kubectl drain` respects budgets.
import type { ClusterClient, KubeObject } from '../types.ts';
import type { Informer } from './runtime.ts';
import { REF, ReconcileQueue, keyOf } from './runtime.ts';
import { writeStatusIfChanged } from './pod-owner.ts';
import {
  labelSelectorFromSpec,
  matchesLabelSelector,
  type LabelSelectorSpec,
} from '../query/label-selector.ts';
import { isPodActive, isPodReady } from './workloads.ts';
import type { Clock } from '../../clock.ts';
import { kubeTime } from '../time.ts';

interface BudgetSpec {
  selector?: LabelSelectorSpec;
  minAvailable?: number | string;
  maxUnavailable?: number | string;
}

function resolve(value: number | string, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  if (/^\d+$/.test(value)) return Number(value);
  const exact = (Number(value.replace('%', '')) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** Pure: a budget's status from the pods it covers. */
export function budgetStatus(pdb: KubeObject, pods: KubeObject[], now: string): Record<string, unknown> {
  const spec = (pdb.spec ?? {}) as BudgetSpec;
  const selector = labelSelectorFromSpec(spec.selector);
  const covered = pods.filter((p) => isPodActive(p) && matchesLabelSelector(selector, p.metadata.labels));
  const expected = covered.length;
  const healthy = covered.filter(isPodReady).length;
  let desired = 0;
  if (spec.minAvailable !== undefined) desired = resolve(spec.minAvailable, expected, true);
  else if (spec.maxUnavailable !== undefined)
    desired = expected - resolve(spec.maxUnavailable, expected, true);
  const allowed = Math.max(0, healthy - desired);
  const previous = ((pdb.status ?? {}) as { conditions?: { status: string; lastTransitionTime?: string }[] })
    .conditions?.[0];
  const status = allowed > 0 ? 'True' : 'False';
  return {
    observedGeneration: pdb.metadata.generation ?? 0,
    currentHealthy: healthy,
    desiredHealthy: desired,
    disruptionsAllowed: allowed,
    expectedPods: expected,
    conditions: [
      {
        type: 'DisruptionAllowed',
        status,
        reason: allowed > 0 ? 'SufficientPods' : 'InsufficientPods',
        message: '',
        observedGeneration: pdb.metadata.generation ?? 0,
        lastTransitionTime: previous?.status === status ? (previous.lastTransitionTime ?? now) : now,
      },
    ],
  };
}

export class DisruptionController {
  private readonly queue: ReconcileQueue;

  constructor(
    private readonly client: ClusterClient,
    private readonly budgets: Informer,
    private readonly pods: Informer,
    private readonly clock: Clock,
  ) {
    this.queue = new ReconcileQueue(clock, 'disruption', (key) => this.reconcile(key));
    budgets.onChange((type, pdb) => {
      if (type !== 'DELETED') this.queue.enqueue(keyOf(pdb));
    });
    pods.onChange((_type, pod, previous) => {
      for (const pdb of this.budgets.byIndex('namespace', pod.metadata.namespace ?? '')) {
        const selector = labelSelectorFromSpec(((pdb.spec ?? {}) as BudgetSpec).selector);
        if (
          matchesLabelSelector(selector, pod.metadata.labels) ||
          (previous && matchesLabelSelector(selector, previous.metadata.labels))
        ) {
          this.queue.enqueue(keyOf(pdb));
        }
      }
    });
  }

  stop(): void {
    this.queue.stop();
  }

  private reconcile(key: string): void {
    const slash = key.indexOf('/');
    const pdb = this.budgets.get(key.slice(0, slash), key.slice(slash + 1));
    if (!pdb) return;
    const pods = this.pods.byIndex('namespace', pdb.metadata.namespace ?? '');
    const now = kubeTime(this.clock.now());
    writeStatusIfChanged(this.client, REF.poddisruptionbudgets, pdb, budgetStatus(pdb, pods, now));
  }
}
