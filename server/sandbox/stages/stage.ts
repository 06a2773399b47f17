// kwok-style stages: behaviour as data. A stage selects its target in an object (or nothing: it does not match),
// waits, then returns an effect; it never names the stage after it — the effect changes the object, the watch fires
// again and whichever stage matches runs next.
import type { EventSpec } from '../controllers/events.ts';
import type { RandomSource } from '../../random.ts';

export interface StageEffect {
  /** The object's whole new status (written through the status subresource). */
  status?: Record<string, unknown>;
  events?: EventSpec[];
  /** Remove the object (grace period 0): the end of a pod's termination. */
  delete?: boolean;
}

/** A row as written: its target is found once by `select`, and its delay and effect get that target. */
export interface StageRow<T, C, Target, E extends StageEffect = StageEffect> {
  name: string;
  /** The row's target in `object` (e.g. the container it acts on); undefined when the row does not match. */
  select(object: T, context: C): Target | undefined;
  /** Milliseconds to wait before the effect, jitter included (drawn from context's random source). */
  delayMs(target: Target, context: C): number;
  /** Relative chance among matching stages; 1 when omitted. */
  weight?: number;
  /** What happens: data only, applied by whoever runs the table. */
  effect(target: Target, context: C): E;
}

/** A selected target with its row's delay and effect bound to it. */
export interface Selection<C, E extends StageEffect> {
  target: unknown;
  delayMs(context: C): number;
  effect(context: C): E;
}

/** A row with its target type hidden, so rows with different targets share one table. */
export interface Stage<T, C, E extends StageEffect = StageEffect> {
  name: string;
  weight?: number;
  select(object: T, context: C): Selection<C, E> | undefined;
}

export function stage<T, C, Target, E extends StageEffect>(row: StageRow<T, C, Target, E>): Stage<T, C, E> {
  return {
    name: row.name,
    ...(row.weight !== undefined ? { weight: row.weight } : {}),
    select(object, context) {
      const target = row.select(object, context);
      if (target === undefined) return undefined;
      return {
        target,
        delayMs: (at) => row.delayMs(target, at),
        effect: (at) => row.effect(target, at),
      };
    },
  };
}

/** The stage to run next with its selection: among those that match, one drawn by weight (as kwok does). */
export function selectStage<T, C, E extends StageEffect>(
  stages: readonly Stage<T, C, E>[],
  object: T,
  context: C,
  random: RandomSource,
): { stage: Stage<T, C, E>; selection: Selection<C, E> } | undefined {
  const matching = stages.flatMap((stage) => {
    const selection = stage.select(object, context);
    return selection ? [{ stage, selection }] : [];
  });
  if (matching.length <= 1) return matching[0];
  const total = matching.reduce((sum, { stage }) => sum + (stage.weight ?? 1), 0);
  let draw = random() * total;
  for (const match of matching) {
    draw -= match.stage.weight ?? 1;
    if (draw < 0) return match;
  }
  return matching[matching.length - 1];
}
