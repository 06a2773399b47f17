/** How a fenced block's info string marks it: ```bash run, ```bash skip-sandbox reason="…", anything else shown only. */
export type BlockMode = 'run' | 'skip-sandbox' | 'show';

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
  return { lang, mode: 'show' };
}
