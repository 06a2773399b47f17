import hljs from 'highlight.js';
import { Marked, type Tokens } from 'marked';
import { parseInfoString, type CodeBlock } from './code-blocks.ts';
import { stepFilesByUrl } from './step-urls.ts';
import { viewerStrings } from './strings.ts';

export interface RenderOptions {
  /** In a workshop room, the platform's URL: commands naming a manifest in steps/ name it by that URL instead. */
  stepsBaseUrl?: string;
}

export interface RenderedLesson {
  html: string;
  blocks: CodeBlock[];
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c] ?? c);
}

function isExternal(href: string): boolean {
  return /^https?:\/\//i.test(href);
}

// Only these schemes may appear in links and images; anything else (javascript:, data:) becomes plain text.
function isSafeUrl(href: string): boolean {
  return /^(https?:|mailto:|\/|#|\.{0,2}\/|[a-z0-9._-]+(\/|$|#|\?))/i.test(href) && !/^\s*(javascript|data|vbscript):/i.test(href);
}

/** Code as highlight.js spans (escaped HTML), plain text for a language it does not know. */
export function highlightCode(code: string, lang: string): string {
  const language = hljs.getLanguage(lang) ? lang : 'plaintext';
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}

/**
 * The one lesson renderer: Markdown through marked with raw HTML escaped (never passed through), highlighted code
 * with a copy button and its run/skip/cluster-admin metadata, external links in a new tab; the viewer's own words in `lang`.
 * Returns the runnable blocks too (as shown: with room URLs when `options.stepsBaseUrl` is given).
 */
export function renderLesson(markdown: string, lang = 'en', options: RenderOptions = {}): RenderedLesson {
  const words = viewerStrings(lang);
  const blocks: CodeBlock[] = [];
  const { stepsBaseUrl } = options;
  const marked = new Marked({
    gfm: true,
    // Shown and copied alike: the copy button copies the code as rendered.
    walkTokens(token) {
      if (stepsBaseUrl !== undefined && (token.type === 'code' || token.type === 'codespan')) {
        token.text = stepFilesByUrl(token.text, stepsBaseUrl);
      }
    },
    renderer: {
      html({ text }: Tokens.HTML | Tokens.Tag): string {
        return escapeHtml(text);
      },
      code({ text, lang }: Tokens.Code): string {
        const info = parseInfoString(lang ?? '');
        const index = blocks.length;
        blocks.push({ ...info, code: text });
        const reason = info.reason ? ` data-reason="${escapeHtml(info.reason)}"` : '';
        // Marked for every room kind: the viewer alone decides, from the room's kind, to say the instructor shows it.
        const clusterAdmin = info.clusterAdmin ? ' data-cluster-admin=""' : '';
        const heading =
          info.mode === 'skip-sandbox' ? words.notOnSandbox : info.mode === 'interactive' ? words.interactive : undefined;
        const label =
          heading === undefined
            ? ''
            : `<p class="block-note"><strong>${escapeHtml(heading)}</strong> ${escapeHtml(info.reason ?? '')}</p>`;
        return (
          `<div class="code-block" data-block="${index}" data-mode="${info.mode}"${reason}${clusterAdmin}>${label}` +
          `<button type="button" class="copy-button" data-copy="${index}">${escapeHtml(words.copy)}</button>` +
          `<pre><code class="hljs language-${escapeHtml(info.lang || 'plaintext')}">${highlightCode(text, info.lang)}</code></pre></div>\n`
        );
      },
      link({ href, title, tokens }: Tokens.Link): string {
        const text = this.parser.parseInline(tokens);
        if (!isSafeUrl(href)) return text;
        const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
        const target = isExternal(href) ? ' target="_blank" rel="noopener noreferrer"' : '';
        return `<a href="${escapeHtml(href)}"${titleAttr}${target}>${text}</a>`;
      },
      image({ href, title, text }: Tokens.Image): string {
        if (!isSafeUrl(href)) return escapeHtml(text);
        const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
        return `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}"${titleAttr}>`;
      },
    },
  });
  const html = marked.parse(markdown, { async: false });
  return { html, blocks };
}
