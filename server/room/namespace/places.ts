// A namespace room's places: a namespace per attendee on the instructor's cluster (provisioner.ts), the attendee's
// own token for their checks, and the game watching their namespace with the room's credentials.
import type { KubeConfig } from '@kubernetes/client-node';
import { KeepAliveKubeConfig } from '../../keep-alive-kube-config.ts';
import type { Logger } from '../../log.ts';
import type { AttendeeRecord } from '../attendees.ts';
import type { AttendeePlaces, OpenedPlace } from '../room.ts';
import type { NamespaceProvisioner } from './provisioner.ts';

export class NamespacePlaces implements AttendeePlaces {
  readonly kind = 'namespace';
  readonly needsClusterToken = false;
  /** Each attendee's KubeConfig for their checks: reloaded in place with a fresh token before the last expires. */
  private readonly checks = new Map<string, KubeConfig>();
  private renewal: ReturnType<typeof setInterval> | undefined;

  /**
   * @param provisioner makes the namespaces and tokens
   * @param gameKubeConfig the room's own credentials: the game watches and fires with them
   */
  constructor(
    private readonly provisioner: NamespaceProvisioner,
    private readonly gameKubeConfig: KubeConfig,
    private readonly log?: Logger,
  ) {}

  async open(record: AttendeeRecord): Promise<OpenedPlace> {
    const namespace = await this.provisioner.provision(record.name);
    // Checks read with the attendee's own token, at the address this machine reaches the cluster by: a check can
    // see only what the attendee can. A restart mints a fresh one.
    const kubeConfig = new KeepAliveKubeConfig();
    await this.loadCheckToken(record.name, kubeConfig);
    this.checks.set(record.name, kubeConfig);
    this.renewal ??= setInterval(() => void this.renewCheckTokens(), this.provisioner.tokenTtlSeconds * 500);
    this.renewal.unref();
    return { kubeConfig, game: { kubeConfig: this.gameKubeConfig, namespaces: [namespace] } };
  }

  stop(): void {
    clearInterval(this.renewal);
    this.renewal = undefined;
  }

  private async loadCheckToken(name: string, kubeConfig: KubeConfig): Promise<void> {
    const token = await this.provisioner.token(name);
    kubeConfig.loadFromString(this.provisioner.kubeconfig(name, token, this.provisioner.server));
  }

  /** Every half token lifetime: a room that runs longer than a token lives keeps its checks working. */
  private async renewCheckTokens(): Promise<void> {
    for (const [name, kubeConfig] of this.checks) {
      await this.loadCheckToken(name, kubeConfig).catch((error: unknown) =>
        this.log?.warn({ err: error, attendee: name }, "cannot renew an attendee's check token"),
      );
    }
  }

  async kubeconfig(name: string): Promise<string> {
    return this.provisioner.kubeconfig(name, await this.provisioner.token(name));
  }

  close(name: string): Promise<void> {
    this.checks.delete(name);
    return this.provisioner.deprovision(name);
  }
}
