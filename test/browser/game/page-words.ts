// The pseudo-locale check shared by the page tests: words on screen that did not come from a string table.
import type { Page } from 'playwright-core';

/**
 * Every text node and worded attribute of the page that has a letter but no pseudo-locale bracket once the data
 * words (names, Kubernetes kinds: what the page shows but does not say) are taken out. Code (pre), the language switch (each language's own name) and scripts are not page words.
 */
export function wordsOutsideTables(page: Page, dataWords: readonly string[]): Promise<string[]> {
  // No named inner functions: the test runner's transform would name them with a helper the page lacks.
  return page.evaluate((data) => {
    const candidates: [string, string][] = [['<title>', document.title]];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('script, style, pre, select[data-language-switch]')) continue;
      // A data-text element is rebuilt from one table string (its code spans split it into several nodes).
      if (parent.closest('[data-text]')?.textContent?.includes('⟦')) continue;
      candidates.push([parent.tagName, node.textContent ?? '']);
    }
    for (const element of document.querySelectorAll('[title], [placeholder], [aria-label], [alt]')) {
      for (const name of ['title', 'placeholder', 'aria-label', 'alt']) {
        const value = element.getAttribute(name);
        if (value) candidates.push([`${element.tagName}[${name}]`, value]);
      }
    }
    return candidates
      .filter(
        ([, text]) => !text.includes('⟦') && /\p{L}/u.test(data.reduce((t, w) => t.split(w).join(''), text)),
      )
      .map(([where, text]) => `${where}: ${text.trim()}`);
  }, dataWords);
}
