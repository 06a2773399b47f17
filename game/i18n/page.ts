// Puts a page in its language at load: picks it (saved choice, else the browser's languages, else English), sets
// <html lang>, fills every element that names a table key and mounts the language switch.
//   data-text="player.tagline"                 the element's text (`backticks` become <code>)
//   data-attr="title:instructor.pilotTitle"    attributes, comma-separated
//   data-language-switch                       an empty <select> that becomes the switch
import { LANGUAGE_KEY, languageTag, pickLanguage, shownLanguage, useLanguage, words } from './language.ts';
import { PAGE_LANGUAGES, PAGE_TABLES } from './page-strings.ts';

/** The string at a dotted key of the table in force; a key that names no string is a mistake in the page. */
export function pageString(key: string): string {
  let node: unknown = words();
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node !== 'string')
    throw new Error(`the page names "${key}", which is not a string of PageStrings`);
  return node;
}

/** Sets `text` as the element's content, with `backtick` spans as <code> (always as text, never as HTML). */
export function setMarkedText(element: Element, text: string): void {
  element.replaceChildren(
    ...text.split('`').map((part, i) => {
      if (i % 2 === 0) return document.createTextNode(part);
      const code = document.createElement('code');
      code.textContent = part;
      return code;
    }),
  );
}

/** Fills every data-text and data-attr element under `root` from the table in force. */
export function translatePage(root: ParentNode = document): void {
  for (const element of root.querySelectorAll<HTMLElement>('[data-text]')) {
    const text = pageString(element.dataset['text'] ?? '');
    if (element instanceof HTMLTitleElement) document.title = text;
    else setMarkedText(element, text);
  }
  for (const element of root.querySelectorAll<HTMLElement>('[data-attr]')) {
    for (const pair of (element.dataset['attr'] ?? '').split(',')) {
      const [name, key] = pair.split(':').map((s) => s.trim());
      if (name && key) element.setAttribute(name, pageString(key));
    }
  }
}

function mountSwitch(select: HTMLSelectElement): void {
  select.replaceChildren(
    ...PAGE_LANGUAGES.map((lang) => {
      const option = document.createElement('option');
      option.value = lang;
      option.lang = lang;
      option.textContent = PAGE_TABLES[lang].languageName;
      return option;
    }),
  );
  select.value = shownLanguage();
  select.setAttribute('aria-label', words().language);
  select.dataset['testid'] ??= 'page-language';
  select.addEventListener('change', () => {
    localStorage.setItem(LANGUAGE_KEY, select.value);
    // Every panel builds its text from the table once or on the next event: a reload redraws all of it at once.
    location.reload();
  });
}

/** Chooses the page's language and shows the page in it; call before anything draws text. */
export function startPageLanguage(): void {
  useLanguage(pickLanguage(localStorage.getItem(LANGUAGE_KEY), navigator.languages ?? [navigator.language]));
  document.documentElement.lang = languageTag();
  translatePage();
  for (const select of document.querySelectorAll<HTMLSelectElement>('select[data-language-switch]')) {
    mountSwitch(select);
  }
}

/** The pages' font stack (--sans in styles/fonts.css), for text drawn on a canvas. */
export function pageFont(): string {
  return getComputedStyle(document.documentElement).getPropertyValue('--sans').trim() || 'sans-serif';
}
