import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../support/kubewars.ts';
import { PAGE_LANGUAGES, PAGE_TABLES } from '../../../../game/i18n/page-strings.ts';

// The pages whose words come from game/i18n (the lesson viewer's lessons.html has its own table).
const PAGES = ['index.html', 'battle.html', 'instructor.html'];
const ATTRIBUTES_WITH_WORDS = ['title', 'placeholder', 'aria-label', 'alt', 'label'];

/** The page without the parts that hold no words for people: comments, scripts, styles. */
function markup(page: string): string {
  return readFileSync(join(projectRoot, 'game', page), 'utf8')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/g, '');
}

function lookup(table: object, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], table);
}

describe('the pages hold no words of their own', () => {
  for (const page of PAGES) {
    test(`${page}: no text between tags and no worded attribute is written in the HTML`, () => {
      const html = markup(page);
      const texts = [...html.matchAll(/>([^<]*)</g)].map((m) => m[1]!.trim()).filter((t) => /\p{L}/u.test(t));
      assert.deepEqual(
        texts,
        [],
        `${page} has text outside the tables: put it in PageStrings and use data-text`,
      );
      for (const name of ATTRIBUTES_WITH_WORDS) {
        const literal = new RegExp(`\\s${name}="[^"]*\\p{L}`, 'u');
        assert.doesNotMatch(html, literal, `${page} writes a ${name} attribute: use data-attr="${name}:key"`);
      }
    });

    test(`${page}: every data-text and data-attr key names a string in every table`, () => {
      const html = markup(page);
      const keys = [
        ...[...html.matchAll(/data-text="([^"]+)"/g)].map((m) => m[1]!),
        ...[...html.matchAll(/data-attr="([^"]+)"/g)].flatMap((m) =>
          m[1]!.split(',').map((pair) => pair.split(':')[1]!.trim()),
        ),
      ];
      assert.ok(keys.length > 0);
      for (const lang of PAGE_LANGUAGES) {
        for (const key of keys)
          assert.equal(typeof lookup(PAGE_TABLES[lang], key), 'string', `${lang}: ${key}`);
      }
    });
  }
});
