import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PAGE_LANGUAGES, PAGE_TABLES } from '../../../../game/i18n/page-strings.ts';
import { pickLanguage, useLanguage, words } from '../../../../game/i18n/language.ts';
import { pseudoStrings } from '../../../../game/i18n/pseudo.ts';
import { formatDuration, formatNumber, formatPercent, formatSeconds } from '../../../../game/i18n/format.ts';
import { hudLines } from '../../../../game/view/hud.ts';
import { diagnose } from '../../../../game/view/diagnosis.ts';
import { fleetTimelines } from '../../../../game/view/round-timeline.ts';

/** Every leaf of a table as [dotted key, value], strings and functions alike. */
function leaves(table: object, prefix = ''): [string, unknown][] {
  return Object.entries(table).flatMap(([key, value]): [string, unknown][] =>
    value !== null && typeof value === 'object'
      ? leaves(value, `${prefix}${key}.`)
      : [[`${prefix}${key}`, value]],
  );
}

// Arguments a table function is called with: numbers for the plural-aware ones, words for the rest.
const sample = (fn: (...args: never[]) => unknown): string =>
  String(
    (fn as (...args: unknown[]) => unknown)(
      ...Array.from({ length: fn.length }, (_, i) => (i === 0 ? 2 : `x${i}`)),
    ),
  );

describe('page string tables', () => {
  afterEach(() => useLanguage('en'));
  const english = new Map(leaves(PAGE_TABLES.en));

  for (const lang of PAGE_LANGUAGES) {
    test(`the ${lang} table has exactly the English keys, each a non-empty string or a function of the same arity`, () => {
      const table = new Map(leaves(PAGE_TABLES[lang]));
      assert.deepEqual([...table.keys()].sort(), [...english.keys()].sort());
      for (const [key, value] of table) {
        const twin = english.get(key);
        assert.equal(typeof value, typeof twin, key);
        if (typeof value === 'string') assert.ok(value.trim().length > 0, `${lang} ${key} is empty`);
        else {
          assert.equal(typeof value, 'function', key);
          const fn = value as (...args: never[]) => unknown;
          assert.equal(fn.length, (twin as (...args: never[]) => unknown).length, key);
          assert.ok(sample(fn).trim().length > 0, `${lang} ${key} says nothing`);
        }
      }
    });
  }

  test('a text between backticks is code: every table keeps the same code spans as English', () => {
    const codes = (text: string): string[] => text.split('`').filter((_, i) => i % 2 === 1);
    for (const lang of PAGE_LANGUAGES) {
      for (const [key, value] of leaves(PAGE_TABLES[lang])) {
        if (typeof value === 'string')
          assert.deepEqual(codes(value), codes(english.get(key) as string), `${lang} ${key}`);
      }
    }
  });

  test('the Russian and Chinese tables are written in their scripts, not left in English', () => {
    assert.match(PAGE_TABLES.ru.player.tagline, /[а-яё]/i);
    assert.match(PAGE_TABLES.zh.player.tagline, /\p{Script=Han}/u);
    assert.match(PAGE_TABLES.ru.instructor.columns.player, /[а-яё]/i);
    assert.match(PAGE_TABLES.zh.hud.lobby, /\p{Script=Han}/u);
  });
});

describe('choosing the language', () => {
  test('a saved choice wins over the browser languages', () => {
    assert.equal(pickLanguage('zh', ['ru-RU', 'en']), 'zh');
  });

  test('without a saved choice, the first browser language with a table is chosen, regions ignored', () => {
    assert.equal(pickLanguage(null, ['de-DE', 'ru-RU', 'fr']), 'ru');
    assert.equal(pickLanguage(null, ['zh-Hans-CN']), 'zh');
    assert.equal(pickLanguage(null, ['fr-CA']), 'fr');
  });

  test('an unknown saved choice falls back to the browser, and nothing known falls back to English', () => {
    assert.equal(pickLanguage('xx', ['ru']), 'ru');
    assert.equal(pickLanguage(null, ['de', 'ja']), 'en');
    assert.equal(pickLanguage(null, []), 'en');
  });

  test('the pseudo-locale is only reached by a saved choice', () => {
    assert.equal(pickLanguage('zz', ['ru']), 'zz');
    assert.equal(pickLanguage(null, ['zz']), 'en');
  });
});

describe('the pseudo-locale', () => {
  test('brackets every string and every function result of the English table', () => {
    const pseudo = pseudoStrings(PAGE_TABLES.en);
    assert.equal(pseudo.hud.lobby, '⟦lobby⟧');
    assert.equal(pseudo.feed.hit('a / b'), '⟦hit: a / b⟧');
    for (const [key, value] of leaves(pseudo)) {
      const text = typeof value === 'string' ? value : sample(value as (...args: never[]) => unknown);
      assert.match(text, /^⟦[\s\S]*⟧$/, key);
    }
  });
});

describe('formatting per language', () => {
  afterEach(() => useLanguage('en'));

  test('seconds, percentages and counts use the language separators and units', () => {
    const shown = PAGE_LANGUAGES.map((lang) => {
      useLanguage(lang);
      return [formatSeconds(2100), formatPercent(0.975), formatNumber(12345)];
    });
    assert.deepEqual(shown, [
      ['2.1 s', '97.5 %', '12,345'],
      ['2,1 s', '97,5 %', '12\u202f345'],
      ['2,1 с', '97,5 %', '12\u00a0345'],
      ['2.1 秒', '97.5%', '12,345'],
    ]);
  });

  test('a duration is written in the language (Intl.DurationFormat where the runtime has it)', () => {
    useLanguage('ru');
    assert.match(formatDuration(65_000), /1\s*мин.*5\s*с/);
    useLanguage('en');
    assert.match(formatDuration(5000), /^5 sec$/);
  });

  test('the HUD, the diagnosis and the timeline speak Russian with Russian plurals', () => {
    useLanguage('ru');
    const hud = hudLines({ round: null, fleets: new Map(), connected: false, reconnectingSince: 0 }, 3000);
    assert.equal(hud.status, 'ожидание · флотов в строю 0/0');
    assert.match(hud.warning, /^Связь с кластером потеряна — переподключение уже 3/);
    const fleet = {
      player: 'leia',
      alive: true,
      flying: 5,
      total: 5,
      uptime: 1,
      hits: 0,
      recoveries: 0,
      recoveryP50Ms: null,
      recoveryP95Ms: null,
      shipsLost: 0,
      joinOrder: 0,
      controllers: ['Deployment'],
    };
    assert.equal(diagnose(fleet as never), 'ни одного попадания: 5 кораблей летают невредимыми');
    const timelines = fleetTimelines({
      startedAt: 0,
      finishedAt: 10_000,
      endsAt: 10_000,
      timeline: [
        { time: 1000, fleet: 'leia', kind: 'hit' },
        { time: 2000, fleet: 'leia', kind: 'hit' },
        { time: 3000, fleet: 'leia', kind: 'recovered', ms: 1500 },
      ],
    });
    assert.equal(timelines.get('leia')?.summary, '2 попадания · 1 восстановление · дольше всего 1,5 с');
  });

  test('Chinese pages say the same in Chinese', () => {
    useLanguage('zh');
    assert.equal(words().hud.round('2', words().hud.roundStatus.running), '第 2 局：进行中');
    assert.equal(
      hudLines({ round: null, fleets: new Map(), connected: true, reconnectingSince: null }, 0).status,
      '等待开局 · 存活舰队 0/0',
    );
  });
});
