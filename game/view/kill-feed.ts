import type { FeedEvent } from '../store/live-game-state.ts';
import type { RecoveryEvent, ShotEvent } from '../store/protocol-types.ts';

/** Kill-feed line for a shot; the fleet and pod names are user input and are only ever rendered as text. */
export function shotLine(shot: ShotEvent): string {
  const target = `${shot.fleet} / ${shot.name}`;
  if (shot.outcome === 'refused') return `shield: ${target} refused (${shot.reason ?? 'no reason given'})`;
  if (shot.outcome === 'missed') return `missed: ${target} was already gone`;
  return shot.dryRun ? `dry run: ${target} would be hit` : `hit: ${target}`;
}

/** Kill-feed line for a fleet that got back to its flying count after a hit. */
export function recoveryLine(recovery: RecoveryEvent): string {
  return `recovered: ${recovery.fleet} in ${(recovery.ms / 1000).toFixed(1)} s`;
}

export function feedLine(event: FeedEvent): string {
  return event.kind === 'shot' ? shotLine(event.shot) : recoveryLine(event.recovery);
}

/** Refused and dry-run shots show a shield flash instead of an explosion. */
export function isShieldFlash(shot: ShotEvent): boolean {
  return shot.outcome === 'refused' || shot.dryRun;
}
