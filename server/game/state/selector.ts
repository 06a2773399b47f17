// The game's label selector: the apiserver's own parser and matcher (server/sandbox/query), so the pods the game
// watches and the pods a shot may hit are selected exactly as the cluster selects them.
import {
  type LabelSelector,
  matchesLabelSelector,
  parseLabelSelector,
  SelectorParseError,
} from '../../sandbox/query/label-selector.ts';
import { GameError } from '../errors.ts';

export type { LabelSelector };

/** Parses `a=b,c!=d,e in (f,g),h notin (i),j,!k`; an unreadable selector is a configuration error. */
export function parseSelector(selector: string): LabelSelector {
  try {
    return parseLabelSelector(selector);
  } catch (error) {
    if (error instanceof SelectorParseError) {
      throw new GameError(400, `Cannot read the label selector "${selector}": ${error.message}`);
    }
    throw error;
  }
}

export const matchesSelector = matchesLabelSelector;

/** Terms that select pods by a label they have; `!canary` or `env!=prod` alone select nearly every pod. */
const POSITIVE_OPERATORS = new Set(['=', '==', 'in', 'exists']);

/**
 * The game's own selector: readable, and with at least one positive term, since every pod it selects is a target.
 */
export function parseGameSelector(selector: string): LabelSelector {
  const parsed = parseSelector(selector);
  if (!Array.isArray(parsed) || !parsed.some((term) => POSITIVE_OPERATORS.has(term.operator))) {
    throw new GameError(
      400,
      `The game's label selector "${selector}" needs at least one term a pod must carry (such as game=starwars, tier in (a,b) or player): without one it would make nearly every pod in the cluster a target.`,
    );
  }
  return parsed;
}
