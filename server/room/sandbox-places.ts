// A sandbox room's places: a virtual cluster per attendee on the sandbox host, with full admin inside it.
import { rmSync } from 'node:fs';
import { KeepAliveKubeConfig } from '../keep-alive-kube-config.ts';
import type { AttendeeRecord } from './attendees.ts';
import type { AttendeePlaces, OpenedPlace } from './room.ts';
import { RoomError } from './room.ts';

/** The shape every attendee cluster gets: the main sandbox's, plus the room's limits. */
export interface AttendeeClusterShape {
  podLimit: number;
  objectLimit?: number;
  version?: string;
  speed?: 'fast' | 'realistic';
  nodes?: number;
  nodeEvictionTimeoutSeconds?: number;
}

/** The part of a sandbox host's cluster the room uses. */
export interface RoomCluster {
  kubeconfig(options: { server: string; contextName: string; namespace?: string }): string;
}

/** The part of the sandbox host the room uses. */
export interface RoomHost {
  url(address?: string): string;
  addCluster(
    id: string,
    options: AttendeeClusterShape & { token: string; statePath?: string; serviceAccountKeyPath?: string },
  ): Promise<RoomCluster>;
  removeCluster(id: string): Promise<void>;
}

export interface SandboxPlacesOptions {
  host: RoomHost;
  /** Host name or IP written into attendee kubeconfigs. */
  publicAddress: string;
  cluster: AttendeeClusterShape;
  /** Where an attendee cluster's objects are kept across restarts (with --state); none otherwise. */
  statePathOf?: (name: string) => string;
}

/**
 * Objects an attendee cluster may hold (Events aside): every lesson together needs a few hundred; a script looping
 * over creates hits this wall instead of the room's memory.
 */
export const ATTENDEE_OBJECT_LIMIT = 2000;

export class SandboxPlaces implements AttendeePlaces {
  readonly kind = 'sandbox';
  private readonly clusters = new Map<string, RoomCluster>();

  constructor(private readonly options: SandboxPlacesOptions) {}

  /** Every attendee cluster has an admin token of its own, kept in the registry so kubeconfigs outlive restarts. */
  readonly needsClusterToken = true;

  async open(record: AttendeeRecord): Promise<OpenedPlace> {
    const { host, cluster: shape } = this.options;
    if (!record.clusterToken) {
      throw new Error(
        `attendee "${record.name}" has no cluster token: was the room a namespace room before?`,
      );
    }
    const statePath = this.options.statePathOf?.(record.name);
    const cluster = await host.addCluster(record.name, {
      ...shape,
      token: record.clusterToken,
      // With its objects kept, the key its ServiceAccount tokens are signed with is kept too.
      ...(statePath ? { statePath, serviceAccountKeyPath: `${statePath}.sa.key` } : {}),
    });
    this.clusters.set(record.name, cluster);
    // The platform's own way in is the listen address: the public one may not route back to this machine.
    const kubeConfig = new KeepAliveKubeConfig();
    kubeConfig.loadFromString(
      cluster.kubeconfig({ server: host.url(), contextName: `kubewars-${record.name}` }),
    );
    return { kubeConfig, game: { kubeConfig } };
  }

  async kubeconfig(name: string): Promise<string> {
    const cluster = this.clusters.get(name);
    if (!cluster) throw new RoomError(404, `No attendee named "${name}" in this room.`);
    return cluster.kubeconfig({
      server: this.options.host.url(this.options.publicAddress),
      contextName: `kubewars-${name}`,
      namespace: 'default',
    });
  }

  async close(name: string): Promise<void> {
    this.clusters.delete(name);
    try {
      await this.options.host.removeCluster(name);
    } finally {
      const statePath = this.options.statePathOf?.(name);
      if (statePath) rmSync(statePath, { force: true });
    }
  }
}
