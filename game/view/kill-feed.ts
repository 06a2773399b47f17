import type { FeedEvent } from '../store/live-game-state.ts';
import type { RecoveryEvent, ShotEvent } from '../store/protocol-types.ts';
import { words } from '../i18n/language.ts';
import { formatSeconds } from '../i18n/format.ts';

/** Kill-feed line for a shot; the fleet and pod names are user input and are only ever rendered as text. */
export function shotLine(shot: ShotEvent): string {
  const t = words().feed;
  const target = `${shot.fleet} / ${shot.name}`;
  // The reason is the server's or the cluster's own words, quoted as they came.
  if (shot.outcome === 'refused') return t.refused(target, shot.reason ?? t.noReason);
  if (shot.outcome === 'missed') return t.missed(target);
  return shot.dryRun ? t.dryRun(target) : t.hit(target);
}

/** Kill-feed line for a fleet that got back to its flying count after a hit. */
export function recoveryLine(recovery: RecoveryEvent): string {
  return words().feed.recovered(recovery.fleet, formatSeconds(recovery.ms));
}

export function feedLine(event: FeedEvent): string {
  return event.kind === 'shot' ? shotLine(event.shot) : recoveryLine(event.recovery);
}

/** Refused and dry-run shots show a shield flash instead of an explosion. */
export function isShieldFlash(shot: ShotEvent): boolean {
  return shot.outcome === 'refused' || shot.dryRun;
}
