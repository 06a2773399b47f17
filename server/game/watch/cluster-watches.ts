// The pod watches of every cluster in the game (the main one and, in a room, one per attendee): each with its own
// informers and back-off (watchPods), its events tagged with the cluster they come from and its pods kept as last
// delivered (what a shot aims at), one watchdog timer for all (an idle cluster arms no timer of its own), and one
// health for the battle screen: connected while every started cluster is, reconnecting since the oldest loss.
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../log.ts';
import type { PodOrigin } from '../state/ship.ts';
import {
  DEFAULT_IDLE_TIMEOUT_MS,
  type PodInformer,
  type PodWatch,
  WATCHDOG_CHECKS_PER_IDLE_TIMEOUT,
  watchPods,
} from './pod-watch.ts';

export interface ClusterWatchesOptions {
  clock: Clock;
  log?: Logger;
  /** The informers of one cluster, or of some of its namespaces (client-node's, or fakes in tests). */
  informers(kubeConfig: KubeConfig, namespaces?: string[]): PodInformer[];
  upsert(pod: V1Pod, origin: PodOrigin): void;
  delete(pod: V1Pod, origin: PodOrigin): void;
  /** The combined health changed. */
  connection(connected: boolean, reconnectingSince: number | null): void;
  /** One restart attempt of some cluster's watch after an error (a metric). */
  reconnect(): void;
  /** A watch silent this long is hung and restarted (default: pod-watch's). */
  idleTimeoutMs?: number;
}

interface Watched {
  watch: PodWatch;
  /** Its pods by uid, as the watch last delivered them: what a shot aims at. */
  pods: Map<string, V1Pod>;
  /** Listed (or failed once and retrying): from then on its health counts. */
  started: boolean;
}

export class ClusterWatches {
  private readonly clusters = new Map<string, Watched>();
  private health = { connected: false, reconnectingSince: null as number | null };
  private watchdog: unknown;
  private stopped = false;

  constructor(private readonly options: ClusterWatchesOptions) {}

  get connected(): boolean {
    return this.health.connected;
  }

  get reconnectingSince(): number | null {
    return this.health.reconnectingSince;
  }

  get size(): number {
    return this.clusters.size;
  }

  has(cluster: string): boolean {
    return this.clusters.has(cluster);
  }

  /** Starts watching; resolves once the cluster has listed its pods (or failed once and is retrying). */
  async add(origin: PodOrigin, kubeConfig: KubeConfig, namespaces?: string[]): Promise<void> {
    const { options } = this;
    const pods = new Map<string, V1Pod>();
    const watch = watchPods({
      informers: options.informers(kubeConfig, namespaces),
      clock: options.clock,
      ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs }),
      sharedWatchdog: true,
      log: options.log?.child({ cluster: origin.cluster }),
      handlers: {
        upsert: (pod) => {
          const uid = pod.metadata?.uid;
          if (uid) pods.set(uid, pod);
          options.upsert(pod, origin);
        },
        delete: (pod) => {
          pods.delete(pod.metadata?.uid ?? '');
          options.delete(pod, origin);
        },
        connection: () => this.report(),
        reconnect: () => options.reconnect(),
      },
    });
    const watched: Watched = { watch, pods, started: false };
    this.clusters.set(origin.cluster, watched);
    this.armWatchdog();
    await watch.started;
    watched.started = true;
    this.report();
  }

  /** The pod `uid` of `cluster` as its watch last delivered it; undefined once deleted or never seen. */
  pod(cluster: string, uid: string): V1Pod | undefined {
    return this.clusters.get(cluster)?.pods.get(uid);
  }

  /** Stops the cluster's watch: no event of it is delivered once this is called. */
  async remove(cluster: string): Promise<void> {
    const watched = this.clusters.get(cluster);
    if (!watched) return;
    this.clusters.delete(cluster);
    const stopped = watched.watch.stop();
    this.report();
    await stopped;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.watchdog !== undefined) this.options.clock.clearTimeout(this.watchdog);
    this.watchdog = undefined;
    const watches = [...this.clusters.values()].map((w) => w.watch);
    this.clusters.clear();
    await Promise.all(watches.map((w) => w.stop()));
  }

  /** One timer checks every cluster's watch for a hang, a few times per idle timeout. */
  private armWatchdog(): void {
    if (this.watchdog !== undefined || this.stopped) return;
    const every = (this.options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS) / WATCHDOG_CHECKS_PER_IDLE_TIMEOUT;
    this.watchdog = this.options.clock.setTimeout(() => {
      this.watchdog = undefined;
      for (const { watch, started } of this.clusters.values()) if (started) watch.checkIdle();
      this.armWatchdog();
    }, every);
  }

  /** Recomputes the combined health and announces a change. */
  private report(): void {
    let connected = true;
    let since: number | null = null;
    for (const { watch, started } of this.clusters.values()) {
      if (!started || watch.connected) continue;
      connected = false;
      const lost = watch.reconnectingSince;
      if (lost !== null && (since === null || lost < since)) since = lost;
    }
    if (connected === this.health.connected && since === this.health.reconnectingSince) return;
    this.health = { connected, reconnectingSince: since };
    this.options.connection(connected, since);
  }
}
