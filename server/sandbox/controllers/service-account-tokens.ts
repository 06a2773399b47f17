// The legacy token controller: a Secret of type kubernetes.io/service-account-token naming a ServiceAccount gets a
// never-expiring token, the cluster's CA and the namespace, as tutorials written before 1.24 expect; a Secret whose
// account is gone is deleted, as kube-controller-manager's tokens controller does.
import { statusCode } from '../../errors.ts';
import type { ServiceAccountTokens } from '../auth/service-account-tokens.ts';
import { issueLegacyToken } from '../auth/service-account-tokens.ts';
import type { ClusterClient, KubeObject } from '../types.ts';
import type { Informer } from './runtime.ts';
import { REF, ReconcileQueue, keyOf } from './runtime.ts';
import type { Clock } from '../../clock.ts';

export const SERVICE_ACCOUNT_TOKEN = 'kubernetes.io/service-account-token';
const NAME = 'kubernetes.io/service-account.name';
const UID = 'kubernetes.io/service-account.uid';

const base64 = (text: string) => Buffer.from(text).toString('base64');
const isTokenSecret = (secret: KubeObject) =>
  secret.type === SERVICE_ACCOUNT_TOKEN && Boolean(secret.metadata.annotations?.[NAME]);

export class ServiceAccountTokenController {
  private readonly queue: ReconcileQueue;

  constructor(
    private readonly client: ClusterClient,
    private readonly secrets: Informer,
    accounts: Informer,
    private readonly tokens: ServiceAccountTokens,
    private readonly rootCertificate: string,
    clock: Clock,
  ) {
    this.queue = new ReconcileQueue(clock, 'serviceaccount-tokens', (key) => this.reconcile(key));
    secrets.onChange((type, secret) => {
      if (type !== 'DELETED' && isTokenSecret(secret)) this.queue.enqueue(keyOf(secret));
    });
    // A deleted account takes its token Secrets with it.
    accounts.onChange((type, account) => {
      if (type !== 'DELETED') return;
      for (const secret of secrets.inNamespace(account.metadata.namespace ?? ''))
        if (isTokenSecret(secret) && secret.metadata.annotations?.[NAME] === account.metadata.name)
          this.queue.enqueue(keyOf(secret));
    });
  }

  stop(): void {
    this.queue.stop();
  }

  private reconcile(key: string): void {
    const [namespace = '', name = ''] = key.split('/');
    const secret = this.secrets.get(namespace, name);
    if (!secret || !isTokenSecret(secret) || secret.metadata.deletionTimestamp) return;
    const annotations = secret.metadata.annotations ?? {};
    const account = this.client.tryGet(REF.serviceaccounts, namespace, annotations[NAME] ?? '');
    const uid = annotations[UID];
    if (!account || (uid && uid !== account.metadata.uid)) {
      try {
        this.client.delete(REF.secrets, namespace, name);
      } catch (error) {
        if (statusCode(error) !== 404) throw error;
      }
      return;
    }
    if ((secret.data as Record<string, string> | undefined)?.token && uid) return;
    this.client.update(REF.secrets, namespace, {
      ...secret,
      metadata: { ...secret.metadata, annotations: { ...annotations, [UID]: account.metadata.uid ?? '' } },
      data: {
        ...(secret.data as Record<string, string> | undefined),
        'ca.crt': base64(this.rootCertificate),
        namespace: base64(namespace),
        token: base64(issueLegacyToken(this.tokens, account, name)),
      },
    });
  }
}
