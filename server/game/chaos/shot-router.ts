// Shots into many clusters: one Firing for the whole game (one kill budget, one hard stop, the same safety checks)
// and one ShotClient per cluster. Firing's calls name only a namespace and a pod, which two clusters can share, so
// the engine runs each shot inside aimedAt(origin, …) and the routing client sends every call of that shot
// (read, delete or evict, capital ship) to the client of that origin's cluster, across awaits.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { PodOrigin } from '../state/ship.ts';
import type { ShotClient } from './shot.ts';

export class ShotRouter {
  private readonly clients = new Map<string, ShotClient>();
  private readonly aim = new AsyncLocalStorage<PodOrigin>();

  /** The one client Firing is given: each call goes to the cluster of the shot under way. */
  readonly client: ShotClient = {
    readPod: async (namespace, name) => this.route().readPod(namespace, name),
    deletePod: async (namespace, name, preconditions, grace) =>
      this.route().deletePod(namespace, name, preconditions, grace),
    evictPod: async (namespace, name, preconditions, grace) =>
      this.route().evictPod(namespace, name, preconditions, grace),
    readController: async (kind, namespace, name) => this.route().readController(kind, namespace, name),
    deleteController: async (kind, namespace, name, preconditions, policy) =>
      this.route().deleteController(kind, namespace, name, preconditions, policy),
    close: () => {
      for (const client of this.clients.values()) client.close();
      this.clients.clear();
    },
  };

  add(cluster: string, client: ShotClient): void {
    this.clients.get(cluster)?.close();
    this.clients.set(cluster, client);
  }

  /** A shot still in flight at this cluster is refused with a reason (its calls find no client). */
  remove(cluster: string): void {
    this.clients.get(cluster)?.close();
    this.clients.delete(cluster);
  }

  /** Runs `shot` with its cluster calls going to `origin`'s cluster. */
  aimedAt<T>(origin: PodOrigin, shot: () => T): T {
    return this.aim.run(origin, shot);
  }

  /** The origin of the shot under way (inside aimedAt), for recording it under the right ship and fleet. */
  get origin(): PodOrigin | undefined {
    return this.aim.getStore();
  }

  private route(): ShotClient {
    const origin = this.aim.getStore();
    if (!origin) throw new Error('a shot was fired outside aimedAt: its cluster is unknown');
    const client = this.clients.get(origin.cluster);
    if (!client) throw new Error(`cluster ${origin.cluster} has left the game`);
    return client;
  }
}
