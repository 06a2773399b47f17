import type { FleetScore } from '../store/protocol-types.ts';
import { formatSeconds } from './leaderboard.ts';
import { words } from '../i18n/language.ts';
import { formatNumber } from '../i18n/format.ts';

/** One line that explains a fleet's round, in the order the teaching points matter. */
export function diagnose(fleet: FleetScore): string {
  const t = words().instructor.diagnosis;
  const replicas = formatNumber(fleet.total);
  const controlled = fleet.controllers.filter((k) => k !== 'Pod');
  // The server lists the controller kinds of the ships a fleet has now: once a bare pod is gone the list is
  // empty, so a hit fleet with no controller left is the bare-pod case whatever its ship count.
  if (controlled.length === 0 && fleet.hits > 0) return t.barePodHit;
  if (fleet.total === 0) return t.noShipLeft;
  if (controlled.length === 0) return t.barePodUntouched;
  if (fleet.hits === 0) return t.neverHit(fleet.total, replicas);
  if (fleet.total === 1) return t.oneReplica;
  if (!fleet.alive) return t.eliminated(replicas);
  if (fleet.recoveryP95Ms === null) return t.noRecoveryYet(formatNumber(fleet.hits), replicas);
  return t.recovered(formatSeconds(fleet.recoveryP95Ms), replicas);
}
