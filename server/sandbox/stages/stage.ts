// kwok-style stages: behaviour as data. A stage matches an object, waits, then yields an effect; it never names
// the stage after it — the effect changes the object, the watch fires again and whichever stage matches runs next.
import type { EventSpec } from '../controllers/events.ts';
import type { RandomSource } from '../../random.ts';

export interface StageEffect {
  /** The object's whole new status (written through the status subresource). */
  status?: Record<string, unknown>;
  events?: EventSpec[];
  /** Remove the object (grace period 0): the end of a pod's termination. */
  delete?: boolean;
}

export interface Stage<T, C> {
  name: string;
  matches(object: T, context: C): boolean;
  /** Milliseconds to wait before the effect, jitter included (drawn from context's random source). */
  delayMs(object: T, context: C): number;
  /** Relative chance among matching stages; 1 when omitted. */
  weight?: number;
  effect(object: T, context: C): StageEffect;
}

/** The stage to run next: among those that match, one drawn by weight (as kwok does). */
export function selectStage<T, C>(
  stages: readonly Stage<T, C>[],
  object: T,
  context: C,
  random: RandomSource,
): Stage<T, C> | undefined {
  const matching = stages.filter((stage) => stage.matches(object, context));
  if (matching.length <= 1) return matching[0];
  const total = matching.reduce((sum, stage) => sum + (stage.weight ?? 1), 0);
  let draw = random() * total;
  for (const stage of matching) {
    draw -= stage.weight ?? 1;
    if (draw < 0) return stage;
  }
  return matching[matching.length - 1];
}
