// Patches sent to a converted version apply to that version's view of the object, as the apiserver patches the
// object decoded in the request's version; the result is converted back and stored.
import { applyJsonPatch } from '../patch/json-patch.ts';
import { applyMergePatch } from '../patch/merge-patch.ts';
import { applyServerSidePatch } from '../patch/server-side-apply.ts';
import { applyStrategicMergePatch } from '../patch/strategic-merge.ts';
import type { ClusterClient, KubeObject, PatchType, ResourceRef, WriteOptions } from '../types.ts';
import type { VersionConverter } from './index.ts';

export interface ViewPatch {
  ref: ResourceRef;
  namespace: string | undefined;
  name: string;
  type: PatchType;
  patch: unknown;
  options: WriteOptions;
  /** The request's time, for managedFields of a server-side apply. */
  now: number;
}

/** Applies the patch to the converted view and stores the result; answers in the converted version. */
export function patchView(
  client: ClusterClient,
  converter: VersionConverter,
  request: ViewPatch,
): KubeObject {
  const { ref, namespace, name, type, patch, options } = request;
  if (type === 'apply') {
    const current = client.tryGet(ref, namespace, name);
    const document = patch as KubeObject;
    const merged = applyServerSidePatch(
      current && converter.toServed(current),
      { ...document, metadata: { ...document.metadata, name } },
      {
        manager: options.fieldManager ?? 'kubectl',
        force: options.force ?? false,
        now: new Date(request.now).toISOString(),
      },
    );
    const next = converter.toStored({
      ...merged,
      metadata: { ...merged.metadata, resourceVersion: undefined },
    });
    return converter.toServed(
      current ? client.update(ref, namespace, next, options) : client.create(ref, namespace, next, options),
    );
  }
  const view = converter.toServed(client.get(ref, namespace, name));
  const start = { ...view, metadata: { ...view.metadata, resourceVersion: undefined } };
  const patched = (
    type === 'json'
      ? applyJsonPatch(start, patch)
      : type === 'merge'
        ? applyMergePatch(start, patch)
        : applyStrategicMergePatch(start, patch)
  ) as KubeObject;
  // A patch that names a resourceVersion asks for optimistic concurrency; otherwise it applies to the latest.
  const resourceVersion = patched.metadata?.resourceVersion ?? view.metadata.resourceVersion;
  const next = converter.toStored({ ...patched, metadata: { ...patched.metadata, resourceVersion } });
  return converter.toServed(client.update(ref, namespace, next, options));
}
