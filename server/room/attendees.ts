// Who has joined the room: each attendee's name, a hash of their key and (sandbox room) their cluster's token, kept
// in the data dir so a restart gives every attendee the same place and keeps every kubeconfig handed out valid.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/** What the lessons need in a room: who sends a key, and the room's public URL (defined on the lessons' side). */
export type { RoomAttendees, RoomKind } from '../lessons/room.ts';

const attendeeSchema = z.object({
  name: z.string(),
  /** sha256 (hex) of the attendee's key: the key itself lives only in their browser. */
  keyHash: z.string().regex(/^[0-9a-f]{64}$/),
  /**
   * A sandbox room's: their cluster's admin bearer token, written into their kubeconfig, so it must survive restarts.
   * A namespace room has none (each download carries a fresh TokenRequest token).
   */
  clusterToken: z.string().min(16).optional(),
  joinedAt: z.string(),
  lastActivity: z.string(),
});
const fileSchema = z.object({ attendees: z.array(attendeeSchema) });

export type AttendeeRecord = z.infer<typeof attendeeSchema>;

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * The attendees, in memory and in a JSON file written by write-then-rename (a crash never leaves half a file).
 * Names are chosen by attendees, so they are Map keys: "__proto__" is an ordinary name. Activity times change on
 * almost every request, so they are written with the next join or removal and when the room closes, not each time.
 */
export class AttendeeRegistry {
  private readonly byName = new Map<string, AttendeeRecord>();
  private readonly nameByKeyHash = new Map<string, string>();

  constructor(private readonly filePath: string) {
    if (!existsSync(filePath)) return;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(filePath, 'utf8'));
    } catch (error) {
      throw new Error(
        `${filePath} is not readable JSON (${(error as Error).message}): move it away and restart`,
      );
    }
    const parsed = fileSchema.safeParse(raw);
    if (!parsed.success)
      throw new Error(`${filePath} is not a room attendees file: move it away and restart`);
    for (const record of parsed.data.attendees) this.index(record);
  }

  get size(): number {
    return this.byName.size;
  }

  get(name: string): AttendeeRecord | undefined {
    return this.byName.get(name);
  }

  /** The attendee whose name equals `name` ignoring case: "Rey" and "rey" would be one name on a screen. */
  sameNameAs(name: string): AttendeeRecord | undefined {
    const lower = name.toLowerCase();
    return [...this.byName.values()].find((record) => record.name.toLowerCase() === lower);
  }

  byKey(key: string): AttendeeRecord | undefined {
    const name = this.nameByKeyHash.get(hashKey(key));
    return name === undefined ? undefined : this.byName.get(name);
  }

  list(): AttendeeRecord[] {
    return [...this.byName.values()];
  }

  add(record: AttendeeRecord): void {
    this.index(record);
    this.save();
  }

  remove(name: string): void {
    const record = this.byName.get(name);
    if (!record) return;
    this.byName.delete(name);
    this.nameByKeyHash.delete(record.keyHash);
    this.save();
  }

  touch(name: string, at: Date): void {
    const record = this.byName.get(name);
    if (record) record.lastActivity = at.toISOString();
  }

  save(): void {
    mkdirSync(dirname(this.filePath), { recursive: true });
    const temp = `${this.filePath}.${process.pid}.tmp`;
    // The file holds cluster tokens: readable by the instructor's account only.
    writeFileSync(temp, `${JSON.stringify({ attendees: this.list() }, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, this.filePath);
  }

  private index(record: AttendeeRecord): void {
    this.byName.set(record.name, record);
    this.nameByKeyHash.set(record.keyHash, record.name);
  }
}
