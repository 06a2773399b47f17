// Where the room keeps its files: the attendees beside the game's data, each attendee cluster's objects beside the
// main cluster's state file (`--state sandbox.json` → `sandbox-attendees/rey.json`).
import { basename, dirname, extname, join } from 'node:path';

export function attendeesFile(dataDir: string): string {
  return join(dataDir, 'room-attendees.json');
}

export function attendeeStatePath(mainStatePath: string, name: string): string {
  const folder = `${basename(mainStatePath, extname(mainStatePath))}-attendees`;
  return join(dirname(mainStatePath), folder, `${name}.json`);
}
