// A namespace room's attendees on a shared cluster, through client-node with the instructor's credentials: each
// attendee's namespace and what goes with it (objects.ts), the kubeconfigs with their TokenRequest tokens, removal.
import { readFileSync } from 'node:fs';
import { CoreV1Api, type KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { statusCode, UserError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { kubeconfigYaml } from '../../sandbox/api/kubeconfig.ts';
import {
  adminBinding,
  attendeeAccount,
  attendeeLimits,
  attendeeNamespaceObject,
  attendeeQuota,
  viewBinding,
  viewRole,
} from './objects.ts';
import { ATTENDEE_ACCOUNT, ATTENDEE_LABEL, VIEW_ROLE, attendeeNamespace, viewBindingName } from './naming.ts';
import { RoomError } from '../room.ts';

export interface NamespaceProvisionerOptions {
  /** The instructor's (or the platform's ServiceAccount's) way into the cluster. */
  kubeConfig: KubeConfig;
  /** The attendee ResourceQuota's `spec.hard`. */
  quota: Record<string, string>;
  tokenTtlSeconds: number;
  /** The server written into downloaded kubeconfigs (default: the one the instructor's kubeconfig names). */
  attendeeServer?: string;
  log?: Logger;
  /** How long a re-join waits for the attendee's old namespace to finish terminating. */
  terminatingTimeoutMs?: number;
}

/** What a failed call was trying to do, for the message the instructor reads. */
interface Attempt {
  verb: string;
  resource: string;
  namespace?: string;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Turns a refused call into a sentence: a 403 names the verb and resource the instructor's credentials lack (the
 * Helm chart's room role holds them all), anything else says what was being done.
 */
function explain(error: unknown, attempt: Attempt): Error {
  const where = attempt.namespace ? ` in namespace ${attempt.namespace}` : '';
  const code = statusCode(error);
  if (code === 403) {
    return new UserError(
      `The room's credentials may not ${attempt.verb} ${attempt.resource}${where} (403 Forbidden).`,
      "Run the room with a kubeconfig bound to the room's ClusterRole (server/game/deploy/chart with room.enabled=true) or to cluster-admin.",
    );
  }
  if (code === 401) {
    return new UserError(
      `The cluster refused the room's credentials (401 Unauthorized) while trying to ${attempt.verb} ${attempt.resource}${where}.`,
      'Check that the kubeconfig is current (an expired token or certificate?).',
    );
  }
  const detail = (error as { body?: unknown }).body;
  const reason =
    typeof detail === 'string' ? ((safeJson(detail) as { message?: string })?.message ?? detail) : undefined;
  return new Error(
    `Cannot ${attempt.verb} ${attempt.resource}${where}: ${reason ?? (error as Error).message ?? String(error)}`,
    { cause: error },
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function attempt<T>(what: Attempt, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw explain(error, what);
  }
}

/** Creates, or keeps what is there: a restart finds every object of the attendees who stay. */
async function ensure(what: Attempt, create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (error) {
    if (statusCode(error) === 409) return;
    throw explain(error, what);
  }
}

export class NamespaceProvisioner {
  private readonly core: CoreV1Api;
  private readonly rbac: RbacAuthorizationV1Api;
  private readonly caCert: string;
  /** The server the platform reaches the cluster at. */
  readonly server: string;

  get tokenTtlSeconds(): number {
    return this.options.tokenTtlSeconds;
  }

  constructor(private readonly options: NamespaceProvisionerOptions) {
    const cluster = options.kubeConfig.getCurrentCluster();
    if (!cluster) throw new UserError('The kubeconfig has no current cluster.');
    this.server = cluster.server;
    const ca = cluster.caData
      ? Buffer.from(cluster.caData, 'base64').toString('utf8')
      : cluster.caFile
        ? readFileSync(cluster.caFile, 'utf8')
        : undefined;
    if (!ca) {
      throw new UserError(
        `The kubeconfig names no certificate authority for ${cluster.server}: attendee kubeconfigs need one to trust the cluster.`,
        'Use a kubeconfig with certificate-authority-data (or certificate-authority).',
      );
    }
    this.caCert = ca;
    this.core = options.kubeConfig.makeApiClient(CoreV1Api);
    this.rbac = options.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
  }

  /** The read-only ClusterRole every attendee is bound to: the Helm chart ships it, a cluster-admin makes it here. */
  async prepare(): Promise<void> {
    try {
      await this.rbac.readClusterRole({ name: VIEW_ROLE });
    } catch (error) {
      if (statusCode(error) !== 404)
        throw explain(error, { verb: 'get', resource: `clusterroles/${VIEW_ROLE}` });
      await ensure({ verb: 'create', resource: `clusterroles/${VIEW_ROLE}` }, () =>
        this.rbac.createClusterRole({ body: viewRole() }),
      );
    }
  }

  /** The attendee's namespace with its account, bindings, quota and defaults; returns the namespace. */
  async provision(attendee: string): Promise<string> {
    const namespace = attendeeNamespace(attendee);
    await this.ensureNamespace(namespace, attendee);
    const inside = (resource: string): Attempt => ({ verb: 'create', resource, namespace });
    await ensure(inside('serviceaccounts'), () =>
      this.core.createNamespacedServiceAccount({ namespace, body: attendeeAccount(namespace) }),
    );
    await ensure(inside('rolebindings (to ClusterRole admin: needs bind on clusterroles/admin)'), () =>
      this.rbac.createNamespacedRoleBinding({ namespace, body: adminBinding(namespace) }),
    );
    await ensure(
      { verb: 'create', resource: `clusterrolebindings (to ClusterRole ${VIEW_ROLE}: needs bind on it)` },
      () => this.rbac.createClusterRoleBinding({ body: viewBinding(namespace, attendee) }),
    );
    await ensure(inside('resourcequotas'), () =>
      this.core.createNamespacedResourceQuota({
        namespace,
        body: attendeeQuota(namespace, this.options.quota),
      }),
    );
    await ensure(inside('limitranges'), () =>
      this.core.createNamespacedLimitRange({ namespace, body: attendeeLimits(namespace) }),
    );
    return namespace;
  }

  /** A fresh token of the attendee's ServiceAccount (TokenRequest), valid for the room's token lifetime. */
  async token(attendee: string): Promise<string> {
    const namespace = attendeeNamespace(attendee);
    const request = await attempt(
      { verb: 'create', resource: `serviceaccounts/token (of ${ATTENDEE_ACCOUNT})`, namespace },
      () =>
        this.core.createNamespacedServiceAccountToken({
          name: ATTENDEE_ACCOUNT,
          namespace,
          body: { spec: { audiences: [], expirationSeconds: this.options.tokenTtlSeconds } },
        }),
    );
    const token = request.status?.token;
    if (!token) throw new Error(`The cluster answered the token request of ${namespace} without a token.`);
    return token;
  }

  /** A kubeconfig with the attendee's token, their namespace as the context's; at `server` (default: theirs). */
  kubeconfig(attendee: string, token: string, server = this.options.attendeeServer ?? this.server): string {
    return kubeconfigYaml({
      server,
      caCert: this.caCert,
      token,
      contextName: `kubewars-${attendee}`,
      namespace: attendeeNamespace(attendee),
    });
  }

  /** Deletes the attendee's namespace (their account and tokens go with it) and their cluster-wide binding. */
  async deprovision(attendee: string): Promise<void> {
    const namespace = attendeeNamespace(attendee);
    await this.deleteIgnoringAbsent({ verb: 'delete', resource: `namespaces/${namespace}` }, () =>
      this.core.deleteNamespace({ name: namespace }),
    );
    await this.deleteIgnoringAbsent(
      { verb: 'delete', resource: `clusterrolebindings/${viewBindingName(namespace)}` },
      () => this.rbac.deleteClusterRoleBinding({ name: viewBindingName(namespace) }),
    );
  }

  private async deleteIgnoringAbsent(what: Attempt, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      if (statusCode(error) !== 404) throw explain(error, what);
    }
  }

  /**
   * Creates the namespace; one that exists is kept when it is this attendee's, waited out while it terminates (a
   * removed attendee joining again), and refused when it belongs to something else.
   */
  private async ensureNamespace(namespace: string, attendee: string): Promise<void> {
    const deadline = Date.now() + (this.options.terminatingTimeoutMs ?? 120_000);
    for (;;) {
      try {
        await this.core.createNamespace({ body: attendeeNamespaceObject(namespace, attendee) });
        return;
      } catch (error) {
        if (statusCode(error) !== 409) throw explain(error, { verb: 'create', resource: 'namespaces' });
      }
      const existing = await attempt({ verb: 'get', resource: `namespaces/${namespace}` }, () =>
        this.core.readNamespace({ name: namespace }),
      ).catch((error: unknown) => {
        // Gone between the create and the read: try the create again.
        if (statusCode((error as Error).cause) === 404) return undefined;
        throw error;
      });
      if (existing && !existing.metadata?.deletionTimestamp) {
        if (existing.metadata?.labels?.[ATTENDEE_LABEL] === attendee) return;
        throw new RoomError(
          409,
          `The namespace ${namespace} of the name "${attendee}" is already used on this cluster: choose another name.`,
        );
      }
      if (Date.now() > deadline) {
        throw new Error(`Namespace ${namespace} is still being deleted: try again in a minute.`);
      }
      await pause(500);
    }
  }
}
