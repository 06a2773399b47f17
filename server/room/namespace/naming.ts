// Names of an attendee's objects on a shared cluster: their namespace, and the cluster-wide binding that lets them
// read the rest of the cluster (one per attendee, removed with them).
import { createHash } from 'node:crypto';

/** The label every attendee namespace carries, with the attendee's name as its value. */
export const ATTENDEE_LABEL = 'kubewars.io/attendee';
/** The ServiceAccount in each attendee namespace whose tokens the attendee's kubeconfigs carry. */
export const ATTENDEE_ACCOUNT = 'attendee';
/** The read-only ClusterRole every attendee is bound to (fixed: the Helm chart ships it under this name). */
export const VIEW_ROLE = 'kubewars-room-view';

const PREFIX = 'kw-';

/**
 * `rey` → `kw-rey`. A pilot name may hold capitals, "_" and "." and run to 63 characters, which a namespace may
 * not: such a name is lower-cased, its other characters become "-", and a short hash of the name keeps "a_b" and
 * "a.b" in namespaces of their own.
 */
export function attendeeNamespace(name: string): string {
  const plain = name.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  if (plain === name && PREFIX.length + name.length <= 63) return `${PREFIX}${name}`;
  const hash = createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 6);
  const base = plain.slice(0, 63 - PREFIX.length - hash.length - 1).replace(/-+$/, '');
  return `${PREFIX}${base}-${hash}`;
}

/** The ClusterRoleBinding of an attendee to the read-only role: cluster-scoped, so named after their namespace. */
export function viewBindingName(namespace: string): string {
  return `${namespace}-view`;
}
