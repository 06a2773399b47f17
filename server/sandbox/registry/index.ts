// The sandbox's in-process Kubernetes API: defaulting, validation, optimistic concurrency, subresources,
// finalizers and watches over one object store. The HTTP layer and the controllers both call it.
import {
  alreadyExists,
  ApiError,
  conflict,
  forbidden,
  invalid,
  notFound,
  unsupportedMediaType,
} from '../errors.ts';
import { applyJsonPatch } from '../patch/json-patch.ts';
import { applyMergePatch } from '../patch/merge-patch.ts';
import { admitLimitRanges } from '../admission/limit-ranges.ts';
import { admitQuotas } from '../admission/resource-quotas.ts';
import { applyServerSidePatch } from '../patch/server-side-apply.ts';
import { applyStrategicMergePatch } from '../patch/strategic-merge.ts';
import { ObjectStore } from '../store/object-store.ts';
import type {
  DeleteOptions,
  KubeObject,
  ListOptions,
  ResourceInfo,
  ResourceRef,
  SandboxRegistry,
  WatchEvent,
  WatchOptions,
  WriteOptions,
} from '../types.ts';
import { cloneJson } from './clone.ts';
import { admitDefaultIngressClass, admitDefaultTolerations, applyDefaults } from './defaults.ts';
import { podQosClass } from '../pod/qos.ts';
import { deleteObject, evictPod } from './deletion.ts';
import { admitWithinLimits, type ClusterLimits } from './limits.ts';
import { apiVersionOf, findByKind, findResource } from './resources.ts';
import { fromScale, toScale } from './scale.ts';
import { allocateServiceAddresses } from './service-ips.ts';
import { immutableCauses, nameCauses, validate } from './validation.ts';
import { objectFilter, startWatch } from './watch.ts';
import type { Clock } from '../../clock.ts';
import type { RandomSource } from '../../random.ts';
import { kubeTime } from '../time.ts';

export interface RegistryOptions {
  clock: Clock;
  random: RandomSource;
  /** A room's attendee cluster: creates beyond these are refused (403), as over a ResourceQuota. */
  limits?: ClusterLimits;
  /** Writes kept for watches to resume from (default: the store's); older resourceVersions get 410 Gone. */
  watchHistory?: number;
}

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
const NAMESPACES: ResourceRef = { group: '', resource: 'namespaces' };

export const resourceKey = (ref: ResourceRef) => `${ref.group}/${ref.resource}`;
const clone = cloneJson;
const withoutVolatile = (o: KubeObject) =>
  JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: undefined, managedFields: undefined } });

export function uuid(random: RandomSource): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Math.floor(random() * 4) & 3) | 8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** Everything the write paths share; deletion.ts works through it too. */
export interface RegistryCore {
  store: ObjectStore;
  clock: Clock;
  info(ref: ResourceRef): ResourceInfo;
  live(ref: ResourceRef, namespace: string | undefined, name: string): KubeObject;
  commit(info: ResourceInfo, object: KubeObject, dryRun: boolean | undefined): KubeObject;
  remove(info: ResourceInfo, object: KubeObject, dryRun: boolean | undefined): KubeObject;
}

export function createRegistry(options: RegistryOptions): SandboxRegistry {
  const { clock, random } = options;
  const store = new ObjectStore(options.watchHistory);

  const info = (ref: ResourceRef): ResourceInfo => {
    const found = findResource(ref.group, ref.resource);
    if (!found) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    return found;
  };
  const scopeOf = (i: ResourceInfo, namespace: string | undefined) =>
    i.namespaced ? namespace || 'default' : undefined;
  const tryGet = (ref: ResourceRef, namespace: string | undefined, name: string) => {
    const i = info(ref);
    const found = store.get(resourceKey(ref), scopeOf(i, namespace), name);
    return found && clone(found);
  };
  const live = (ref: ResourceRef, namespace: string | undefined, name: string) => {
    const found = tryGet(ref, namespace, name);
    if (!found) throw notFound(ref.resource, name, ref.group);
    return found;
  };
  const commit = (i: ResourceInfo, object: KubeObject, dryRun: boolean | undefined) => {
    if (dryRun) return object;
    const existing = store.get(resourceKey(i), object.metadata.namespace, object.metadata.name ?? '');
    return clone(store.put(resourceKey(i), object, existing ? 'MODIFIED' : 'ADDED'));
  };
  const remove = (i: ResourceInfo, object: KubeObject, dryRun: boolean | undefined) =>
    dryRun ? object : clone(store.remove(resourceKey(i), object));
  const core: RegistryCore = { store, clock, info, live, commit, remove };

  const checkNamespace = (namespace: string) => {
    const ns = store.get(resourceKey(NAMESPACES), undefined, namespace);
    if (!ns) throw notFound('namespaces', namespace);
    if (ns.metadata.deletionTimestamp) {
      throw forbidden(
        `unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  };

  const allocateService = (object: KubeObject, stored?: KubeObject) => {
    const allocation = allocateServiceAddresses(object, store.list('/services'), random, stored);
    if (!allocation.ok) throw invalid('Service', object.metadata.name ?? '', allocation.causes);
    object.spec = allocation.spec;
  };

  function create(
    ref: ResourceRef,
    namespace: string | undefined,
    input: KubeObject,
    opts: WriteOptions = {},
  ) {
    const i = info(ref);
    if (i.kind === 'Binding') return bind(namespace, input, opts);
    const object = clone(input);
    object.apiVersion = apiVersionOf(i);
    object.kind = i.kind;
    const meta = (object.metadata = { ...object.metadata });
    if (!meta.name && meta.generateName) {
      meta.name =
        meta.generateName + Array.from({ length: 5 }, () => NAME_CHARS[Math.floor(random() * 27)]).join('');
    }
    const badName = nameCauses(i.kind, meta.name);
    if (badName.length) throw invalid(i.kind, meta.name ?? '', badName, i.group);
    if (i.namespaced) {
      meta.namespace = namespace || meta.namespace || 'default';
      checkNamespace(meta.namespace);
    } else delete meta.namespace;
    if (store.get(resourceKey(i), meta.namespace, meta.name ?? ''))
      throw alreadyExists(i.resource, meta.name ?? '', i.group);
    meta.uid = uuid(random);
    meta.creationTimestamp = kubeTime(clock.now());
    meta.generation = 1;
    for (const key of ['resourceVersion', 'deletionTimestamp', 'deletionGracePeriodSeconds'] as const)
      delete meta[key];
    // As Kubernetes' strategies: a kubelet registers its Node with status; a Namespace and a Pod start from the
    // status their strategy sets (below), whatever the client sent; every other kind's status is the controllers'
    // to write through /status.
    if (i.subresources.includes('status') && i.kind !== 'Node') delete object.status;
    applyDefaults(object);
    if (i.kind === 'Pod') {
      admitDefaultTolerations(object);
      admitLimitRanges(i, object, store.list('/limitranges', meta.namespace));
    }
    if (i.kind === 'Ingress')
      admitDefaultIngressClass(object, store.list('networking.k8s.io/ingressclasses'));
    const causes = validate(object);
    if (causes.length) throw invalid(i.kind, meta.name ?? '', causes, i.group);
    opts.admit?.(object);
    if (options.limits) admitWithinLimits(store, options.limits, i, object);
    if (i.namespaced) {
      const quotas = store.list('/resourcequotas', meta.namespace);
      if (quotas.length)
        admitQuotas(i, object, quotas, (ref) => store.list(resourceKey(ref), meta.namespace));
    }
    if (i.kind === 'Service') allocateService(object);
    if (i.kind === 'Pod') object.status = { phase: 'Pending', qosClass: podQosClass(object) };
    return commit(i, object, opts.dryRun);
  }

  function bind(namespace: string | undefined, binding: KubeObject, opts: WriteOptions) {
    const podRef = { group: '', resource: 'pods' };
    const pod = live(podRef, namespace, binding.metadata.name ?? '');
    if ((pod.spec as { nodeName?: string }).nodeName) {
      throw conflict(
        'pods',
        pod.metadata.name ?? '',
        '',
        `pod ${pod.metadata.name} is already assigned to node "${(pod.spec as { nodeName: string }).nodeName}"`,
      );
    }
    const target = (binding.target ?? {}) as { name?: string };
    pod.spec = { ...(pod.spec as object), nodeName: target.name };
    commit(info(podRef), pod, opts.dryRun);
    return binding;
  }

  function update(
    ref: ResourceRef,
    namespace: string | undefined,
    input: KubeObject,
    opts: WriteOptions = {},
  ) {
    const i = info(ref);
    const name = input.metadata?.name ?? '';
    const current = live(ref, namespace, name);
    if (opts.subresource === 'scale') return toScale(write(i, current, fromScale(current, input), opts));
    return write(i, current, input, opts);
  }

  /** Turns a requested new state into the stored one: subresource rules, defaults, checks, generation. */
  function write(i: ResourceInfo, current: KubeObject, input: KubeObject, opts: WriteOptions): KubeObject {
    const wanted = input.metadata?.resourceVersion;
    if (wanted && wanted !== current.metadata.resourceVersion)
      throw conflict(i.resource, current.metadata.name ?? '', i.group);
    let next: KubeObject;
    if (opts.subresource === 'status') next = { ...current, status: clone(input.status) };
    else {
      next = { ...clone(input), apiVersion: apiVersionOf(i), kind: i.kind };
      if (i.subresources.includes('status')) next.status = current.status;
    }
    const keep = [
      'uid',
      'creationTimestamp',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'generation',
      'name',
      'namespace',
    ] as const;
    next.metadata = { ...(opts.subresource === 'status' ? current.metadata : next.metadata) };
    const meta: Record<string, unknown> = next.metadata;
    for (const key of keep) {
      if (current.metadata[key] === undefined) delete meta[key];
      else meta[key] = current.metadata[key];
    }
    applyDefaults(next);
    const causes = [...validate(next), ...immutableCauses(current, next)];
    if (causes.length) throw invalid(i.kind, current.metadata.name ?? '', causes, i.group);
    opts.admit?.(next);
    // A type change needs node ports (or drops them) and a changed nodePort must be free, as on create.
    if (i.kind === 'Service' && opts.subresource !== 'status') allocateService(next, current);
    const specChanged = JSON.stringify(next.spec) !== JSON.stringify(current.spec);
    if (specChanged) next.metadata.generation = (current.metadata.generation ?? 1) + 1;
    next.metadata.resourceVersion = current.metadata.resourceVersion;
    // A no-op write stores nothing. Most writes change the spec or the status: comparing those first spares two
    // serialisations of the whole object on every kubelet and controller status write.
    const unchanged =
      !specChanged &&
      JSON.stringify(next.status) === JSON.stringify(current.status) &&
      withoutVolatile(next) === withoutVolatile(current);
    if (unchanged && !opts.force) return current;
    if (finalized(next)) return remove(i, next, opts.dryRun);
    return commit(i, next, opts.dryRun);
  }

  /** A deleting object whose last finalizer (and, for a namespace, spec finalizer) is gone. */
  function finalized(object: KubeObject): boolean {
    if (!object.metadata.deletionTimestamp || (object.metadata.finalizers ?? []).length > 0) return false;
    if (object.kind === 'Namespace')
      return ((object.spec as { finalizers?: string[] })?.finalizers ?? []).length === 0;
    return !(object.kind === 'Pod' && (object.metadata.deletionGracePeriodSeconds ?? 0) > 0);
  }

  function patch(
    ref: ResourceRef,
    namespace: string | undefined,
    name: string,
    type: string,
    body: unknown,
    opts: WriteOptions = {},
  ): KubeObject {
    const i = info(ref);
    const current = tryGet(ref, namespace, name);
    if (type === 'apply') {
      const applied = { ...(body as KubeObject), metadata: { ...(body as KubeObject).metadata, name } };
      const merged = applyServerSidePatch(current, applied, {
        manager: opts.fieldManager ?? 'kubectl',
        force: opts.force ?? false,
        now: kubeTime(clock.now()),
      });
      if (!current) return create(ref, namespace, merged, opts);
      return write(
        i,
        current,
        { ...merged, metadata: { ...merged.metadata, resourceVersion: undefined } },
        opts,
      );
    }
    if (!current) throw notFound(ref.resource, name, ref.group);
    const base = opts.subresource === 'scale' ? toScale(current) : current;
    const patched = patchDocument(base, type, body);
    if (opts.subresource === 'scale') return toScale(write(i, current, fromScale(current, patched), opts));
    return write(i, current, patched, opts);
  }

  function patchDocument(base: KubeObject, type: string, body: unknown): KubeObject {
    const rv = base.metadata.resourceVersion;
    const start = { ...base, metadata: { ...base.metadata, resourceVersion: undefined } };
    let patched: KubeObject;
    if (type === 'json') patched = applyJsonPatch(start, body) as KubeObject;
    else if (type === 'merge') patched = applyMergePatch(start, body) as KubeObject;
    else if (type === 'strategic') patched = applyStrategicMergePatch(start, body);
    else throw unsupportedMediaType(type);
    // A patch that names a resourceVersion asks for optimistic concurrency; otherwise it applies to the latest.
    const named = patched.metadata?.resourceVersion;
    return { ...patched, metadata: { ...patched.metadata, resourceVersion: named ?? rv } };
  }

  /** The stored objects that match, in key order (namespace/name by code unit), as the apiserver lists. */
  function listShared(ref: ResourceRef, opts: ListOptions = {}) {
    const matches = objectFilter(info(ref).kind, opts);
    const items = store.sorted(resourceKey(ref), opts.namespace || undefined).filter(matches);
    return { items, resourceVersion: String(store.resourceVersion) };
  }

  function list(ref: ResourceRef, opts: ListOptions = {}) {
    const { items, resourceVersion } = listShared(ref, opts);
    return { items: items.map(clone), resourceVersion };
  }

  function getShared(ref: ResourceRef, namespace: string | undefined, name: string) {
    const found = store.get(resourceKey(ref), scopeOf(info(ref), namespace), name);
    if (!found) throw notFound(ref.resource, name, ref.group);
    return found;
  }

  function watch(ref: ResourceRef, opts: WatchOptions, onEvent: (event: WatchEvent) => void) {
    const i = info(ref);
    return startWatch(store, resourceKey(ref), i.kind, apiVersionOf(i), opts, onEvent);
  }

  const registry: SandboxRegistry = {
    get: live,
    tryGet,
    list,
    listShared,
    getShared,
    create,
    update,
    patch,
    delete: (ref, namespace, name, opts = {}) => deleteObject(core, ref, namespace, name, opts),
    watch,
    evict: (namespace, name, opts: DeleteOptions = {}) => evictPod(core, namespace, name, opts),
    currentResourceVersion: () => String(store.resourceVersion),
    snapshot: () => clone(store.snapshot()),
    restore(state) {
      for (const object of state.objects) {
        const found = findByKind(object.apiVersion, object.kind);
        if (found) store.load(resourceKey(found), clone(object));
      }
      store.setResourceVersion(state.resourceVersion);
      // A Service saved without its addresses gets them now, as the apiserver's repair loop would give them.
      for (const service of store.list('/services')) {
        const spec = (service.spec ?? {}) as { type?: string; clusterIP?: string };
        if (spec.clusterIP || spec.type === 'ExternalName') continue;
        const allocation = allocateServiceAddresses(service, store.list('/services'), random);
        if (allocation.ok) store.load('/services', { ...service, spec: allocation.spec });
      }
    },
  };
  for (const name of SYSTEM_NAMESPACES) {
    create(NAMESPACES, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  return registry;
}
