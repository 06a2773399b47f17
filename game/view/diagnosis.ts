import type { FleetScore } from '../store/protocol-types.ts';
import { formatSeconds } from './leaderboard.ts';

/** One line that explains a fleet's round, in the order the teaching points matter. */
export function diagnose(fleet: FleetScore): string {
  const controlled = fleet.controllers.filter((k) => k !== 'Pod');
  // The server lists the controller kinds of the ships a fleet has now: once a bare pod is gone the list is
  // empty, so a hit fleet with no controller left is the bare-pod case whatever its ship count.
  if (controlled.length === 0 && fleet.hits > 0) return 'bare pod: nothing recreated it';
  if (fleet.total === 0) return 'no ship left, and nothing recreated them';
  if (controlled.length === 0) return 'bare pod: never hit, but nothing would recreate it';
  if (fleet.hits === 0)
    return `never hit: ${fleet.total} ship${fleet.total === 1 ? '' : 's'} flying untouched`;
  if (fleet.total === 1) return '1 replica: 100 % downtime per hit';
  if (!fleet.alive) return `eliminated with ${fleet.total} replicas: recovery was slower than the fire rate`;
  if (fleet.recoveryP95Ms === null)
    return `hit ${fleet.hits}× with ${fleet.total} replicas, no recovery measured yet`;
  return `recovered in ${formatSeconds(fleet.recoveryP95Ms)} p95 with ${fleet.total} replicas`;
}
