/**
 * How a fenced block's info string marks it: ```bash run; ```bash skip-sandbox reason="…" (the sandbox cannot run
 * it); ```bash interactive reason="…" (works everywhere but waits for the learner: `-w`, an editor, `-it`); anything
 * else shown only. Only `run` blocks are run by the lesson tests and the rehearsal.
 */
export type BlockMode = 'run' | 'skip-sandbox' | 'interactive' | 'show';

export interface CodeBlockInfo {
  lang: string;
  mode: BlockMode;
  reason?: string;
}

export interface CodeBlock extends CodeBlockInfo {
  code: string;
}

export function parseInfoString(info: string): CodeBlockInfo {
  const trimmed = info.trim();
  const lang = trimmed.split(/\s+/)[0] ?? '';
  const rest = trimmed.slice(lang.length).trim();
  if (lang === 'bash' && /^run\b/.test(rest)) return { lang, mode: 'run' };
  if (lang === 'bash' && /^skip-sandbox\b/.test(rest)) {
    const reason = /reason="([^"]*)"/.exec(rest)?.[1];
    return { lang, mode: 'skip-sandbox', reason: reason ?? 'not runnable on the sandbox' };
  }
  if (lang === 'bash' && /^interactive\b/.test(rest)) {
    const reason = /reason="([^"]*)"/.exec(rest)?.[1];
    return { lang, mode: 'interactive', reason: reason ?? 'waits for you' };
  }
  return { lang, mode: 'show' };
}
