// The pod's volumes as the kubelet mounts them into a container: ConfigMap, Secret, downward API and projected
// files built from the objects as they are now; emptyDir shared by the pod's containers and gone with the pod;
// a claim's data kept by its PersistentVolume (or by the claim while unbound), and hostPath kept by the node, so
// both outlive the pod that wrote them.
import type { ClusterClient, KubeObject } from '../types.ts';
import { REF } from '../controllers/runtime.ts';
import { type DirNode, type FsNode, type Mount, dir, file, normalizePath, placeNode } from './filesystem.ts';
import { fieldValue } from './downward.ts';

interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}
interface DownwardItem {
  path: string;
  fieldRef?: { fieldPath: string };
  resourceFieldRef?: { containerName?: string; resource: string };
}
interface ProjectionSource {
  configMap?: { name: string; items?: KeyToPath[]; optional?: boolean };
  secret?: { name: string; items?: KeyToPath[]; optional?: boolean };
  downwardAPI?: { items?: DownwardItem[] };
  serviceAccountToken?: { path: string };
}
export interface Volume {
  name: string;
  emptyDir?: object;
  configMap?: { name: string; items?: KeyToPath[]; optional?: boolean };
  secret?: { secretName: string; items?: KeyToPath[]; optional?: boolean };
  downwardAPI?: { items?: DownwardItem[] };
  projected?: { sources?: ProjectionSource[] };
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  hostPath?: { path: string };
}
export interface VolumeMount {
  name: string;
  mountPath: string;
  subPath?: string;
  readOnly?: boolean;
}

/** Directories that outlive pods: per pod (emptyDir), per PersistentVolume or claim, per node path. */
export class VolumeData {
  private readonly dirs = new Map<string, DirNode>();

  constructor(private readonly now: () => number) {}

  dirFor(key: string): DirNode {
    let found = this.dirs.get(key);
    if (!found) {
      found = dir(this.now(), 0o777);
      this.dirs.set(key, found);
    }
    return found;
  }

  /** A pod's emptyDirs go with it. */
  forgetPod(uid: string): void {
    for (const key of this.dirs.keys()) if (key.startsWith(`emptyDir/${uid}/`)) this.dirs.delete(key);
  }
}

const decode = (value: string) => Buffer.from(value, 'base64');

/** The files of a ConfigMap or Secret volume: every key, or only the listed items at their paths. */
function keyFiles(
  entries: Record<string, Buffer>,
  items: KeyToPath[] | undefined,
  now: number,
  into: DirNode = dir(now),
): DirNode {
  const chosen: KeyToPath[] = items ?? Object.keys(entries).map((key) => ({ key, path: key }));
  for (const item of chosen) {
    const data = entries[item.key];
    if (data) placeNode(into, item.path, file(data, now, item.mode ?? 0o644), now);
  }
  return into;
}

function configMapEntries(client: ClusterClient, namespace: string, name: string): Record<string, Buffer> {
  const cm = client.tryGet(REF.configmaps, namespace, name);
  const entries: Record<string, Buffer> = {};
  for (const [key, value] of Object.entries((cm?.data ?? {}) as Record<string, string>))
    entries[key] = Buffer.from(value);
  for (const [key, value] of Object.entries((cm?.binaryData ?? {}) as Record<string, string>))
    entries[key] = decode(value);
  return entries;
}

function secretEntries(client: ClusterClient, namespace: string, name: string): Record<string, Buffer> {
  const secret = client.tryGet({ group: '', resource: 'secrets' }, namespace, name);
  const entries: Record<string, Buffer> = {};
  for (const [key, value] of Object.entries((secret?.data ?? {}) as Record<string, string>))
    entries[key] = decode(value);
  for (const [key, value] of Object.entries((secret?.stringData ?? {}) as Record<string, string>))
    entries[key] = Buffer.from(value);
  return entries;
}

function downwardFiles(pod: KubeObject, items: DownwardItem[], now: number, into = dir(now)): DirNode {
  for (const item of items) {
    const value = item.fieldRef ? fieldValue(pod, item.fieldRef.fieldPath) : '';
    placeNode(into, item.path, file(value, now), now);
  }
  return into;
}

/** The current namespace, CA and a token, as every pod gets them unless it opts out. */
export function serviceAccountFiles(pod: KubeObject, now: number): DirNode {
  const root = dir(now);
  placeNode(root, 'namespace', file(pod.metadata.namespace ?? 'default', now), now);
  placeNode(root, 'token', file(`kubewars-sandbox-token.${pod.metadata.uid ?? ''}`, now), now);
  placeNode(root, 'ca.crt', file(SERVICE_ACCOUNT_CA, now), now);
  return root;
}

/** The sandbox's CA is in the kubeconfig; inside a pod a client only needs the file to exist. */
const SERVICE_ACCOUNT_CA =
  '-----BEGIN CERTIFICATE-----\n(the sandbox cluster CA: see the kubeconfig)\n-----END CERTIFICATE-----\n';

export interface VolumeContext {
  client: ClusterClient;
  data: VolumeData;
  pod: KubeObject;
  now: () => number;
}

/** The tree a volume shows, or undefined for a kind the sandbox does not simulate. */
function volumeRoot(
  volume: Volume,
  context: VolumeContext,
): { root: () => FsNode; readOnly: boolean } | undefined {
  const { client, data, pod, now } = context;
  const namespace = pod.metadata.namespace ?? 'default';
  if (volume.emptyDir) {
    const kept = data.dirFor(`emptyDir/${pod.metadata.uid}/${volume.name}`);
    return { root: () => kept, readOnly: false };
  }
  if (volume.configMap) {
    const { name, items } = volume.configMap;
    return { root: () => keyFiles(configMapEntries(client, namespace, name), items, now()), readOnly: true };
  }
  if (volume.secret) {
    const { secretName, items } = volume.secret;
    return {
      root: () => keyFiles(secretEntries(client, namespace, secretName), items, now()),
      readOnly: true,
    };
  }
  if (volume.downwardAPI) {
    const items = volume.downwardAPI.items ?? [];
    return { root: () => downwardFiles(pod, items, now()), readOnly: true };
  }
  if (volume.projected) {
    const sources = volume.projected.sources ?? [];
    return {
      root: () => {
        const root = dir(now());
        for (const source of sources) {
          if (source.configMap)
            keyFiles(
              configMapEntries(client, namespace, source.configMap.name),
              source.configMap.items,
              now(),
              root,
            );
          if (source.secret)
            keyFiles(secretEntries(client, namespace, source.secret.name), source.secret.items, now(), root);
          if (source.downwardAPI) downwardFiles(pod, source.downwardAPI.items ?? [], now(), root);
          if (source.serviceAccountToken)
            placeNode(
              root,
              source.serviceAccountToken.path,
              file(`kubewars-sandbox-token.${pod.metadata.uid}`, now()),
              now(),
            );
        }
        return root;
      },
      readOnly: true,
    };
  }
  if (volume.persistentVolumeClaim) {
    const claim = client.tryGet(
      REF.persistentvolumeclaims,
      namespace,
      volume.persistentVolumeClaim.claimName,
    );
    const volumeName = (claim?.spec as { volumeName?: string } | undefined)?.volumeName;
    const key = volumeName
      ? `pv/${volumeName}`
      : `pvc/${namespace}/${volume.persistentVolumeClaim.claimName}`;
    const kept = data.dirFor(key);
    return { root: () => kept, readOnly: volume.persistentVolumeClaim.readOnly === true };
  }
  if (volume.hostPath) {
    const node = (pod.spec as { nodeName?: string }).nodeName ?? '';
    const kept = data.dirFor(`hostPath/${node}/${normalizePath(volume.hostPath.path)}`);
    return { root: () => kept, readOnly: false };
  }
  return undefined;
}

/** The mounts of one container, in the order its volumeMounts list them. */
export function containerMounts(
  volumeMounts: VolumeMount[],
  volumes: Volume[],
  context: VolumeContext,
): Mount[] {
  const mounts: Mount[] = [];
  for (const volumeMount of volumeMounts) {
    const volume = volumes.find((v) => v.name === volumeMount.name);
    const source = volume && volumeRoot(volume, context);
    if (!source) continue;
    const subPath = volumeMount.subPath;
    mounts.push({
      path: normalizePath(volumeMount.mountPath),
      readOnly: source.readOnly || volumeMount.readOnly === true,
      root: subPath
        ? () => {
            let node: FsNode | undefined = source.root();
            for (const part of subPath.split('/').filter(Boolean)) {
              if (node?.type !== 'dir') break;
              let next: FsNode | undefined = node.entries.get(part);
              // The kubelet creates a missing subPath directory in a writable volume.
              if (!next && !source.readOnly) {
                next = dir(context.now());
                node.entries.set(part, next);
              }
              node = next;
            }
            return node ?? dir(context.now());
          }
        : source.root,
    });
  }
  return mounts;
}
