// The POSIX shell grammar a workshop types: lists (; && || &), pipelines, redirections, quoting, $VAR, ${VAR}, $?,
// $(…) and `…`, assignments, and the compound commands for/while/until/if. Expansion happens later, at run time.

/** A piece of a word: literal text, a variable, or a command substitution; `quoted` stops field splitting. */
export type WordPart =
  | { kind: 'text'; text: string; quoted: boolean }
  | { kind: 'var'; name: string; quoted: boolean }
  | { kind: 'subst'; script: string; quoted: boolean };
export type Word = WordPart[];

export interface Redirect {
  fd: 1 | 2 | 0;
  op: '>' | '>>' | '<' | '>&';
  target: Word;
}

export type Command =
  | { kind: 'simple'; assignments: { name: string; value: Word }[]; words: Word[]; redirects: Redirect[] }
  | { kind: 'for'; variable: string; items: Word[]; body: List }
  | { kind: 'while'; until: boolean; condition: List; body: List }
  | { kind: 'if'; branches: { condition: List; body: List }[]; otherwise?: List }
  | { kind: 'group'; body: List; redirects: Redirect[] };

export interface Pipeline {
  commands: Command[];
  negated: boolean;
}
export interface List {
  items: { pipeline: Pipeline; connector: ';' | '&&' | '||' }[];
}

type Token = { type: 'word'; word: Word; raw: string } | { type: 'op'; op: string };

export class ShellSyntaxError extends Error {}

const OPERATORS = [
  '2>&1',
  '1>&2',
  '>&2',
  '2>>',
  '&&',
  '||',
  '>>',
  '2>',
  ';;',
  '|',
  ';',
  '&',
  '>',
  '<',
  '(',
  ')',
  '\n',
];

/** The text inside $(…) starting at `start` (just after the opening parenthesis), and where it ends. */
function balanced(input: string, start: number): { text: string; end: number } {
  let depth = 1;
  let quote: string | undefined;
  for (let i = start; i < input.length; i++) {
    const c = input[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return { text: input.slice(start, i), end: i + 1 };
  }
  throw new ShellSyntaxError('syntax error: unterminated quoted string');
}

export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < input.length && input[i] !== '\n') i++;
      continue;
    }
    const op = OPERATORS.find((o) => input.startsWith(o, i));
    if (op) {
      tokens.push({ type: 'op', op });
      i += op.length;
      continue;
    }
    const word: Word = [];
    const start = i;
    let text = '';
    const flush = (quoted: boolean) => {
      if (text) word.push({ kind: 'text', text, quoted });
      text = '';
    };
    const dollar = (quoted: boolean) => {
      // At input[i] === '$'.
      const next = input[i + 1] ?? '';
      if (next === '(') {
        flush(quoted);
        const { text: script, end } = balanced(input, i + 2);
        word.push({ kind: 'subst', script, quoted });
        i = end;
        return;
      }
      if (next === '{') {
        const close = input.indexOf('}', i + 2);
        if (close < 0) throw new ShellSyntaxError('syntax error: bad substitution');
        flush(quoted);
        word.push({ kind: 'var', name: input.slice(i + 2, close), quoted });
        i = close + 1;
        return;
      }
      const name = /^([A-Za-z_][A-Za-z0-9_]*|[?$#0-9!@*])/.exec(input.slice(i + 1))?.[1];
      if (!name) {
        text += '$';
        i++;
        return;
      }
      flush(quoted);
      word.push({ kind: 'var', name, quoted });
      i += 1 + name.length;
    };
    while (i < input.length) {
      const ch = input[i] as string;
      if (
        ' \t\r\n'.includes(ch) ||
        OPERATORS.some((o) => o !== '2>' && o !== '2>>' && o !== '2>&1' && input.startsWith(o, i))
      )
        break;
      if (ch === "'") {
        flush(false);
        const close = input.indexOf("'", i + 1);
        if (close < 0) throw new ShellSyntaxError('syntax error: unterminated quoted string');
        word.push({ kind: 'text', text: input.slice(i + 1, close), quoted: true });
        i = close + 1;
      } else if (ch === '"') {
        flush(false);
        i++;
        // An empty "" is still a word.
        word.push({ kind: 'text', text: '', quoted: true });
        while (i < input.length && input[i] !== '"') {
          const q = input[i] as string;
          if (q === '\\' && '"\\$`\n'.includes(input[i + 1] ?? '')) {
            text += input[i + 1];
            i += 2;
          } else if (q === '$') dollar(true);
          else if (q === '`') {
            flush(true);
            const close = input.indexOf('`', i + 1);
            if (close < 0) throw new ShellSyntaxError('syntax error: unterminated quoted string');
            word.push({ kind: 'subst', script: input.slice(i + 1, close), quoted: true });
            i = close + 1;
          } else {
            text += q;
            i++;
          }
        }
        if (i >= input.length) throw new ShellSyntaxError('syntax error: unterminated quoted string');
        flush(true);
        i++;
      } else if (ch === '\\') {
        flush(false);
        if (input[i + 1] !== '\n') word.push({ kind: 'text', text: input[i + 1] ?? '', quoted: true });
        i += 2;
      } else if (ch === '$') dollar(false);
      else if (ch === '`') {
        flush(false);
        const close = input.indexOf('`', i + 1);
        if (close < 0) throw new ShellSyntaxError('syntax error: unterminated quoted string');
        word.push({ kind: 'subst', script: input.slice(i + 1, close), quoted: false });
        i = close + 1;
      } else {
        text += ch;
        i++;
      }
    }
    flush(false);
    tokens.push({ type: 'word', word, raw: input.slice(start, i) });
  }
  return tokens;
}

const KEYWORDS_ENDING_LIST = new Set(['do', 'done', 'then', 'else', 'elif', 'fi']);

/** The literal text of a word with no quoting or expansion, else undefined. */
export function plainWord(word: Word): string | undefined {
  if (word.length !== 1) return undefined;
  const part = word[0] as WordPart;
  return part.kind === 'text' && !part.quoted ? part.text : undefined;
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }
  private keyword(): string | undefined {
    const token = this.peek();
    return token?.type === 'word' ? plainWord(token.word) : undefined;
  }
  private isOp(op: string): boolean {
    const token = this.peek();
    return token?.type === 'op' && token.op === op;
  }
  private expectKeyword(word: string): void {
    this.skipNewlines();
    if (this.keyword() !== word) {
      const token = this.peek();
      const found = !token ? 'end of file' : token.type === 'op' ? token.op : `"${token.raw}"`;
      throw new ShellSyntaxError(
        `syntax error: unexpected ${found === '\n' ? 'newline' : found} (expecting "${word}")`,
      );
    }
    this.at++;
  }
  private skipNewlines(): void {
    while (this.isOp('\n') || this.isOp(';')) this.at++;
  }

  list(stopAt?: string): List {
    const items: List['items'] = [];
    for (;;) {
      this.skipNewlines();
      const token = this.peek();
      if (!token) break;
      if (token.type === 'op' && token.op === ')' && stopAt === ')') break;
      const keyword = this.keyword();
      if (keyword && KEYWORDS_ENDING_LIST.has(keyword)) break;
      const pipeline = this.pipeline();
      let connector: ';' | '&&' | '||' = ';';
      const next = this.peek();
      if (next?.type === 'op' && ['&&', '||', ';', '&', '\n'].includes(next.op)) {
        this.at++;
        if (next.op === '&&' || next.op === '||') connector = next.op;
      } else if (next && !(next.type === 'op' && next.op === ')')) {
        const word = next.type === 'word' ? plainWord(next.word) : undefined;
        if (!word || !KEYWORDS_ENDING_LIST.has(word))
          throw new ShellSyntaxError(`syntax error: unexpected "${next.type === 'op' ? next.op : next.raw}"`);
      }
      items.push({ pipeline, connector });
    }
    return { items };
  }

  private pipeline(): Pipeline {
    let negated = false;
    if (this.keyword() === '!') {
      negated = true;
      this.at++;
    }
    const commands = [this.command()];
    while (this.isOp('|')) {
      this.at++;
      this.skipNewlines();
      commands.push(this.command());
    }
    return { commands, negated };
  }

  private words(until: string[]): Word[] {
    const words: Word[] = [];
    for (;;) {
      const token = this.peek();
      if (!token || token.type === 'op') break;
      const plain = plainWord(token.word);
      if (plain && until.includes(plain)) break;
      words.push(token.word);
      this.at++;
    }
    return words;
  }

  private command(): Command {
    const keyword = this.keyword();
    if (keyword === 'for') {
      this.at++;
      const variable = this.keyword();
      if (!variable) throw new ShellSyntaxError('syntax error: bad for loop variable');
      this.at++;
      let items: Word[] = [[{ kind: 'var', name: '@', quoted: false }]];
      if (this.keyword() === 'in') {
        this.at++;
        items = this.words([]);
      }
      this.expectKeyword('do');
      const body = this.list();
      this.expectKeyword('done');
      return { kind: 'for', variable, items, body };
    }
    if (keyword === 'while' || keyword === 'until') {
      this.at++;
      const condition = this.list();
      this.expectKeyword('do');
      const body = this.list();
      this.expectKeyword('done');
      return { kind: 'while', until: keyword === 'until', condition, body };
    }
    if (keyword === 'if') {
      this.at++;
      const branches: { condition: List; body: List }[] = [];
      let otherwise: List | undefined;
      const condition = this.list();
      this.expectKeyword('then');
      branches.push({ condition, body: this.list() });
      for (;;) {
        const next = this.keyword();
        if (next === 'elif') {
          this.at++;
          const elifCondition = this.list();
          this.expectKeyword('then');
          branches.push({ condition: elifCondition, body: this.list() });
        } else if (next === 'else') {
          this.at++;
          otherwise = this.list();
        } else break;
      }
      this.expectKeyword('fi');
      return { kind: 'if', branches, ...(otherwise ? { otherwise } : {}) };
    }
    if (this.isOp('(')) {
      this.at++;
      const body = this.list(')');
      if (!this.isOp(')')) throw new ShellSyntaxError('syntax error: unexpected end of file (expecting ")")');
      this.at++;
      return { kind: 'group', body, redirects: this.redirects() };
    }
    const assignments: { name: string; value: Word }[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      const token = this.peek();
      if (!token) break;
      if (token.type === 'op') {
        const redirect = this.redirect();
        if (!redirect) break;
        redirects.push(redirect);
        continue;
      }
      const first = token.word[0];
      const assignment =
        words.length === 0 && first?.kind === 'text' && !first.quoted
          ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text)
          : null;
      if (assignment && first?.kind === 'text') {
        const rest = first.text.slice(assignment[0].length);
        assignments.push({
          name: assignment[1] as string,
          value: [...(rest ? [{ ...first, text: rest }] : []), ...token.word.slice(1)],
        });
      } else words.push(token.word);
      this.at++;
    }
    if (!words.length && !assignments.length && !redirects.length) {
      const token = this.peek();
      throw new ShellSyntaxError(
        `syntax error: unexpected ${!token ? 'end of file' : token.type === 'op' ? `"${token.op}"` : `"${token.raw}"`}`,
      );
    }
    return { kind: 'simple', assignments, words, redirects };
  }

  private redirects(): Redirect[] {
    const found: Redirect[] = [];
    for (let redirect = this.redirect(); redirect; redirect = this.redirect()) found.push(redirect);
    return found;
  }

  private redirect(): Redirect | undefined {
    const token = this.peek();
    if (token?.type !== 'op') return undefined;
    const duplicate: Record<string, Redirect> = {
      '2>&1': { fd: 2, op: '>&', target: [{ kind: 'text', text: '1', quoted: false }] },
      '1>&2': { fd: 1, op: '>&', target: [{ kind: 'text', text: '2', quoted: false }] },
      '>&2': { fd: 1, op: '>&', target: [{ kind: 'text', text: '2', quoted: false }] },
    };
    if (duplicate[token.op]) {
      this.at++;
      return duplicate[token.op];
    }
    const kinds: Record<string, [0 | 1 | 2, Redirect['op']]> = {
      '>': [1, '>'],
      '>>': [1, '>>'],
      '<': [0, '<'],
      '2>': [2, '>'],
      '2>>': [2, '>>'],
    };
    const kind = kinds[token.op];
    if (!kind) return undefined;
    this.at++;
    const target = this.peek();
    if (target?.type !== 'word') throw new ShellSyntaxError('syntax error: unexpected newline');
    this.at++;
    return { fd: kind[0], op: kind[1], target: target.word };
  }

  done(): boolean {
    return this.at >= this.tokens.length;
  }
  rest(): string {
    const token = this.peek();
    return !token ? 'end of file' : token.type === 'op' ? token.op : token.raw;
  }
}

/** The script as a list of commands; throws ShellSyntaxError with sh's wording. */
export function parseScript(script: string): List {
  const parser = new Parser(tokenize(script));
  const list = parser.list();
  if (!parser.done()) throw new ShellSyntaxError(`syntax error: unexpected "${parser.rest()}"`);
  return list;
}
