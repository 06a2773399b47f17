// Who gets shot next and when: pure functions of the ships, the settings and a random source.
import { GameError } from '../errors.ts';
import type { ChaosSettings, ChaosUpdate, Ship } from '../protocol.ts';
import type { RandomSource } from '../../random.ts';

export const DEFAULT_CHAOS: ChaosSettings = {
  auto: false,
  intervalSeconds: 5,
  jitter: 0.2,
  fair: false,
  dryRun: false,
  budgetPerMinute: 60,
  weapon: 'delete',
  gracePeriodSeconds: null,
  paused: false,
  halted: false,
  capitalShips: { enabled: false, hitsToDestroy: 20, propagationPolicy: 'Orphan' },
};

/** Applies a partial update after checking every value; a bad value changes nothing. */
export function mergeChaos(current: ChaosSettings, update: ChaosUpdate): ChaosSettings {
  const next: ChaosSettings = {
    ...current,
    ...update,
    capitalShips: { ...current.capitalShips, ...update.capitalShips },
  };
  const bad = (message: string) => new GameError(400, message);
  if (!(next.intervalSeconds >= 0.05 && next.intervalSeconds <= 3600)) {
    throw bad('intervalSeconds must be between 0.05 and 3600.');
  }
  if (!(next.jitter >= 0 && next.jitter <= 1)) throw bad('jitter must be between 0 and 1.');
  if (!(Number.isInteger(next.budgetPerMinute) && next.budgetPerMinute >= 0)) {
    throw bad('budgetPerMinute must be a whole number, 0 or more.');
  }
  if (next.weapon !== 'delete' && next.weapon !== 'evict') throw bad('weapon must be "delete" or "evict".');
  const grace = next.gracePeriodSeconds;
  if (!(grace === null || (Number.isInteger(grace) && grace >= 0))) {
    throw bad("gracePeriodSeconds must be a whole number, 0 or more, or null for the pod's own.");
  }
  if (!(Number.isInteger(next.capitalShips.hitsToDestroy) && next.capitalShips.hitsToDestroy >= 1)) {
    throw bad('capitalShips.hitsToDestroy must be a whole number, 1 or more.');
  }
  if (!['Orphan', 'Background', 'Foreground'].includes(next.capitalShips.propagationPolicy)) {
    throw bad('capitalShips.propagationPolicy must be Orphan, Background or Foreground.');
  }
  return next;
}

/** Milliseconds until the next automatic shot: interval × (1 ± jitter). */
export function nextDelayMs(
  settings: Pick<ChaosSettings, 'intervalSeconds' | 'jitter'>,
  random: RandomSource,
) {
  const factor = 1 + settings.jitter * (2 * random() - 1);
  return Math.max(1, Math.round(settings.intervalSeconds * 1000 * factor));
}

/**
 * A flying ship outside the protected namespaces, uniformly; with `fair`, a fleet first (uniformly among fleets
 * with a flying ship) then one of its flying ships. Undefined when nothing flies.
 */
export function chooseTarget(
  ships: Iterable<Ship>,
  options: { fair: boolean; isProtected: (namespace: string) => boolean },
  random: RandomSource,
): Ship | undefined {
  const targets = [...ships].filter((s) => s.state === 'flying' && !options.isProtected(s.namespace));
  if (targets.length === 0) return undefined;
  if (!options.fair) return pick(targets, random);
  const fleets = [...new Set(targets.map((s) => s.fleet))].sort();
  const fleet = pick(fleets, random);
  return pick(
    targets.filter((s) => s.fleet === fleet),
    random,
  );
}

function pick<T>(items: readonly T[], random: RandomSource): T | undefined {
  return items[Math.min(items.length - 1, Math.floor(random() * items.length))];
}

/** Why a shot past the minute's kill budget was refused (the archive counts these instead of storing each). */
export const BUDGET_REASON = 'kill budget for this minute used up';

/** Shots fired in the last minute: the kill budget. */
export class ShotBudget {
  /** In the order they were taken: the ones a minute old are at the front. */
  private readonly times: number[] = [];

  /** Takes one shot from the budget, or returns false when the last minute used it all. */
  take(limit: number, now: number): boolean {
    let expired = 0;
    while (expired < this.times.length && now - (this.times[expired] as number) >= 60_000) expired++;
    // Only what left the minute is dropped: a large budget's minute is not copied on every shot.
    if (expired > 0) this.times.splice(0, expired);
    if (this.times.length >= limit) return false;
    this.times.push(now);
    return true;
  }
}
