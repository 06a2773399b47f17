// ClusterRole aggregation, as kube-controller-manager's clusterrole-aggregation controller: a ClusterRole with an
// aggregationRule gets, as its rules, those of every ClusterRole its selectors match (admin ⊇ edit ⊇ view).
import type { ClusterClient, KubeObject } from '../types.ts';
import type { PolicyRule } from '../auth/rbac.ts';
import { labelSelectorFromSpec, matchesLabelSelector } from '../query/label-selector.ts';
import type { LabelSelectorSpec } from '../query/label-selector.ts';
import type { Informer } from './runtime.ts';
import { ReconcileQueue } from './runtime.ts';
import type { Clock } from '../../clock.ts';

const CLUSTER_ROLES = { group: 'rbac.authorization.k8s.io', resource: 'clusterroles' };

interface AggregationRule {
  clusterRoleSelectors?: LabelSelectorSpec[];
}

/** The rules an aggregated role should hold: its sources' rules in name order, each rule once. */
export function aggregatedRules(role: KubeObject, all: KubeObject[]): PolicyRule[] {
  const selectors = ((role.aggregationRule as AggregationRule | undefined)?.clusterRoleSelectors ?? []).map(
    labelSelectorFromSpec,
  );
  const rules: PolicyRule[] = [];
  const seen = new Set<string>();
  const sources = all
    .filter((other) => other.metadata.name !== role.metadata.name)
    .filter((other) => selectors.some((selector) => matchesLabelSelector(selector, other.metadata.labels)))
    .sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
  for (const source of sources) {
    for (const rule of (source.rules ?? []) as PolicyRule[]) {
      const key = JSON.stringify(rule);
      if (seen.has(key)) continue;
      seen.add(key);
      rules.push(rule);
    }
  }
  return rules;
}

export class ClusterRoleAggregationController {
  private readonly queue: ReconcileQueue;

  constructor(
    private readonly client: ClusterClient,
    private readonly roles: Informer,
    clock: Clock,
  ) {
    this.queue = new ReconcileQueue(clock, 'clusterrole-aggregation', (name) => this.reconcile(name));
    // Any role may be a source of any aggregated one: look at every aggregated role again.
    roles.onChange(() => {
      for (const role of roles.objects.values())
        if (role.aggregationRule) this.queue.enqueue(role.metadata.name ?? '');
    });
  }

  stop(): void {
    this.queue.stop();
  }

  private reconcile(name: string): void {
    const role = this.roles.get(undefined, name);
    if (!role?.aggregationRule) return;
    const rules = aggregatedRules(role, [...this.roles.objects.values()]);
    if (JSON.stringify(rules) === JSON.stringify(role.rules ?? [])) return;
    this.client.patch(CLUSTER_ROLES, undefined, name, 'merge', { rules });
  }
}
