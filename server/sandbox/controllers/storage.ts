// Simulated dynamic provisioning: every pending PersistentVolumeClaim gets a volume `pvc-<uid>` of the size it asks
// for and is Bound, as with a local-path provisioner as default StorageClass.
import type { ClusterClient, KubeObject } from '../types.ts';
import type { EventRecorder } from './events.ts';
import type { Informer } from './runtime.ts';
import { REF, ReconcileQueue, keyOf } from './runtime.ts';
import { statusCode } from '../../errors.ts';
import type { Clock } from '../../clock.ts';
import { logger } from '../../log.ts';

/**
 * The provisioner's StorageClass, marked default as on the Vagrant cluster (local-path-provisioner): `kubectl get
 * storageclass` shows what claims without a class get, and a rehearsal's preflight finds it.
 */
export function installStorageClass(client: ClusterClient): void {
  try {
    if (client.tryGet(REF.storageclasses, undefined, 'local-path')) return;
    client.create(REF.storageclasses, undefined, {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: {
        name: 'local-path',
        annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
      },
      provisioner: 'rancher.io/local-path',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
    });
  } catch (error) {
    if (statusCode(error) === 409) return;
    // Claims are still provisioned without it: only the listing misses the class.
    logger.warn({ err: error }, 'could not install the storage class');
  }
}

interface ClaimSpec {
  accessModes?: string[];
  volumeName?: string;
  storageClassName?: string;
  resources?: { requests?: { storage?: string } };
}

export class VolumeBinder {
  private readonly queue: ReconcileQueue;

  constructor(
    private readonly client: ClusterClient,
    private readonly claims: Informer,
    private readonly recorder: EventRecorder,
    clock: Clock,
  ) {
    this.queue = new ReconcileQueue(clock, 'persistentvolume-binder', (key) => this.bind(key));
    claims.onChange((type, claim) => {
      const phase = (claim.status as { phase?: string } | undefined)?.phase;
      if (type !== 'DELETED' && phase !== 'Bound' && !claim.metadata.deletionTimestamp)
        this.queue.enqueue(keyOf(claim));
    });
  }

  stop(): void {
    this.queue.stop();
  }

  private bind(key: string): void {
    const slash = key.indexOf('/');
    const claim = this.claims.get(key.slice(0, slash), key.slice(slash + 1));
    if (!claim || (claim.status as { phase?: string } | undefined)?.phase === 'Bound') return;
    const spec = (claim.spec ?? {}) as ClaimSpec;
    const volumeName = spec.volumeName || `pvc-${claim.metadata.uid}`;
    const storage = spec.resources?.requests?.storage ?? '1Gi';
    this.createVolume(claim, volumeName, storage, spec);
    let bound: KubeObject = claim;
    if (!spec.volumeName) {
      bound = this.client.patch(
        REF.persistentvolumeclaims,
        claim.metadata.namespace,
        claim.metadata.name ?? '',
        'merge',
        {
          metadata: {
            annotations: {
              'pv.kubernetes.io/bind-completed': 'yes',
              'pv.kubernetes.io/bound-by-controller': 'yes',
              'volume.beta.kubernetes.io/storage-provisioner': 'rancher.io/local-path',
              'volume.kubernetes.io/storage-provisioner': 'rancher.io/local-path',
            },
          },
          // The local-path class is the default one: admission would have named it on the claim.
          spec: { volumeName, storageClassName: spec.storageClassName ?? 'local-path' },
        },
      );
    }
    this.client.update(
      REF.persistentvolumeclaims,
      claim.metadata.namespace,
      {
        ...bound,
        status: { phase: 'Bound', accessModes: spec.accessModes ?? ['ReadWriteOnce'], capacity: { storage } },
      },
      { subresource: 'status' },
    );
    this.recorder.record(
      claim,
      { component: 'persistentvolume-controller' },
      {
        type: 'Normal',
        reason: 'ProvisioningSucceeded',
        message: `Successfully provisioned volume ${volumeName}`,
      },
    );
  }

  /** The PersistentVolume behind the claim, when this sandbox serves PersistentVolumes. */
  private createVolume(claim: KubeObject, name: string, storage: string, spec: ClaimSpec): void {
    try {
      if (this.client.tryGet(REF.persistentvolumes, undefined, name)) return;
      const volume = this.client.create(REF.persistentvolumes, undefined, {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name, annotations: { 'pv.kubernetes.io/provisioned-by': 'rancher.io/local-path' } },
        spec: {
          accessModes: spec.accessModes ?? ['ReadWriteOnce'],
          capacity: { storage },
          claimRef: {
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            name: claim.metadata.name,
            namespace: claim.metadata.namespace,
            uid: claim.metadata.uid,
          },
          hostPath: {
            path: `/opt/local-path-provisioner/${name}_${claim.metadata.namespace}_${claim.metadata.name}`,
            type: 'DirectoryOrCreate',
          },
          persistentVolumeReclaimPolicy: 'Delete',
          storageClassName: spec.storageClassName ?? 'local-path',
          volumeMode: 'Filesystem',
        },
      });
      // Provisioned for this claim alone, the volume is bound from the start (status is never taken on create).
      this.client.update(
        REF.persistentvolumes,
        undefined,
        { ...volume, status: { phase: 'Bound' } },
        { subresource: 'status' },
      );
    } catch (error) {
      // 404: PersistentVolumes are not served here; the claim is bound all the same.
      const code = statusCode(error);
      if (code !== 404 && code !== 409) throw error;
    }
  }
}

/** `namespace/claim` for each PersistentVolumeClaim a pod's volumes name. */
export function podClaimKeys(pod: KubeObject): string[] {
  const volumes = (pod.spec as { volumes?: { persistentVolumeClaim?: { claimName?: string } }[] } | undefined)
    ?.volumes;
  const namespace = pod.metadata.namespace ?? 'default';
  return (volumes ?? []).flatMap((v) =>
    v.persistentVolumeClaim?.claimName ? [`${namespace}/${v.persistentVolumeClaim.claimName}`] : [],
  );
}

/** Looks a claim up by `namespace/claim`. */
export type ClaimLookup = (key: string) => KubeObject | undefined;

export function claimLookup(client: ClusterClient): ClaimLookup {
  return (key) => {
    const slash = key.indexOf('/');
    return client.tryGet(REF.persistentvolumeclaims, key.slice(0, slash), key.slice(slash + 1));
  };
}

const accessModesOf = (claim: KubeObject | undefined) =>
  (claim?.spec as ClaimSpec | undefined)?.accessModes ?? [];

/** A pod that still holds its volumes: not finished. */
const holdsVolumes = (pod: KubeObject) =>
  !/^(Succeeded|Failed)$/.test((pod.status as { phase?: string } | undefined)?.phase ?? '');

/** Which of two pods came first (the attach-detach controller attached its volumes first). */
const earlier = (a: KubeObject, b: KubeObject) =>
  (a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ||
  ((a.metadata.creationTimestamp ?? '') === (b.metadata.creationTimestamp ?? '') &&
    (a.metadata.name ?? '') < (b.metadata.name ?? ''));

/**
 * The attach-detach controller's Multi-Attach error, when one of the pod's ReadWriteOnce claims is already attached
 * to another node for an earlier pod: a block device attaches to one node at a time, so the pod waits in
 * ContainerCreating until that pod is gone.
 */
export function multiAttachError(
  pod: KubeObject,
  pods: Iterable<KubeObject>,
  claimOf: ClaimLookup,
): string | undefined {
  const claims = podClaimKeys(pod);
  const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
  if (!claims.length || !nodeName) return undefined;
  const others = [...pods].filter(
    (other) =>
      other.metadata.uid !== pod.metadata.uid &&
      holdsVolumes(other) &&
      (other.spec as { nodeName?: string } | undefined)?.nodeName !== undefined &&
      (other.spec as { nodeName?: string }).nodeName !== nodeName &&
      earlier(other, pod),
  );
  for (const key of claims) {
    const claim = claimOf(key);
    const modes = accessModesOf(claim);
    if (!modes.some((m) => m === 'ReadWriteOnce' || m === 'ReadWriteOncePod')) continue;
    if (modes.some((m) => m === 'ReadWriteMany' || m === 'ReadOnlyMany')) continue;
    const users = others
      .filter((other) => podClaimKeys(other).includes(key))
      .map((o) => o.metadata.name ?? '');
    if (!users.length) continue;
    const volume = (claim?.spec as ClaimSpec | undefined)?.volumeName ?? key.slice(key.indexOf('/') + 1);
    return `Multi-Attach error for volume "${volume}" Volume is already used by pod(s) ${users.sort().join(', ')}`;
  }
  return undefined;
}

/** The pod's claims with the ReadWriteOncePod access mode: no other pod may use them at the same time. */
export function readWriteOncePodClaims(pod: KubeObject, claimOf: ClaimLookup): string[] {
  return podClaimKeys(pod).filter((key) => accessModesOf(claimOf(key)).includes('ReadWriteOncePod'));
}
