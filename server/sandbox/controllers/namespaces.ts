// Namespace lifecycle: a namespace being deleted has its contents deleted, then its `kubernetes` finalizer removed
// (the registry then removes it). Every active namespace gets its `default` ServiceAccount and the
// `kube-root-ca.crt` ConfigMap.
import type { ClusterClient, KubeObject, ResourceRef } from '../types.ts';
import type { Informer } from './runtime.ts';
import { REF, ReconcileQueue } from './runtime.ts';
import { statusCode } from '../../errors.ts';
import { resources } from '../registry/resources.ts';
import type { Clock } from '../../clock.ts';

/** Emptied first, owners before what they own, so controllers do not re-create what is being removed. */
const FIRST: ResourceRef[] = [
  REF.deployments,
  REF.statefulsets,
  REF.daemonsets,
  REF.jobs,
  REF.cronjobs,
  REF.replicasets,
  REF.replicationcontrollers,
  REF.pods,
];

/**
 * Every namespaced resource served that can be deleted (as the real controller discovers them, so none is left
 * behind: ControllerRevisions, Secrets, Roles …), the workloads first and events last, as things report their own
 * deletion.
 */
const NAMESPACED: ResourceRef[] = [
  ...FIRST,
  ...resources
    .filter((info) => info.namespaced && info.verbs.includes('delete') && info.resource !== 'events')
    .map(({ group, resource }) => ({ group, resource }))
    .filter(
      (ref, index, all) =>
        !FIRST.some((first) => first.group === ref.group && first.resource === ref.resource) &&
        all.findIndex((other) => other.group === ref.group && other.resource === ref.resource) === index,
    ),
  REF.events,
];

/** While a namespace empties, look again this often (only then: an idle cluster has no such timer). */
const TERMINATING_RECHECK_MS = 250;

export class NamespaceController {
  private readonly queue: ReconcileQueue;

  constructor(
    private readonly client: ClusterClient,
    private readonly namespaces: Informer,
    private readonly rootCertificate: string,
    clock: Clock,
    serviceAccounts?: Informer,
  ) {
    this.queue = new ReconcileQueue(clock, 'namespaces', (name) => this.reconcile(name));
    namespaces.onChange((type, namespace) => {
      if (type !== 'DELETED') this.queue.enqueue(namespace.metadata.name ?? '');
    });
    // A deleted `default` ServiceAccount comes back, as the serviceaccounts controller recreates it.
    serviceAccounts?.onChange((type, account) => {
      if (type === 'DELETED' && account.metadata.name === 'default')
        this.queue.enqueue(account.metadata.namespace ?? '');
    });
  }

  stop(): void {
    this.queue.stop();
  }

  private reconcile(name: string): void {
    const namespace = this.namespaces.get(undefined, name);
    if (!namespace) return;
    if (!namespace.metadata.deletionTimestamp) {
      this.ensureDefaults(name);
      return;
    }
    let remaining = 0;
    for (const ref of NAMESPACED) {
      let items: KubeObject[];
      try {
        items = this.client.list(ref, { namespace: name }).items;
      } catch (error) {
        if (statusCode(error) === 404) continue; // a resource this sandbox does not serve
        throw error;
      }
      remaining += items.length;
      for (const item of items) {
        if (item.metadata.deletionTimestamp) continue;
        try {
          this.client.delete(ref, name, item.metadata.name ?? '', { propagationPolicy: 'Background' });
        } catch (error) {
          if (statusCode(error) !== 404) throw error;
        }
      }
    }
    if (remaining > 0) {
      this.queue.enqueueAfter(name, TERMINATING_RECHECK_MS);
      return;
    }
    const spec = (namespace.spec ?? {}) as { finalizers?: string[] };
    if (!(spec.finalizers ?? []).includes('kubernetes')) return;
    const current = this.client.get(REF.namespaces, undefined, name);
    const currentSpec = (current.spec ?? {}) as { finalizers?: string[] };
    this.client.update(REF.namespaces, undefined, {
      ...current,
      spec: { ...currentSpec, finalizers: (currentSpec.finalizers ?? []).filter((f) => f !== 'kubernetes') },
    });
  }

  private ensureDefaults(namespace: string): void {
    this.createIfMissing(REF.serviceaccounts, namespace, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace },
    });
    this.createIfMissing(REF.configmaps, namespace, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'kube-root-ca.crt',
        namespace,
        annotations: {
          'kubernetes.io/description':
            'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
        },
      },
      data: { 'ca.crt': this.rootCertificate },
    });
  }

  private createIfMissing(ref: ResourceRef, namespace: string, object: KubeObject): void {
    if (this.client.tryGet(ref, namespace, object.metadata.name ?? '')) return;
    try {
      this.client.create(ref, namespace, object);
    } catch (error) {
      const code = statusCode(error);
      if (code !== 409 && code !== 403 && code !== 404) throw error;
    }
  }
}
