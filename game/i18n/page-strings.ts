// The pages' own words (player page, battle screen, text view, pilot mode, instructor screen) in each language:
// pure typed data, so a key missing from a table is a type error. Text between `backticks` is shown as code.
// The lesson viewer's words are in server/lessons/strings.ts; both share the saved choice (game/i18n/language.ts).
import type { PageStrings } from './page-strings-type.ts';
import { en } from './tables/en.ts';
import { fr } from './tables/fr.ts';
import { ru } from './tables/ru.ts';
import { zh } from './tables/zh.ts';

export type { PageStrings } from './page-strings-type.ts';

/** The languages a page can be shown in, in the order the switch lists them. */
export const PAGE_LANGUAGES = ['en', 'fr', 'ru', 'zh'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

export const PAGE_TABLES: Record<PageLanguage, PageStrings> = { en, fr, ru, zh };
