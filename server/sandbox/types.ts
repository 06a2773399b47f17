// The contract between the sandbox's API machinery (store, registry, HTTP) and its controllers.
// Controllers are clients of the same registry the HTTP layer uses: no back doors a real cluster lacks.

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  managedFields?: unknown[];
  [key: string]: unknown;
}

/** Any Kubernetes object as stored: JSON, apiVersion/kind always set. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** A served resource, e.g. {group: 'apps', resource: 'deployments'}; group '' is the core group. */
export interface ResourceRef {
  group: string;
  resource: string;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  /** Strict | Warn | Ignore, as the fieldValidation query parameter. */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  /** Write to a subresource: 'status' (only .status changes) or 'scale'. */
  subresource?: 'status' | 'scale';
  /** Server-side apply: take ownership of conflicting fields. */
  force?: boolean;
  /** The requester's admission check (RBAC's escalation check): sees the object about to be stored, throws to refuse. */
  admit?: (object: KubeObject) => void;
}

export interface DeleteOptions {
  dryRun?: boolean;
  propagationPolicy?: PropagationPolicy;
  /** 0 deletes a pod at once; otherwise a pod bound to a node gets deletionTimestamp and waits for its kubelet. */
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface ListOptions {
  /** Omit (or '') for all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface WatchOptions extends ListOptions {
  /**
   * Resume after this resourceVersion. Omitted or '0': ADDED events for the current matching objects first, then
   * changes — as a real apiserver answers a watch without a resourceVersion.
   */
  resourceVersion?: string;
  /** Send the current matching objects as ADDED first (watch-list). */
  sendInitialEvents?: boolean;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

/** A Kubernetes Status error: thrown by every registry call that a real apiserver would refuse. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: { reason?: string; message?: string; field?: string }[];
  retryAfterSeconds?: number;
}

/**
 * The in-process API of the sandbox: the same semantics as its REST API (defaulting, validation, resourceVersion
 * conflicts, finalizers, graceful pod deletion, watch), synchronous so controllers stay simple.
 * Errors are thrown as `ApiError` (server/sandbox/errors.ts) carrying a Status.
 */
export interface ClusterClient {
  get(ref: ResourceRef, namespace: string | undefined, name: string): KubeObject;
  /** Like get but returns undefined instead of throwing NotFound. */
  tryGet(ref: ResourceRef, namespace: string | undefined, name: string): KubeObject | undefined;
  list(ref: ResourceRef, options?: ListOptions): { items: KubeObject[]; resourceVersion: string };
  create(
    ref: ResourceRef,
    namespace: string | undefined,
    object: KubeObject,
    options?: WriteOptions,
  ): KubeObject;
  /** PUT semantics: metadata.resourceVersion, when set, must match or a 409 Conflict is thrown. */
  update(
    ref: ResourceRef,
    namespace: string | undefined,
    object: KubeObject,
    options?: WriteOptions,
  ): KubeObject;
  patch(
    ref: ResourceRef,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    options?: WriteOptions,
  ): KubeObject;
  /** Returns the object as it stands after the call (with deletionTimestamp when deletion is pending). */
  delete(ref: ResourceRef, namespace: string | undefined, name: string, options?: DeleteOptions): KubeObject;
  /** Events are delivered asynchronously (never inside the writer's call), in resourceVersion order. */
  watch(ref: ResourceRef, options: WatchOptions, onEvent: (event: WatchEvent) => void): () => void;
}

/** One served resource, as discovery lists it (server/sandbox/registry/resources.ts holds the table). */
export interface ResourceInfo {
  group: string;
  version: string;
  /** Plural, lower case: 'pods', 'deployments'. */
  resource: string;
  kind: string;
  singularName: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: ('status' | 'scale' | 'log' | 'eviction' | 'binding' | 'token')[];
}

/** The registry the HTTP layer and the controllers share, plus what persistence needs. */
export interface SandboxRegistry extends ClusterClient {
  /**
   * As list, but the stored objects themselves, not copies, in key order: for answers encoded without copying.
   * Shared with every reader: never change them.
   */
  listShared(
    ref: ResourceRef,
    options?: ListOptions,
  ): { items: readonly KubeObject[]; resourceVersion: string };
  /** As get, the stored object itself (shared with every reader: never change it). */
  getShared(ref: ResourceRef, namespace: string | undefined, name: string): KubeObject;
  /** The newest resourceVersion committed (the list resourceVersion). */
  currentResourceVersion(): string;
  /** Everything stored, for --state snapshots. */
  snapshot(): { resourceVersion: number; objects: KubeObject[] };
  /**
   * The eviction API: deletes the pod unless a PodDisruptionBudget forbids it (then throws 429 TooManyRequests).
   */
  evict(namespace: string, name: string, options?: DeleteOptions): void;
  /** Loads a snapshot into an empty registry (resourceVersions keep increasing from it). */
  restore(state: { resourceVersion: number; objects: KubeObject[] }): void;
}
