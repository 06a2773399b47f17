// Checks a real apiserver makes before storing, with its messages (collected as causes of one Invalid error).
import type { LabelSelectorSpec } from '../query/label-selector.ts';
import { labelSelectorFromSpec, matchesLabelSelector, selectorFromMap } from '../query/label-selector.ts';
import type { KubeObject } from '../types.ts';
import { invalid, invalidEach, notSupported, required, type Cause } from '../validation/causes.ts';
import {
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  labelValueErrors,
  qualifiedNameErrors,
} from '../validation/names.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Kinds whose names must be DNS-1123 labels rather than subdomains. */
const labelNamed = new Set(['Namespace', 'Service']);
/** RBAC objects only need names usable as a path segment (system:aggregate-to-admin is one). */
const pathSegmentNamed = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

function pathSegmentErrors(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  return ['/', '%'].filter((bad) => name.includes(bad)).map((bad) => `may not contain '${bad}'`);
}

export function nameCauses(kind: string, name: string | undefined): Cause[] {
  if (!name) return [required('metadata.name', 'name or generateName is required')];
  const problems = pathSegmentNamed.has(kind)
    ? pathSegmentErrors(name)
    : labelNamed.has(kind)
      ? dns1123LabelErrors(name)
      : dns1123SubdomainErrors(name);
  return invalidEach('metadata.name', name, problems);
}

/** Every problem of every key and value, one cause each, as the apiserver's ValidateLabels reports them. */
function labelCauses(labels: unknown, field: string): Cause[] {
  if (!isObj(labels)) return [];
  return Object.entries(labels).flatMap(([key, value]) => [
    ...invalidEach(field, key, qualifiedNameErrors(key)),
    ...invalidEach(field, value, labelValueErrors(String(value))),
  ]);
}

function podSpecCauses(spec: unknown, path: string): Cause[] {
  const containers = isObj(spec) ? spec.containers : undefined;
  if (!Array.isArray(containers) || containers.length === 0) return [required(`${path}.containers`)];
  return containers.flatMap((c: unknown, i) => {
    const causes: Cause[] = [];
    const container = isObj(c) ? c : {};
    if (!container.name) causes.push(required(`${path}.containers[${i}].name`));
    if (!container.image) causes.push(required(`${path}.containers[${i}].image`));
    return causes;
  });
}

function templateCauses(spec: Obj, selectorIsMap: boolean): Cause[] {
  const template = isObj(spec.template) ? spec.template : undefined;
  if (!template) return [required('spec.template')];
  const labels = (isObj(template.metadata) ? template.metadata.labels : undefined) as
    Record<string, string> | undefined;
  const causes = [
    ...labelCauses(labels, 'spec.template.metadata.labels'),
    ...podSpecCauses(template.spec, 'spec.template.spec'),
  ];
  const selector = selectorIsMap
    ? selectorFromMap(spec.selector as Record<string, string>)
    : labelSelectorFromSpec(spec.selector as LabelSelectorSpec | undefined);
  if (!selectorIsMap && !isObj(spec.selector)) {
    causes.push(required('spec.selector'));
  } else if (!matchesLabelSelector(selector, labels ?? {})) {
    causes.push(
      invalid('spec.template.metadata.labels', labels ?? {}, '`selector` does not match template `labels`'),
    );
  }
  return causes;
}

const specOf = (o: KubeObject): Obj => (isObj(o.spec) ? o.spec : {});

/** An Ingress backend names a Service (by name, with a port name or number) or a resource, not both. */
function ingressBackendCauses(backend: unknown, path: string): Cause[] {
  const { service, resource } = isObj(backend) ? backend : {};
  if (isObj(service) && isObj(resource))
    return [invalid(path, '', 'cannot set both resource and service backends')];
  if (isObj(resource)) return [];
  if (!isObj(service)) return [invalid(path, '', 'resource or service backend is required')];
  const causes = service.name ? [] : [required(`${path}.service.name`)];
  const port = isObj(service.port) ? service.port : {};
  if (port.name && port.number) causes.push(invalid(path, '', 'cannot set both port name & port number'));
  else if (!port.name && !port.number)
    causes.push(required(`${path}.service.port`, 'port name or number is required'));
  return causes;
}

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

/** The apiserver's checks on one rule path: a pathType is required first, then an absolute path and a backend. */
function ingressPathCauses(entry: unknown, path: string): Cause[] {
  const { pathType, path: url, backend } = isObj(entry) ? entry : {};
  if (pathType === undefined || pathType === null)
    return [required(`${path}.pathType`, 'pathType must be specified')];
  const causes: Cause[] = [];
  if (!PATH_TYPES.includes(String(pathType))) {
    causes.push(notSupported(`${path}.pathType`, pathType, PATH_TYPES));
  } else if ((pathType !== 'ImplementationSpecific' || url) && !String(url ?? '').startsWith('/')) {
    causes.push(invalid(`${path}.path`, url ?? '', 'must be an absolute path'));
  }
  return [...causes, ...ingressBackendCauses(backend, `${path}.backend`)];
}

function ingressCauses(ingress: KubeObject): Cause[] {
  const spec = specOf(ingress);
  const causes =
    spec.defaultBackend === undefined ? [] : ingressBackendCauses(spec.defaultBackend, 'spec.defaultBackend');
  (Array.isArray(spec.rules) ? spec.rules : []).forEach((rule: unknown, i) => {
    const http = isObj(rule) ? rule.http : undefined;
    if (!isObj(http)) return;
    const paths = Array.isArray(http.paths) ? http.paths : [];
    if (paths.length === 0) causes.push(required(`spec.rules[${i}].http.paths`));
    paths.forEach((entry: unknown, j) =>
      causes.push(...ingressPathCauses(entry, `spec.rules[${i}].http.paths[${j}]`)),
    );
  });
  return causes;
}

const kindCauses: Record<string, (o: KubeObject) => Cause[]> = {
  Pod: (o) => podSpecCauses(o.spec, 'spec'),
  ReplicaSet: (o) => templateCauses(specOf(o), false),
  Deployment: (o) => templateCauses(specOf(o), false),
  StatefulSet: (o) => templateCauses(specOf(o), false),
  DaemonSet: (o) => templateCauses(specOf(o), false),
  ReplicationController: (o) => templateCauses(specOf(o), true),
  Ingress: ingressCauses,
  IngressClass: (o) => (specOf(o).controller ? [] : [required('spec.controller')]),
  Job: (o) =>
    podSpecCauses(
      isObj(specOf(o).template) ? (specOf(o).template as Obj).spec : undefined,
      'spec.template.spec',
    ),
};

export function validate(object: KubeObject): Cause[] {
  return [
    ...nameCauses(object.kind, object.metadata.name),
    ...labelCauses(object.metadata.labels, 'metadata.labels'),
    ...(kindCauses[object.kind]?.(object) ?? []),
  ];
}

const immutablePaths: Record<string, string[][]> = {
  Deployment: [['spec', 'selector']],
  ReplicaSet: [['spec', 'selector']],
  StatefulSet: [['spec', 'selector']],
  DaemonSet: [['spec', 'selector']],
  Job: [['spec', 'selector']],
  Service: [['spec', 'clusterIP']],
};

const at = (o: unknown, path: string[]) => path.reduce<unknown>((v, k) => (isObj(v) ? v[k] : undefined), o);

/** Causes for fields an update may not change. */
export function immutableCauses(live: KubeObject, next: KubeObject): Cause[] {
  return (immutablePaths[live.kind] ?? []).flatMap((path) => {
    const before = at(live, path);
    const after = at(next, path);
    if (before === undefined || JSON.stringify(before) === JSON.stringify(after)) return [];
    return [invalid(path.join('.'), after ?? null, 'field is immutable')];
  });
}
