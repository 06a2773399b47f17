// Deletion as a real apiserver does it: preconditions, graceful pod termination, finalizers, propagation
// policies, namespace termination; and the eviction API that honours PodDisruptionBudgets.
import { conflict, tooManyRequests } from '../errors.ts';
import { labelSelectorFromSpec, matchesLabelSelector } from '../query/label-selector.ts';
import type { LabelSelectorSpec } from '../query/label-selector.ts';
import type { DeleteOptions, KubeObject, ResourceRef } from '../types.ts';
import type { RegistryCore } from './index.ts';
import { kubeTime } from '../time.ts';

const PODS: ResourceRef = { group: '', resource: 'pods' };
const PDBS: ResourceRef = { group: 'policy', resource: 'poddisruptionbudgets' };
const propagationFinalizer = { Foreground: 'foregroundDeletion', Orphan: 'orphan' } as const;

function checkPreconditions(ref: ResourceRef, object: KubeObject, opts: DeleteOptions): void {
  const name = object.metadata.name ?? '';
  const { uid, resourceVersion } = opts.preconditions ?? {};
  if (uid && uid !== object.metadata.uid) {
    throw conflict(
      ref.resource,
      name,
      ref.group,
      `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${object.metadata.uid}`,
    );
  }
  if (resourceVersion && resourceVersion !== object.metadata.resourceVersion) {
    throw conflict(
      ref.resource,
      name,
      ref.group,
      `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${object.metadata.resourceVersion}`,
    );
  }
}

export function deleteObject(
  core: RegistryCore,
  ref: ResourceRef,
  namespace: string | undefined,
  name: string,
  opts: DeleteOptions,
): KubeObject {
  const info = core.info(ref);
  const object = core.live(ref, namespace, name);
  checkPreconditions(ref, object, opts);
  const meta = object.metadata;
  const now = core.clock.now();

  if (info.kind === 'Namespace') {
    if (meta.deletionTimestamp) return object;
    meta.deletionTimestamp = kubeTime(now);
    meta.deletionGracePeriodSeconds = 0;
    object.status = { ...(object.status as object), phase: 'Terminating' };
    const specFinalizers = (object.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [];
    if (specFinalizers.length === 0 && (meta.finalizers ?? []).length === 0)
      return core.remove(info, object, opts.dryRun);
    return core.commit(info, object, opts.dryRun);
  }

  const policy = opts.propagationPolicy;
  if (policy && policy !== 'Background' && !meta.deletionTimestamp) {
    meta.finalizers = [...new Set([...(meta.finalizers ?? []), propagationFinalizer[policy]])];
  }

  if (info.kind === 'Pod') {
    const spec = (object.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
    const terminal = ['Succeeded', 'Failed'].includes(
      (object.status as { phase?: string } | undefined)?.phase ?? '',
    );
    const grace =
      spec.nodeName && !terminal ? (opts.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30) : 0;
    const pending = meta.deletionGracePeriodSeconds;
    if (grace > 0 && (pending === undefined || grace < pending)) {
      meta.deletionTimestamp = kubeTime(now + grace * 1000);
      meta.deletionGracePeriodSeconds = grace;
      return core.commit(info, object, opts.dryRun);
    }
    if (grace > 0) return object;
    if ((meta.finalizers ?? []).length > 0) {
      meta.deletionTimestamp ??= kubeTime(now);
      meta.deletionGracePeriodSeconds = 0;
      return core.commit(info, object, opts.dryRun);
    }
    return core.remove(info, object, opts.dryRun);
  }

  if ((meta.finalizers ?? []).length > 0) {
    if (meta.deletionTimestamp && !policy) return object;
    meta.deletionTimestamp ??= kubeTime(now);
    meta.deletionGracePeriodSeconds = 0;
    return core.commit(info, object, opts.dryRun);
  }
  return core.remove(info, object, opts.dryRun);
}

export function evictPod(core: RegistryCore, namespace: string, name: string, opts: DeleteOptions): void {
  const pod = core.live(PODS, namespace, name);
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const budgets = core.store
    .list('policy/poddisruptionbudgets', namespace)
    .filter((pdb) =>
      matchesLabelSelector(
        labelSelectorFromSpec((pdb.spec as { selector?: LabelSelectorSpec } | undefined)?.selector),
        pod.metadata.labels ?? {},
      ),
    );
  if (!terminal && !pod.metadata.deletionTimestamp) {
    for (const pdb of budgets) {
      const allowed = (pdb.status as { disruptionsAllowed?: number } | undefined)?.disruptionsAllowed ?? 0;
      if (allowed <= 0) {
        throw tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", [
          {
            reason: 'DisruptionBudget',
            message: `The disruption budget ${pdb.metadata.name} needs ${
              (pdb.status as { desiredHealthy?: number } | undefined)?.desiredHealthy ?? 0
            } healthy pods and has ${(pdb.status as { currentHealthy?: number } | undefined)?.currentHealthy ?? 0} currently`,
          },
        ]);
      }
    }
    if (!opts.dryRun) {
      for (const pdb of budgets) {
        const status = (pdb.status ?? {}) as {
          disruptionsAllowed?: number;
          disruptedPods?: Record<string, string>;
        };
        const next = clonePdb(pdb, {
          ...status,
          disruptionsAllowed: (status.disruptionsAllowed ?? 0) - 1,
          disruptedPods: {
            ...status.disruptedPods,
            [name]: kubeTime(core.clock.now()),
          },
        });
        core.commit(core.info(PDBS), next, false);
      }
    }
  }
  deleteObject(core, PODS, namespace, name, opts);
}

const clonePdb = (pdb: KubeObject, status: object): KubeObject => ({ ...structuredClone(pdb), status });
