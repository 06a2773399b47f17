// The RBAC authorizer's rules, as a pure function of the bindings and roles: which rules apply to an identity in a
// namespace, whether one of them allows a request, and the reason the apiserver gives ("RBAC: allowed by …").
import type { Identity, NonResourceAttributes, ResourceAttributes } from '../api/auth.ts';
import type { KubeObject } from '../types.ts';
import { serviceAccountUser } from './service-account-tokens.ts';

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface RoleRef {
  kind: string;
  name: string;
  apiGroup?: string;
}

/** Where the rules come from: the cluster's bindings and roles (the registry, or fixtures in tests). */
export interface PolicySource {
  clusterRoleBindings(): KubeObject[];
  roleBindings(namespace: string): KubeObject[];
  clusterRole(name: string): KubeObject | undefined;
  role(namespace: string, name: string): KubeObject | undefined;
}

const has = (values: readonly string[] | undefined, value: string) =>
  (values ?? []).some((each) => each === '*' || each === value);

function resourceMatches(rule: PolicyRule, resource: string, subresource: string | undefined): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return (rule.resources ?? []).some(
    (each) => each === '*' || each === combined || (subresource !== undefined && each === `*/${subresource}`),
  );
}

export function ruleAllowsResource(rule: PolicyRule, request: ResourceAttributes): boolean {
  if (!has(rule.verbs, request.verb) || !has(rule.apiGroups, request.group)) return false;
  if (!resourceMatches(rule, request.resource, request.subresource)) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (request.name !== undefined && names.includes(request.name));
}

export function ruleAllowsPath(rule: PolicyRule, request: NonResourceAttributes): boolean {
  if (!has(rule.verbs, request.verb)) return false;
  return (rule.nonResourceURLs ?? []).some(
    (url) =>
      url === '*' || url === request.path || (url.endsWith('*') && request.path.startsWith(url.slice(0, -1))),
  );
}

export function subjectMatches(subject: Subject, identity: Identity, bindingNamespace?: string): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === identity.user;
    case 'Group':
      return identity.groups.includes(subject.name);
    case 'ServiceAccount':
      return serviceAccountUser(subject.namespace || bindingNamespace || '', subject.name) === identity.user;
    default:
      return false;
  }
}

const rulesOf = (role: KubeObject | undefined) => (role?.rules ?? []) as PolicyRule[];

function describeSubject(subject: Subject, bindingNamespace?: string): string {
  const namespace = subject.namespace || bindingNamespace;
  const name = subject.kind === 'ServiceAccount' && namespace ? `${namespace}/${subject.name}` : subject.name;
  return `${subject.kind} ${JSON.stringify(name)}`;
}

/** One binding that applies to the identity, its rules and how the apiserver names it in a reason. */
export interface Grant {
  rules: PolicyRule[];
  describe: string;
}

/** The grants of every binding naming the identity: cluster-wide ones, then the namespace's (when one is given). */
export function* grantsFor(source: PolicySource, identity: Identity, namespace?: string): Generator<Grant> {
  for (const binding of source.clusterRoleBindings()) {
    const subject = ((binding.subjects ?? []) as Subject[]).find((s) => subjectMatches(s, identity));
    const ref = binding.roleRef as RoleRef | undefined;
    if (!subject || ref?.kind !== 'ClusterRole') continue;
    yield {
      rules: rulesOf(source.clusterRole(ref.name)),
      describe: `ClusterRoleBinding ${JSON.stringify(binding.metadata.name)} of ClusterRole ${JSON.stringify(ref.name)} to ${describeSubject(subject)}`,
    };
  }
  if (!namespace) return;
  for (const binding of source.roleBindings(namespace)) {
    const subject = ((binding.subjects ?? []) as Subject[]).find((s) =>
      subjectMatches(s, identity, namespace),
    );
    const ref = binding.roleRef as RoleRef | undefined;
    if (!subject || !ref) continue;
    const role = ref.kind === 'Role' ? source.role(namespace, ref.name) : source.clusterRole(ref.name);
    yield {
      rules: rulesOf(role),
      describe: `RoleBinding ${JSON.stringify(`${binding.metadata.name}/${namespace}`)} of ${ref.kind} ${JSON.stringify(ref.name)} to ${describeSubject(subject, namespace)}`,
    };
  }
}

/** Every rule that applies to the identity in the namespace (cluster-wide rules only without one). */
export function rulesFor(source: PolicySource, identity: Identity, namespace?: string): PolicyRule[] {
  return [...grantsFor(source, identity, namespace)].flatMap((grant) => grant.rules);
}

/** The apiserver's reason when some binding allows the request, undefined when none does. */
export function allowedBy(
  source: PolicySource,
  identity: Identity,
  request: ResourceAttributes | NonResourceAttributes,
): string | undefined {
  const allows = (rule: PolicyRule) =>
    'path' in request ? ruleAllowsPath(rule, request) : ruleAllowsResource(rule, request);
  const namespace = 'path' in request ? undefined : request.namespace;
  for (const grant of grantsFor(source, identity, namespace)) {
    if (grant.rules.some(allows)) return `RBAC: allowed by ${grant.describe}`;
  }
  return undefined;
}
