// The room: attendees join by name and each gets a place of their own (a virtual cluster on the sandbox host, or a
// namespace of the instructor's cluster: AttendeePlaces), watched by the game as their fleet; the instructor lists and
// removes them. The HTTP contract lives in routes.ts.
import { randomBytes } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../log.ts';
import { type Clock, systemClock } from '../clock.ts';
import {
  type AttendeeRecord,
  type AttendeeRegistry,
  hashKey,
  type RoomAttendees,
  type RoomKind,
} from './attendees.ts';
import { attendeeNameProblem, isReservedName, suggestName } from './names.ts';

/** Where an attendee works: a virtual cluster on the sandbox host, or a namespace of a shared cluster. */
export interface AttendeePlaces {
  readonly kind: RoomKind;
  /** Whether each attendee's record carries a cluster token of its own (a sandbox room's kubeconfigs hold it). */
  readonly needsClusterToken: boolean;
  /** Makes the attendee's place, or after a restart finds it again; ready for kubectl when this resolves. */
  open(record: AttendeeRecord): Promise<OpenedPlace>;
  /** The kubeconfig the attendee downloads, at the room's public address. */
  kubeconfig(name: string): Promise<string>;
  /** Deletes the attendee's place: their credentials stop working. */
  close(name: string): Promise<void>;
  /** Stops what the places keep running (token renewals) when the room closes. */
  stop?(): void;
}

export interface OpenedPlace {
  /** The lesson checks' way in: the attendee's own rights, reached from this machine. */
  kubeConfig: KubeConfig;
  /** What the game watches: a cluster, and in a namespace room only the attendee's namespace of it. */
  game: { kubeConfig: KubeConfig; namespaces?: string[] };
}

/** The part of the game engine the room uses: one fleet per attendee cluster. */
export interface RoomGame {
  addCluster(cluster: {
    id: string;
    fleet: string;
    kubeConfig: KubeConfig;
    namespaces?: string[];
  }): Promise<void>;
  removeCluster(id: string): Promise<void>;
  fleet(name: string): { flying: number; total: number } | undefined;
}

export interface RoomOptions {
  registry: AttendeeRegistry;
  places: AttendeePlaces;
  game: RoomGame;
  /** Lesson steps an attendee has completed (the lessons feature's progress). */
  stepsDone(name: string): number;
  /** http(s)://<public address>:<web port>, known once the web server listens. */
  publicBaseUrl: () => string;
  maxAttendees: number;
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

const newSecret = () => randomBytes(24).toString('base64url');

export class Room implements RoomAttendees {
  /** Each present attendee's way in for the lesson checks. */
  private readonly checks = new Map<string, KubeConfig>();
  /** Names (lower-cased) whose join is under way: taken for anyone else, counted against the limit. */
  private readonly joining = new Set<string>();
  private readonly clock: Clock;

  constructor(private readonly options: RoomOptions) {
    this.clock = options.clock ?? systemClock;
  }

  get publicBaseUrl(): string {
    return this.options.publicBaseUrl();
  }

  get kind(): RoomKind {
    return this.options.places.kind;
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
      return { status: 200, name: holder.name, key, kubeconfig: await this.attendeeKubeconfig(holder.name) };
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
        ...(this.options.places.needsClusterToken ? { clusterToken: newSecret() } : {}),
        joinedAt: now,
        lastActivity: now,
      };
      // The game's watch is left to settle on its own: the attendee is waiting for a kubeconfig, not for it.
      void (await this.startCluster(record)).watching;
      registry.add(record);
      this.options.log?.info({ attendee: name, attendees: registry.size }, 'attendee joined the room');
      return { status: 201, name, key: newKey, kubeconfig: await this.attendeeKubeconfig(name) };
    } finally {
      this.joining.delete(name.toLowerCase());
    }
  }

  /** The kubeconfig an attendee downloads (in a namespace room with a fresh token). */
  attendeeKubeconfig(name: string): Promise<string> {
    if (!this.checks.has(name)) throw new RoomError(404, `No attendee named "${name}" in this room.`);
    return this.options.places.kubeconfig(name);
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
    const kubeConfig = record && this.checks.get(record.name);
    if (!record || !kubeConfig) return undefined;
    this.touch(record.name);
    return { name: record.name, kubeConfig };
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

  /**
   * Removes an attendee: their key stops working at once, their fleet leaves the battle, their cluster or namespace
   * is deleted.
   */
  async remove(name: string): Promise<void> {
    if (!this.has(name)) throw new RoomError(404, `No attendee named "${name}" in this room.`);
    this.options.registry.remove(name);
    this.checks.delete(name);
    const { game, places, log } = this.options;
    // Each step is tried even when another fails: a half-removed attendee must not keep a token or a fleet.
    const steps = await Promise.allSettled([game.removeCluster(name), places.close(name)]);
    const failed = steps.find((step): step is PromiseRejectedResult => step.status === 'rejected');
    for (const step of steps) {
      if (step.status === 'rejected')
        log?.error({ err: step.reason, attendee: name }, 'attendee removal step failed');
    }
    if (failed) throw failed.reason;
    log?.info({ attendee: name, attendees: this.options.registry.size }, 'attendee removed from the room');
  }

  /** Removes every attendee (the instructor's "End room"); returns their names. */
  async end(): Promise<string[]> {
    const names = this.options.registry.list().map((record) => record.name);
    for (const name of names) await this.remove(name);
    this.options.log?.info({ removed: names.length }, 'the room was ended');
    return names;
  }

  /** Writes the activity times kept in memory. */
  close(): void {
    this.options.places.stop?.();
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
   * Makes (or finds again) the attendee's place, ready for kubectl when this resolves, and starts the game watching
   * it. The watch's first list takes a few hundred milliseconds on a busy host and a new place has no ships yet, so
   * nobody waits for it: `watching` settles when the game has the place.
   */
  private async startCluster(record: AttendeeRecord): Promise<{ watching: Promise<void> }> {
    const { places, game } = this.options;
    const opened = await places.open(record);
    this.checks.set(record.name, opened.kubeConfig);
    const watching = game
      .addCluster({ id: record.name, fleet: record.name, ...opened.game })
      .catch((error) => {
        // The attendee keeps their place for the lessons; only the battle screen misses their fleet.
        this.options.log?.error(
          { err: error, attendee: record.name },
          "the game cannot watch an attendee's cluster",
        );
      });
    return { watching };
  }
}
