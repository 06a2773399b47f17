import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

const completionSchema = z.object({ completedAt: z.string() });
const progressFileSchema = z.object({ attendees: z.record(z.string(), z.record(z.string(), completionSchema)) });

export type ProgressGrid = z.infer<typeof progressFileSchema>;

/**
 * Which attendee completed which step: kept in memory, saved to a JSON file by write-then-rename so a crash
 * never leaves a half-written file. `now` is injected so tests control the timestamps. Names are chosen by
 * attendees, so they are kept in Maps: a name like "__proto__" stays an ordinary key.
 */
export class ProgressStore {
  private readonly attendees = new Map<string, Map<string, string>>();

  constructor(
    private readonly filePath: string,
    private readonly now: () => Date = () => new Date(),
  ) {
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
  complete(attendee: string, step: string): void {
    let steps = this.attendees.get(attendee);
    if (!steps) this.attendees.set(attendee, (steps = new Map()));
    if (steps.has(step)) return;
    steps.set(step, this.now().toISOString());
    this.save();
  }

  /** One attendee's completed steps (none for a name never seen). */
  stepsOf(attendee: string): ProgressGrid['attendees'][string] {
    return completions(this.attendees.get(attendee));
  }

  snapshot(): ProgressGrid {
    // Object.fromEntries defines own properties, so every name comes out as data whatever it is.
    return {
      attendees: Object.fromEntries([...this.attendees].map(([attendee, steps]) => [attendee, completions(steps)])),
    };
  }

  private save(): void {
    mkdirSync(dirname(this.filePath), { recursive: true });
    const temp = `${this.filePath}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(this.snapshot(), null, 2));
    renameSync(temp, this.filePath);
  }
}

function completions(steps: Map<string, string> | undefined): ProgressGrid['attendees'][string] {
  return Object.fromEntries([...(steps ?? [])].map(([step, completedAt]) => [step, { completedAt }]));
}
