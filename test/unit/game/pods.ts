import type { V1Pod } from '@kubernetes/client-node';

export interface PodSpec {
  uid?: string;
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  phase?: string;
  ready?: boolean;
  containers?: ('running' | 'waiting' | 'terminated')[];
  owner?: { kind: string; name: string; uid: string };
  deleting?: boolean;
}

/** A pod as the API server would send it, with only what the game reads. */
export function pod(spec: PodSpec = {}): V1Pod {
  const containers = spec.containers ?? ['running'];
  return {
    metadata: {
      uid: spec.uid ?? 'uid-1',
      name: spec.name ?? 'ship-1',
      namespace: spec.namespace ?? 'default',
      labels: spec.labels ?? { game: 'starwars' },
      ...(spec.owner ? { ownerReferences: [{ apiVersion: 'v1', controller: true, ...spec.owner }] } : {}),
      ...(spec.deleting ? { deletionTimestamp: new Date(0) } : {}),
    },
    status: {
      phase: spec.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: spec.ready === false ? 'False' : 'True' }],
      containerStatuses: containers.map((state, i) => ({
        name: `c${i}`,
        image: 'nginx',
        imageID: '',
        ready: state === 'running',
        restartCount: 0,
        state:
          state === 'running'
            ? { running: {} }
            : state === 'waiting'
              ? { waiting: { reason: 'CrashLoopBackOff' } }
              : { terminated: { exitCode: 1 } },
      })),
    },
  };
}
