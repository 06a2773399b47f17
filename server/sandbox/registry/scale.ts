// The scale subresource: an autoscaling/v1 Scale view of a workload's replicas.
import { formatLabelSelector, labelSelectorFromSpec, selectorFromMap } from '../query/label-selector.ts';
import type { LabelSelectorSpec } from '../query/label-selector.ts';
import type { KubeObject } from '../types.ts';

interface Replicated {
  replicas?: number;
  selector?: unknown;
}

/** The autoscaling/v1 Scale view of a workload; its status.selector is the selector's canonical text. */
export function toScale(object: KubeObject): KubeObject {
  const spec = (object.spec ?? {}) as Replicated;
  const status = (object.status ?? {}) as { replicas?: number };
  const selector =
    object.kind === 'ReplicationController'
      ? selectorFromMap(spec.selector as Record<string, string>)
      : labelSelectorFromSpec(spec.selector as LabelSelectorSpec);
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: {
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      uid: object.metadata.uid,
      resourceVersion: object.metadata.resourceVersion,
      creationTimestamp: object.metadata.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector: formatLabelSelector(selector) },
  };
}

/** The workload as it would be with the Scale's replicas (and its resourceVersion, for conflicts). */
export function fromScale(current: KubeObject, scale: KubeObject): KubeObject {
  const replicas = (scale.spec as { replicas?: number } | undefined)?.replicas ?? 0;
  return {
    ...current,
    metadata: { ...current.metadata, resourceVersion: scale.metadata?.resourceVersion ?? undefined },
    spec: { ...(current.spec as object), replicas },
  };
}
