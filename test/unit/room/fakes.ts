// Stand-ins for the sandbox host and the game engine in the room's unit tests: they record what the room asks.
import { stringify } from 'yaml';
import type { RoomGame } from '../../../server/room/room.ts';
import type { RoomHost } from '../../../server/room/sandbox-places.ts';

export interface FakeHost extends RoomHost {
  /** Cluster id → the token it was added with, for the clusters currently on the host. */
  clusters: Map<string, { token: string; statePath?: string; podLimit: number }>;
  calls: string[];
  /** Makes the next addCluster fail, as a host that is stopping would. */
  failNextAdd(): void;
}

export function fakeHost(): FakeHost {
  const clusters: FakeHost['clusters'] = new Map();
  const calls: string[] = [];
  let failNext = false;
  return {
    clusters,
    calls,
    failNextAdd: () => void (failNext = true),
    url: (address = '127.0.0.1') => `https://${address}:6443`,
    async addCluster(id, options) {
      calls.push(`add ${id}`);
      if (failNext) {
        failNext = false;
        throw new Error('The sandbox host is stopping');
      }
      clusters.set(id, {
        token: options.token,
        podLimit: options.podLimit,
        ...(options.statePath ? { statePath: options.statePath } : {}),
      });
      return {
        kubeconfig: ({ server, contextName, namespace }) =>
          stringify({
            apiVersion: 'v1',
            kind: 'Config',
            clusters: [{ name: contextName, cluster: { server } }],
            users: [{ name: contextName, user: { token: options.token } }],
            contexts: [
              { name: contextName, context: { cluster: contextName, user: contextName, namespace } },
            ],
            'current-context': contextName,
          }),
      };
    },
    async removeCluster(id) {
      calls.push(`remove ${id}`);
      clusters.delete(id);
    },
  };
}

export interface FakeGame extends RoomGame {
  /** Cluster id → fleet name, for the clusters the game watches. */
  watched: Map<string, { fleet: string; server: string | undefined }>;
  fleets: Map<string, { flying: number; total: number }>;
}

export function fakeGame(): FakeGame {
  const watched: FakeGame['watched'] = new Map();
  const fleets: FakeGame['fleets'] = new Map();
  return {
    watched,
    fleets,
    async addCluster({ id, fleet, kubeConfig }) {
      watched.set(id, { fleet, server: kubeConfig.getCurrentCluster()?.server });
    },
    async removeCluster(id) {
      watched.delete(id);
    },
    fleet: (name) => fleets.get(name),
  };
}
