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
