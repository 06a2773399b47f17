// RBAC's privilege-escalation prevention: a Role, ClusterRole or binding may only grant what its writer holds,
// unless the writer may `escalate` (roles) or `bind` (the referenced role), as the apiserver's rbac storage checks.
import type { Identity } from '../api/auth.ts';
import { isMaster } from '../api/auth.ts';
import { ApiError, notFound } from '../errors.ts';
import type { KubeObject, SandboxRegistry, WriteOptions } from '../types.ts';
import type { AccessPolicy } from './access.ts';
import type { PolicyRule, PolicySource, RoleRef } from './rbac.ts';

const RBAC = 'rbac.authorization.k8s.io';
const RESOURCE_OF: Record<string, string> = {
  Role: 'roles',
  ClusterRole: 'clusterroles',
  RoleBinding: 'rolebindings',
  ClusterRoleBinding: 'clusterrolebindings',
};

/** A rule split into one verb on one resource (or URL), one name at most: what coverage is checked on. */
function breakdown(rule: PolicyRule): PolicyRule[] {
  const atoms: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? [])
    for (const resource of rule.resources ?? [])
      for (const verb of rule.verbs) {
        const names = rule.resourceNames ?? [];
        if (names.length === 0) atoms.push({ verbs: [verb], apiGroups: [group], resources: [resource] });
        for (const name of names)
          atoms.push({ verbs: [verb], apiGroups: [group], resources: [resource], resourceNames: [name] });
      }
  for (const url of rule.nonResourceURLs ?? [])
    for (const verb of rule.verbs) atoms.push({ verbs: [verb], nonResourceURLs: [url] });
  return atoms;
}

const holds = (values: string[] | undefined, value: string) =>
  (values ?? []).some((each) => each === '*' || each === value);

function resourceCovered(owned: string[], resource: string): boolean {
  if (owned.includes('*') || owned.includes(resource)) return true;
  const slash = resource.indexOf('/');
  return slash > 0 && owned.includes(`*${resource.slice(slash)}`);
}

function urlCovered(owned: string[], url: string): boolean {
  return owned.some(
    (each) => each === '*' || each === url || (each.endsWith('*') && url.startsWith(each.slice(0, -1))),
  );
}

function covers(owner: PolicyRule, atom: PolicyRule): boolean {
  const verb = atom.verbs[0] as string;
  if (!holds(owner.verbs, verb)) return false;
  if (atom.nonResourceURLs) return urlCovered(owner.nonResourceURLs ?? [], atom.nonResourceURLs[0] as string);
  if (!holds(owner.apiGroups, atom.apiGroups?.[0] as string)) return false;
  if (!resourceCovered(owner.resources ?? [], atom.resources?.[0] as string)) return false;
  const names = owner.resourceNames ?? [];
  return (
    names.length === 0 ||
    (atom.resourceNames !== undefined && names.includes(atom.resourceNames[0] as string))
  );
}

/** The parts of `requested` that no rule of `owned` covers, each once. */
export function missingRules(owned: PolicyRule[], requested: PolicyRule[]): PolicyRule[] {
  const missing = new Map<string, PolicyRule>();
  for (const atom of requested.flatMap(breakdown))
    if (!owned.some((rule) => covers(rule, atom))) missing.set(JSON.stringify(atom), atom);
  return [...missing.values()];
}

/** Atoms on one resource merged back into one rule with their verbs, as the apiserver compacts them to report. */
function compact(rules: PolicyRule[]): PolicyRule[] {
  const merged = new Map<string, PolicyRule>();
  const rest: PolicyRule[] = [];
  for (const rule of rules) {
    if (rule.resourceNames || rule.nonResourceURLs) {
      rest.push(rule);
      continue;
    }
    const key = `${rule.apiGroups?.[0]}/${rule.resources?.[0]}`;
    const found = merged.get(key);
    if (found) found.verbs.push(...rule.verbs);
    else merged.set(key, { ...rule, verbs: [...rule.verbs] });
  }
  return [...merged.values(), ...rest];
}

/** Go's %q of a []string: ["a" "b"]. */
const quoted = (values: string[]) => `[${values.map((value) => JSON.stringify(value)).join(' ')}]`;

/** rbacv1helpers.CompactString: {APIGroups:[""], Resources:["pods"], Verbs:["get"]}. */
export function compactString(rule: PolicyRule): string {
  const parts: string[] = [];
  if (rule.apiGroups?.length) parts.push(`APIGroups:${quoted(rule.apiGroups)}`);
  if (rule.resources?.length) parts.push(`Resources:${quoted(rule.resources)}`);
  if (rule.nonResourceURLs?.length) parts.push(`NonResourceURLs:${quoted(rule.nonResourceURLs)}`);
  if (rule.resourceNames?.length) parts.push(`ResourceNames:${quoted(rule.resourceNames)}`);
  if (rule.verbs.length) parts.push(`Verbs:${quoted(rule.verbs)}`);
  return `{${parts.join(', ')}}`;
}

function refuse(object: KubeObject, identity: Identity, missing: PolicyRule[]): never {
  const resource = RESOURCE_OF[object.kind] as string;
  const name = object.metadata.name ?? '';
  const lines = [...new Set(compact(missing).map(compactString))].sort();
  throw new ApiError(
    403,
    'Forbidden',
    `${resource}.${RBAC} ${JSON.stringify(name)} is forbidden: user ${JSON.stringify(identity.user)} (groups=${quoted(identity.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`,
    { name, group: RBAC, kind: resource },
  );
}

/** Throws the apiserver's 403 when `identity` writing `object` would grant more than it holds. */
export function checkNoEscalation(
  access: AccessPolicy,
  policy: PolicySource,
  identity: Identity,
  object: KubeObject,
): void {
  if (isMaster(identity)) return;
  const namespace = object.metadata.namespace;
  const scope = namespace ? { namespace } : {};
  let granted: PolicyRule[];
  if (object.kind === 'Role' || object.kind === 'ClusterRole') {
    const resource = RESOURCE_OF[object.kind] as string;
    const attributes = {
      verb: 'escalate',
      group: RBAC,
      resource,
      name: object.metadata.name ?? '',
      ...scope,
    };
    if (access.decide(identity, attributes).allowed) return;
    granted = (object.rules ?? []) as PolicyRule[];
  } else if (object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding') {
    const ref = (object.roleRef ?? {}) as RoleRef;
    const resource = ref.kind === 'Role' ? 'roles' : 'clusterroles';
    const attributes = { verb: 'bind', group: RBAC, resource, name: ref.name, ...scope };
    if (access.decide(identity, attributes).allowed) return;
    const role = ref.kind === 'Role' ? policy.role(namespace ?? '', ref.name) : policy.clusterRole(ref.name);
    if (!role) throw notFound(resource, ref.name, RBAC);
    granted = (role.rules ?? []) as PolicyRule[];
  } else return;
  const missing = missingRules(access.rules(identity, namespace ?? ''), granted);
  if (missing.length) refuse(object, identity, missing);
}

/** The registry as one requester writes RBAC objects through it: each write passes the escalation check first. */
export function escalationChecked(
  registry: SandboxRegistry,
  check: (object: KubeObject) => void,
): SandboxRegistry {
  const admitted = (options: WriteOptions = {}): WriteOptions => ({ ...options, admit: check });
  return {
    ...registry,
    create: (ref, namespace, object, options) => registry.create(ref, namespace, object, admitted(options)),
    update: (ref, namespace, object, options) => registry.update(ref, namespace, object, admitted(options)),
    patch: (ref, namespace, name, type, body, options) =>
      registry.patch(ref, namespace, name, type, body, admitted(options)),
  };
}

/** The registry each requester writes through: RBAC objects checked against what they hold (masters hold all). */
export function escalationAdmission(access: AccessPolicy, policy: PolicySource) {
  return (identity: Identity, registry: SandboxRegistry): SandboxRegistry =>
    isMaster(identity)
      ? registry
      : escalationChecked(registry, (object) => checkNoEscalation(access, policy, identity, object));
}
