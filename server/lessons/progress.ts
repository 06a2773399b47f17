import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

const progressFileSchema = z.object({
  attendees: z.record(z.string(), z.record(z.string(), z.object({ completedAt: z.string() }))),
});

export type ProgressGrid = z.infer<typeof progressFileSchema>;

/**
 * Which attendee completed which step: kept in memory, saved to a JSON file by write-then-rename so a crash
 * never leaves a half-written file. `now` is injected so tests control the timestamps.
 */
export class ProgressStore {
  private grid: ProgressGrid = { attendees: {} };

  constructor(
    private readonly filePath: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    if (existsSync(filePath)) {
      const parsed = progressFileSchema.safeParse(JSON.parse(readFileSync(filePath, 'utf8')));
      if (!parsed.success) throw new Error(`${filePath} is not a progress file: move it away and restart`);
      this.grid = parsed.data;
    }
  }

  /** Records a completed step; the first completion time is kept when a learner checks again. */
  complete(attendee: string, step: string): void {
    const steps = (this.grid.attendees[attendee] ??= {});
    if (steps[step]) return;
    steps[step] = { completedAt: this.now().toISOString() };
    this.save();
  }

  snapshot(): ProgressGrid {
    return structuredClone(this.grid);
  }

  private save(): void {
    mkdirSync(dirname(this.filePath), { recursive: true });
    const temp = `${this.filePath}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(this.grid, null, 2));
    renameSync(temp, this.filePath);
  }
}
