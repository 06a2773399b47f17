// A pod as the scheduler tests need one: its spec (containers by default) and, optionally, a ReplicaSet owner.
import type { KubeObject } from '../../../../server/sandbox/types.ts';

export function pod(name: string, spec: Record<string, unknown> = {}, owner?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: name,
      ...(owner
        ? {
            ownerReferences: [
              { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: owner, controller: true },
            ],
          }
        : {}),
    },
    spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec },
  };
}
