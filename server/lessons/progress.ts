import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { systemClock, type Clock } from '../clock.ts';
import { logger } from '../log.ts';

const completionSchema = z.object({ completedAt: z.string() });
const progressFileSchema = z.object({ attendees: z.record(z.string(), z.record(z.string(), completionSchema)) });

export type ProgressGrid = z.infer<typeof progressFileSchema>;

/** What `complete` did: recorded the step, had it already, or refused a new attendee because the list is full. */
export type Completion = 'recorded' | 'known' | 'full';

export interface ProgressStoreOptions {
  /** Completion times; injected so tests control them. */
  now?: () => Date;
  /** Runs the delayed save; a fake clock lets tests decide when it happens. */
  clock?: Clock;
  /** Completions within this delay are saved in one write, off the request that made them. */
  saveDelayMs?: number;
  /** How many attendees the store may hold: names are chosen by whoever sends a check, so the file stays bounded. */
  maxAttendees?: number;
}

/**
 * Which attendee completed which step: kept in memory, saved to a JSON file a moment after it changes (one write for
 * many completions, never on the request path), by write-then-rename so a crash never leaves a half-written file.
 * Names are chosen by attendees, so they are kept in Maps: a name like "__proto__" stays an ordinary key.
 */
export class ProgressStore {
  private readonly attendees = new Map<string, Map<string, string>>();
  private readonly now: () => Date;
  private readonly clock: Clock;
  private readonly saveDelayMs: number;
  private readonly maxAttendees: number;
  private dirty = false;
  private timer: unknown;
  // Writes run one after another, so an older snapshot never lands after a newer one.
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly filePath: string,
    options: ProgressStoreOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.clock = options.clock ?? systemClock;
    this.saveDelayMs = options.saveDelayMs ?? 1000;
    this.maxAttendees = options.maxAttendees ?? 500;
    if (!existsSync(filePath)) return;
    const raw: unknown = JSON.parse(readFileSync(filePath, 'utf8'));
    if (!progressFileSchema.safeParse(raw).success) {
      throw new Error(`${filePath} is not a progress file: move it away and restart`);
    }
    // Entries are read from the parsed JSON itself: JSON.parse keeps "__proto__" as an own key, a schema copy would not.
    const file = raw as ProgressGrid;
    for (const [attendee, steps] of Object.entries(file.attendees)) {
      this.attendees.set(attendee, new Map(Object.entries(steps).map(([step, done]) => [step, done.completedAt])));
    }
  }

  /** Records a completed step; the first completion time is kept when a learner checks again. */
  complete(attendee: string, step: string): Completion {
    let steps = this.attendees.get(attendee);
    if (!steps) {
      if (this.attendees.size >= this.maxAttendees) return 'full';
      this.attendees.set(attendee, (steps = new Map()));
    }
    if (steps.has(step)) return 'known';
    steps.set(step, this.now().toISOString());
    this.dirty = true;
    this.timer ??= this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.saveDelayMs);
    return 'recorded';
  }

  /** One attendee's completed steps (none for a name never seen). */
  stepsOf(attendee: string): ProgressGrid['attendees'][string] {
    return completions(this.attendees.get(attendee));
  }

  /** How many steps an attendee completed (0 for a name never seen). */
  stepsDone(attendee: string): number {
    return this.attendees.get(attendee)?.size ?? 0;
  }

  snapshot(): ProgressGrid {
    // Object.fromEntries defines own properties, so every name comes out as data whatever it is.
    return {
      attendees: Object.fromEntries([...this.attendees].map(([attendee, steps]) => [attendee, completions(steps)])),
    };
  }

  /** Saves what changed now instead of after the delay; resolves once it is on disk (on shutdown, in tests). */
  flush(): Promise<void> {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.writes = this.writes.then(() => this.save());
    return this.writes;
  }

  private async save(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    const temp = `${this.filePath}.${process.pid}.tmp`;
    try {
      await mkdir(dirname(this.filePath), { recursive: true });
      await writeFile(temp, JSON.stringify(this.snapshot(), null, 2));
      await rename(temp, this.filePath);
    } catch (error) {
      // A full disk must not end the workshop: the grid stays in memory and the next completion tries again.
      this.dirty = true;
      logger.error({ err: error, file: this.filePath }, 'saving the lessons progress failed');
    }
  }
}

function completions(steps: Map<string, string> | undefined): ProgressGrid['attendees'][string] {
  return Object.fromEntries([...(steps ?? [])].map(([step, completedAt]) => [step, { completedAt }]));
}
