// The label selector grammar as apimachinery lexes and parses it, with its error texts, so a client sees the
// message a real apiserver gives (`unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt`).
import { goJson } from '../validation/causes.ts';
import { labelValueErrors, qualifiedNameErrors } from '../validation/names.ts';
import type { Operator, Requirement } from './label-selector.ts';

export class SelectorParseError extends Error {}

type Token = 'end' | 'identifier' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'in' | 'notin';

const symbolTokens = new Set<string>(['(', ')', ',', '!', '=', '==', '!=', '>', '<']);
const isSpecial = (char: string) => '=!(),><'.includes(char);
const isSpace = (char: string) => char === ' ' || char === '\t' || char === '\r' || char === '\n';

interface Item {
  token: Token;
  literal: string;
}

/** Go reads bytes until a NUL, which it takes for the end of the string. */
function lex(text: string): Item[] {
  const end = text.indexOf('\0') < 0 ? text.length : text.indexOf('\0');
  const items: Item[] = [];
  let position = 0;
  for (;;) {
    while (position < end && isSpace(text[position] as string)) position++;
    if (position >= end) {
      items.push({ token: 'end', literal: '' });
      return items;
    }
    const start = position;
    if (isSpecial(text[position] as string)) {
      // The longest run of symbols that is still one operator: `!=`, `==`, else one character.
      let literal = text[position] as string;
      position++;
      while (position < end && symbolTokens.has(literal + (text[position] as string))) {
        literal += text[position] as string;
        position++;
      }
      items.push({ token: literal as Token, literal });
      continue;
    }
    while (position < end && !isSpecial(text[position] as string) && !isSpace(text[position] as string)) {
      position++;
    }
    const literal = text.slice(start, position);
    items.push({ token: literal === 'in' || literal === 'notin' ? literal : 'identifier', literal });
  }
}

const binaryOperators = 'in, notin, =, ==, !=, gt, lt';
const operatorOf: Partial<Record<Token, Operator>> = {
  in: 'in',
  notin: 'notin',
  '=': '=',
  '==': '==',
  '!=': '!=',
  '>': 'gt',
  '<': 'lt',
};

/** A field error's text with no field path, as the apiserver prints it: `<nil>: Invalid value: …`. */
const keyErrorText = (key: string, problems: string[]) =>
  `<nil>: Invalid value: ${goJson(key)}: ${problems.join('; ')}`;

function requirementErrors(key: string, operator: Operator, values: string[]): string[] {
  const errors: string[] = [];
  if (
    (operator === 'gt' || operator === 'lt') &&
    values.length === 1 &&
    !/^[+-]?[0-9]+$/.test(values[0] as string)
  ) {
    errors.push(
      `values[0]: Invalid value: ${goJson(values[0])}: for 'Gt', 'Lt' operators, the value must be an integer`,
    );
  }
  values.forEach((value, index) => {
    const problems = labelValueErrors(value);
    if (problems.length > 0) {
      errors.push(`values[${index}][${key}]: Invalid value: ${goJson(value)}: ${problems.join('; ')}`);
    }
  });
  return errors;
}

class Parser {
  private position = 0;
  constructor(private readonly items: Item[]) {}

  /** In value context `in` and `notin` are plain identifiers. */
  private peek(asValue = true): Item {
    const item = this.items[this.position] as Item;
    return asValue && (item.token === 'in' || item.token === 'notin')
      ? { ...item, token: 'identifier' }
      : item;
  }

  private next(asValue = true): Item {
    const item = this.peek(asValue);
    this.position++;
    return item;
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const { token, literal } = this.peek();
      if (token === 'end') return requirements;
      if (token !== 'identifier' && token !== '!') {
        throw new SelectorParseError(`found '${literal}', expected: !, identifier, or 'end of string'`);
      }
      requirements.push(this.requirementOrThrow());
      const after = this.next();
      if (after.token === 'end') return requirements;
      if (after.token !== ',') {
        throw new SelectorParseError(`found '${after.literal}', expected: ',' or 'end of string'`);
      }
      const following = this.peek();
      if (following.token !== 'identifier' && following.token !== '!') {
        throw new SelectorParseError(`found '${following.literal}', expected: identifier after ','`);
      }
    }
  }

  private requirementOrThrow(): Requirement {
    try {
      return this.requirement();
    } catch (error) {
      throw new SelectorParseError(`unable to parse requirement: ${(error as Error).message}`);
    }
  }

  private requirement(): Requirement {
    let item = this.next();
    const negated = item.token === '!';
    if (negated) item = this.next();
    if (item.token !== 'identifier') throw new Error(`found '${item.literal}', expected: identifier`);
    const key = item.literal;
    const keyProblems = qualifiedNameErrors(key);
    if (keyProblems.length > 0) throw new Error(keyErrorText(key, keyProblems));
    const lookahead = this.peek().token;
    if (negated || lookahead === 'end' || lookahead === ',') {
      return { key, operator: negated ? '!' : 'exists', values: [] };
    }
    const operatorItem = this.next(false);
    const operator = operatorOf[operatorItem.token];
    if (!operator) throw new Error(`found '${operatorItem.literal}', expected: ${binaryOperators}`);
    const values = operator === 'in' || operator === 'notin' ? this.valueSet() : this.exactValue();
    const sorted = [...new Set(values)].sort();
    const errors = requirementErrors(key, operator, sorted);
    if (errors.length > 0) throw new Error(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
    return { key, operator, values: sorted };
  }

  private valueSet(): string[] {
    const open = this.next();
    if (open.token !== '(') throw new Error(`found '${open.literal}' expected: '('`);
    const first = this.peek();
    if (first.token === ')') {
      this.next();
      return [''];
    }
    if (first.token !== 'identifier' && first.token !== ',') {
      throw new Error(`found '${first.literal}', expected: ',', ')' or identifier`);
    }
    const values = this.identifierList();
    if (this.next().token !== ')') throw new Error(`found '${first.literal}', expected: ')'`);
    return values;
  }

  /** `a,b`, with empty entries standing for the empty value: `(,a)`, `(a,,b)`, `(a,)`. */
  private identifierList(): string[] {
    const values: string[] = [];
    for (;;) {
      const item = this.next();
      if (item.token === 'identifier') {
        values.push(item.literal);
        const following = this.peek();
        if (following.token === ')') return values;
        if (following.token !== ',') throw new Error(`found '${following.literal}', expected: ',' or ')'`);
      } else if (item.token === ',') {
        if (values.length === 0) values.push('');
        const following = this.peek().token;
        if (following === ')') return [...values, ''];
        if (following === ',') {
          this.next();
          values.push('');
        }
      } else {
        throw new Error(`found '${item.literal}', expected: ',', or identifier`);
      }
    }
  }

  private exactValue(): string[] {
    const lookahead = this.peek().token;
    if (lookahead === 'end' || lookahead === ',') return [''];
    const item = this.next();
    if (item.token !== 'identifier') throw new Error(`found '${item.literal}', expected: identifier`);
    return [item.literal];
  }
}

export function parseRequirements(text: string): Requirement[] {
  const requirements = new Parser(lex(text)).parse();
  return requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
