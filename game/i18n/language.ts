// Which language a page speaks, and the table of the language in force. Pure (no DOM): the view models read
// words() and the formatters, so Node tests use English unless they choose another language.
import { PAGE_LANGUAGES, PAGE_TABLES, type PageLanguage, type PageStrings } from './page-strings.ts';
import { pseudoStrings } from './pseudo.ts';

/** The storage key the lesson viewer uses too: one choice serves every page. */
export const LANGUAGE_KEY = 'kubewars.lang';

/**
 * `zz` is the pseudo-locale: every English string in brackets, so a word on screen without brackets did not come
 * from a table. Only a saved choice selects it (tests, translators); the switch never lists it.
 */
export const PSEUDO_LANGUAGE = 'zz';
export type ShownLanguage = PageLanguage | typeof PSEUDO_LANGUAGE;

const isPageLanguage = (lang: string): lang is PageLanguage =>
  (PAGE_LANGUAGES as readonly string[]).includes(lang);

/** The language of a tag such as "fr-CA" or "zh-Hans-CN", if a table has it. */
export function tableLanguage(tag: string): PageLanguage | undefined {
  const primary = tag.toLowerCase().split('-')[0] ?? '';
  return isPageLanguage(primary) ? primary : undefined;
}

/** The saved choice first, else the first of the browser's languages that has a table, else English. */
export function pickLanguage(saved: string | null, browserLanguages: readonly string[]): ShownLanguage {
  if (saved === PSEUDO_LANGUAGE) return PSEUDO_LANGUAGE;
  const choice = saved === null ? undefined : tableLanguage(saved);
  if (choice) return choice;
  for (const tag of browserLanguages) {
    const lang = tableLanguage(tag);
    if (lang) return lang;
  }
  return 'en';
}

let current: ShownLanguage = 'en';
let table: PageStrings = PAGE_TABLES.en;

/** Puts every later words() and formatter in `lang`. */
export function useLanguage(lang: ShownLanguage): void {
  current = lang;
  table = lang === PSEUDO_LANGUAGE ? pseudoStrings(PAGE_TABLES.en) : PAGE_TABLES[lang];
}

/** The language in force, as a BCP 47 tag for Intl and <html lang> (the pseudo-locale formats as English). */
export function languageTag(): string {
  return current === PSEUDO_LANGUAGE ? 'en' : current;
}

export function shownLanguage(): ShownLanguage {
  return current;
}

/** The words of the language in force. */
export function words(): PageStrings {
  return table;
}
