/** Creates an element with text set through textContent (never HTML) and optional attributes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Buttons marked .copy-button copy the code next to them; the copied text is kept in data-copied for checks.
 * `labels` gives the words in the page's current language.
 */
export function wireCopyButtons(root: HTMLElement, labels: () => { copied: string; selectAndCopy: string }): void {
  root.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('.copy-button');
    const code = button?.parentElement?.querySelector('pre code');
    if (!button || !code) return;
    const text = code.textContent ?? '';
    button.dataset.copied = text;
    navigator.clipboard.writeText(text).then(
      () => (button.textContent = labels().copied),
      () => (button.textContent = labels().selectAndCopy),
    );
  });
}
