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
  /**
   * The word `cluster-admin` among the attributes (```bash run cluster-admin): the block needs rights over the whole
   * cluster (nodes, namespaces, PersistentVolumes…) or leaves the attendee's namespace (switches the kubeconfig's
   * namespace or context), so in a namespace room (issue 14) the instructor shows it.
   */
  clusterAdmin: boolean;
}

export interface CodeBlock extends CodeBlockInfo {
  code: string;
}

export function parseInfoString(info: string): CodeBlockInfo {
  const trimmed = info.trim();
  const lang = trimmed.split(/\s+/)[0] ?? '';
  const rest = trimmed.slice(lang.length).trim();
  const reason = /reason="([^"]*)"/.exec(rest)?.[1];
  // The reason is free text: a `cluster-admin` inside its quotes is not the attribute.
  const clusterAdmin = rest.replace(/reason="[^"]*"/, '').split(/\s+/).includes('cluster-admin');
  if (lang === 'bash' && /^run\b/.test(rest)) return { lang, mode: 'run', clusterAdmin };
  if (lang === 'bash' && /^skip-sandbox\b/.test(rest)) {
    return { lang, mode: 'skip-sandbox', reason: reason ?? 'not runnable on the sandbox', clusterAdmin };
  }
  if (lang === 'bash' && /^interactive\b/.test(rest)) {
    return { lang, mode: 'interactive', reason: reason ?? 'waits for you', clusterAdmin };
  }
  return { lang, mode: 'show', clusterAdmin };
}
