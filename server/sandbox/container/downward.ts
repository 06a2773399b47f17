// The downward API's fieldRef paths: what a pod may learn about itself through env or files.
import type { KubeObject } from '../types.ts';

/** The value of `fieldPath` (metadata.name, status.podIP, metadata.labels['app'], …); '' when unset. */
export function fieldValue(pod: KubeObject, fieldPath: string): string {
  const spec = (pod.spec ?? {}) as { nodeName?: string; serviceAccountName?: string };
  const status = (pod.status ?? {}) as { podIP?: string; hostIP?: string };
  const keyed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (keyed) return (pod.metadata[keyed[1] as 'labels' | 'annotations'] ?? {})[keyed[2] as string] ?? '';
  const mapText = (map: Record<string, string> | undefined) =>
    Object.entries(map ?? {})
      .map(([k, v]) => `${k}="${v}"`)
      .join('\n');
  switch (fieldPath) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'metadata.labels':
      return mapText(pod.metadata.labels);
    case 'metadata.annotations':
      return mapText(pod.metadata.annotations);
    case 'spec.nodeName':
      return spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return spec.serviceAccountName ?? 'default';
    case 'status.podIP':
    case 'status.podIPs':
      return status.podIP ?? '';
    case 'status.hostIP':
    case 'status.hostIPs':
      return status.hostIP ?? '';
    default:
      return '';
  }
}
