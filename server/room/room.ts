// The room: attendees join by name and each gets a virtual cluster of their own on the sandbox host, watched by the
// game as their fleet; the instructor lists and removes them. The HTTP contract lives in routes.ts.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../log.ts';
import { type Clock, systemClock } from '../clock.ts';
import { type AttendeeRecord, type AttendeeRegistry, hashKey, type RoomAttendees } from './attendees.ts';
import { attendeeNameProblem, isReservedName, suggestName } from './names.ts';

/**
 * Objects an attendee cluster may hold (Events aside): every lesson together needs a few hundred; a script looping
 * over creates hits this wall instead of the room's memory.
 */
export const ATTENDEE_OBJECT_LIMIT = 2000;

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

/** The part of the game engine the room uses: one fleet per attendee cluster. */
export interface RoomGame {
  addCluster(cluster: { id: string; fleet: string; kubeConfig: KubeConfig }): Promise<void>;
  removeCluster(id: string): Promise<void>;
  fleet(name: string): { flying: number; total: number } | undefined;
}

export interface RoomOptions {
  registry: AttendeeRegistry;
  host: RoomHost;
  game: RoomGame;
  /** Lesson steps an attendee has completed (the lessons feature's progress). */
  stepsDone(name: string): number;
  /** Host name or IP written into attendee kubeconfigs. */
  publicAddress: string;
  /** http(s)://<public address>:<web port>, known once the web server listens. */
  publicBaseUrl: () => string;
  maxAttendees: number;
  cluster: AttendeeClusterShape;
  /** Where an attendee cluster's objects are kept across restarts (with --state); none otherwise. */
  statePathOf?: (name: string) => string;
  clock?: Clock;
  log?: Logger;
}

/** A request the room refuses: the web layer answers `status` with `{"error": message}` (and a suggestion). */
export class RoomError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 503,
    message: string,
    readonly suggestion?: string,
  ) {
    super(message);
    this.name = 'RoomError';
  }
}

export interface Joined {
  /** 201: a new attendee; 200: the same attendee again (they sent their key). */
  status: 200 | 201;
  name: string;
  key: string;
  kubeconfig: string;
}

export interface AttendeeView {
  name: string;
  joinedAt: string;
  lastActivity: string;
  flying: number;
  total: number;
  stepsDone: number;
}

interface LiveCluster {
  cluster: RoomCluster;
  /** The platform's own way in (the listen address), for the game and the lesson checks. */
  kubeConfig: KubeConfig;
}

const newSecret = () => randomBytes(24).toString('base64url');

export class Room implements RoomAttendees {
  readonly kind = 'sandbox';
  private readonly clusters = new Map<string, LiveCluster>();
  /** Names (lower-cased) whose join is under way: taken for anyone else, counted against the limit. */
  private readonly joining = new Set<string>();
  private readonly clock: Clock;

  constructor(private readonly options: RoomOptions) {
    this.clock = options.clock ?? systemClock;
  }

  get publicBaseUrl(): string {
    return this.options.publicBaseUrl();
  }

  get maxAttendees(): number {
    return this.options.maxAttendees;
  }

  get size(): number {
    return this.options.registry.size;
  }

  /**
   * Brings back every attendee's cluster after a restart, with the token their kubeconfig already holds, and
   * resolves once the game watches them all (their ships are on the battle screen from the first snapshot).
   */
  async restore(): Promise<void> {
    const watches: Promise<void>[] = [];
    for (const record of this.options.registry.list()) {
      try {
        watches.push((await this.startCluster(record)).watching);
      } catch (error) {
        throw new Error(
          `Cannot bring back the cluster of attendee "${record.name}": ${(error as Error).message}`,
          { cause: error },
        );
      }
    }
    await Promise.all(watches);
  }

  /** Joins `name`; with the key of the attendee who holds that name, the same attendee again. */
  async join(name: string, key?: string): Promise<Joined> {
    const problem = attendeeNameProblem(name);
    if (problem !== undefined) throw new RoomError(400, problem);
    const { registry } = this.options;
    const holder = registry.sameNameAs(name);
    if (holder && key !== undefined && hashKey(key) === holder.keyHash) {
      this.touch(holder.name);
      return { status: 200, name: holder.name, key, kubeconfig: this.attendeeKubeconfig(holder.name) };
    }
    if (holder || isReservedName(name) || this.joining.has(name.toLowerCase())) {
      const suggestion = suggestName(name, (candidate) => this.isFree(candidate));
      throw new RoomError(
        409,
        `The name "${name}" is taken: choose another, such as "${suggestion}".`,
        suggestion,
      );
    }
    if (registry.size + this.joining.size >= this.options.maxAttendees) {
      throw new RoomError(
        503,
        `The room is full: all ${this.options.maxAttendees} places are taken. Ask the instructor to make room for you.`,
      );
    }
    this.joining.add(name.toLowerCase());
    try {
      const newKey = newSecret();
      const now = new Date(this.clock.now()).toISOString();
      const record: AttendeeRecord = {
        name,
        keyHash: hashKey(newKey),
        clusterToken: newSecret(),
        joinedAt: now,
        lastActivity: now,
      };
      // The game's watch is left to settle on its own: the attendee is waiting for a kubeconfig, not for it.
      void (await this.startCluster(record)).watching;
      registry.add(record);
      this.options.log?.info({ attendee: name, attendees: registry.size }, 'attendee joined the room');
      return { status: 201, name, key: newKey, kubeconfig: this.attendeeKubeconfig(name) };
    } finally {
      this.joining.delete(name.toLowerCase());
    }
  }

  /** The kubeconfig an attendee downloads: their cluster at the room's public address. */
  attendeeKubeconfig(name: string): string {
    const live = this.clusters.get(name);
    if (!live) throw new RoomError(404, `No attendee named "${name}" in this room.`);
    return live.cluster.kubeconfig({
      server: this.options.host.url(this.options.publicAddress),
      contextName: `kubewars-${name}`,
      namespace: 'default',
    });
  }

  has(name: string): boolean {
    return this.options.registry.get(name) !== undefined;
  }

  /** Whether `key` is the key of attendee `name`. */
  keyOf(name: string, key: string): boolean {
    return this.options.registry.byKey(key)?.name === name;
  }

  byKey(key: string): { name: string; kubeConfig: KubeConfig } | undefined {
    const record = this.options.registry.byKey(key);
    const live = record && this.clusters.get(record.name);
    if (!record || !live) return undefined;
    this.touch(record.name);
    return { name: record.name, kubeConfig: live.kubeConfig };
  }

  touch(name: string): void {
    this.options.registry.touch(name, new Date(this.clock.now()));
  }

  list(): AttendeeView[] {
    return this.options.registry.list().map((record) => {
      const fleet = this.options.game.fleet(record.name) ?? { flying: 0, total: 0 };
      return {
        name: record.name,
        joinedAt: record.joinedAt,
        lastActivity: record.lastActivity,
        flying: fleet.flying,
        total: fleet.total,
        stepsDone: this.options.stepsDone(record.name),
      };
    });
  }

  /** Removes an attendee: their key stops working at once, their fleet leaves the battle, their cluster is deleted. */
  async remove(name: string): Promise<void> {
    if (!this.has(name)) throw new RoomError(404, `No attendee named "${name}" in this room.`);
    this.options.registry.remove(name);
    this.clusters.delete(name);
    const { game, host, log } = this.options;
    // Each step is tried even when another fails: a half-removed attendee must not keep a token or a fleet.
    const steps = await Promise.allSettled([game.removeCluster(name), host.removeCluster(name)]);
    for (const step of steps) {
      if (step.status === 'rejected')
        log?.error({ err: step.reason, attendee: name }, 'attendee removal step failed');
    }
    const statePath = this.options.statePathOf?.(name);
    if (statePath) rmSync(statePath, { force: true });
    log?.info({ attendee: name, attendees: this.options.registry.size }, 'attendee removed from the room');
  }

  /** Writes the activity times kept in memory. */
  close(): void {
    this.options.registry.save();
  }

  private isFree(name: string): boolean {
    return (
      this.options.registry.sameNameAs(name) === undefined &&
      !isReservedName(name) &&
      !this.joining.has(name.toLowerCase())
    );
  }

  /**
   * Adds the attendee's cluster to the host (ready for kubectl when this resolves) and starts the game watching it.
   * The watch's first list takes a few hundred milliseconds on a busy host and a new cluster has no ships yet, so
   * nobody waits for it: `watching` settles when the game has the cluster.
   */
  private async startCluster(record: AttendeeRecord): Promise<{ watching: Promise<void> }> {
    const { host, game, cluster: shape } = this.options;
    const statePath = this.options.statePathOf?.(record.name);
    const cluster = await host.addCluster(record.name, {
      ...shape,
      token: record.clusterToken,
      // With its objects kept, the key its ServiceAccount tokens are signed with is kept too.
      ...(statePath ? { statePath, serviceAccountKeyPath: `${statePath}.sa.key` } : {}),
    });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(
      cluster.kubeconfig({ server: host.url(), contextName: `kubewars-${record.name}` }),
    );
    this.clusters.set(record.name, { cluster, kubeConfig });
    const watching = game.addCluster({ id: record.name, fleet: record.name, kubeConfig }).catch((error) => {
      // The attendee keeps their cluster for the lessons; only the battle screen misses their fleet.
      this.options.log?.error(
        { err: error, attendee: record.name },
        "the game cannot watch an attendee's cluster",
      );
    });
    return { watching };
  }
}
