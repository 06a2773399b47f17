// The resource quota controller: keeps each ResourceQuota's status (hard as its spec says, used as its namespace's
// objects count now), which `kubectl describe quota` prints, recomputed whenever something in the namespace changes.
import { formatQuantity } from '../admission/quantities.ts';
import { namespaceUsage } from '../admission/quota-usage.ts';
import type { ClusterClient, KubeObject } from '../types.ts';
import type { Informer } from './runtime.ts';
import { ReconcileQueue } from './runtime.ts';
import type { Clock } from '../../clock.ts';

const QUOTAS = { group: '', resource: 'resourcequotas' };

/** The status a quota should show, given its namespace's usage of each resource it names. */
export function quotaStatus(quota: KubeObject, used: Record<string, number>) {
  const hard = ((quota.spec as { hard?: Record<string, unknown> } | undefined)?.hard ?? {}) as Record<
    string,
    string
  >;
  return {
    hard: { ...hard },
    used: Object.fromEntries(Object.keys(hard).map((name) => [name, formatQuantity(name, used[name] ?? 0)])),
  };
}

export class ResourceQuotaController {
  private readonly queue: ReconcileQueue;

  /** `quotas` must be indexed by namespace; `watched` are the caches of everything a quota may count. */
  constructor(
    private readonly client: ClusterClient,
    private readonly quotas: Informer,
    watched: Informer[],
    clock: Clock,
  ) {
    this.queue = new ReconcileQueue(clock, 'resourcequota', (namespace) => this.reconcile(namespace));
    quotas.onChange((type, quota) => {
      if (type !== 'DELETED') this.queue.enqueue(quota.metadata.namespace ?? '');
    });
    for (const informer of watched) {
      if (informer === quotas) continue;
      informer.onChange((_type, object) => {
        const namespace = object.metadata.namespace;
        if (namespace && quotas.byIndex('namespace', namespace).length) this.queue.enqueue(namespace);
      });
    }
  }

  stop(): void {
    this.queue.stop();
  }

  private reconcile(namespace: string): void {
    for (const quota of this.quotas.byIndex('namespace', namespace)) {
      const names = Object.keys((quota.spec as { hard?: object } | undefined)?.hard ?? {});
      const used = namespaceUsage(names, (ref) => this.client.list(ref, { namespace }).items);
      const status = quotaStatus(quota, used);
      if (JSON.stringify(status) === JSON.stringify(quota.status ?? {})) continue;
      this.client.update(QUOTAS, namespace, { ...quota, status }, { subresource: 'status' });
    }
  }
}
