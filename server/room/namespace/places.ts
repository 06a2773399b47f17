// A namespace room's places: a namespace per attendee on the instructor's cluster (provisioner.ts), the attendee's
// own token for their checks, and the game watching their namespace with the room's credentials.
import { KubeConfig } from '@kubernetes/client-node';
import type { AttendeeRecord } from '../attendees.ts';
import type { AttendeePlaces, OpenedPlace } from '../room.ts';
import type { NamespaceProvisioner } from './provisioner.ts';

export class NamespacePlaces implements AttendeePlaces {
  readonly kind = 'namespace';
  readonly needsClusterToken = false;

  /**
   * @param provisioner makes the namespaces and tokens
   * @param gameKubeConfig the room's own credentials: the game watches and fires with them
   */
  constructor(
    private readonly provisioner: NamespaceProvisioner,
    private readonly gameKubeConfig: KubeConfig,
  ) {}

  async open(record: AttendeeRecord): Promise<OpenedPlace> {
    const namespace = await this.provisioner.provision(record.name);
    // Checks read with the attendee's own token, at the address this machine reaches the cluster by: a check can
    // see only what the attendee can. A restart mints a fresh one.
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(
      this.provisioner.kubeconfig(
        record.name,
        await this.provisioner.token(record.name),
        this.provisioner.server,
      ),
    );
    return { kubeConfig, game: { kubeConfig: this.gameKubeConfig, namespaces: [namespace] } };
  }

  async kubeconfig(name: string): Promise<string> {
    return this.provisioner.kubeconfig(name, await this.provisioner.token(name));
  }

  close(name: string): Promise<void> {
    return this.provisioner.deprovision(name);
  }
}
