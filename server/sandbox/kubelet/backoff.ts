// The kubelet's back-off, one formula for the crash loop and for image pulls: 10 s after the first failure,
// doubling per failure in a row, at most 5 min.
import type { SpeedProfile } from '../stages/speed.ts';

const BASE_MS = 10_000;
const MAX_MS = 300_000;

/** The back-off after `failures` failures in a row (at least the first step), scaled by the speed profile. */
export function backoffMs(failures: number, speed: Pick<SpeedProfile, 'timeScale'>): number {
  return unscaledMs(failures) * speed.timeScale;
}

/** The back-off as the kubelet's CrashLoopBackOff message prints it: 10s, 20s … 5m0s (unscaled, as on a node). */
export function backoffLabel(failures: number): string {
  const seconds = unscaledMs(failures) / 1000;
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${seconds % 60}s` : `${seconds}s`;
}

const unscaledMs = (failures: number) => Math.min(BASE_MS * 2 ** Math.max(failures - 1, 0), MAX_MS);
