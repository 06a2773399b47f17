import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { fallbackLanguage, listLanguages, loadCourse, loadStep } from '../../../server/lessons/loader.ts';
import { renderLesson } from '../../../server/lessons/render.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('shipped lessons', () => {
  for (const lang of listLanguages(projectRoot)) {
    test(`every ${lang} lesson parses, names an existing step with valid checks and renders`, () => {
      const course = loadCourse(projectRoot, lang);
      assert.ok(course.length > 0, `lessons/${lang} has no lessons`);
      for (const lesson of course) {
        const step = loadStep(projectRoot, lesson.meta.step, lang);
        assert.ok(step.checks.length > 0, `steps/${step.folder}/checks.yaml has no checks`);
        assert.ok(renderLesson(lesson.body).html.length > 0);
      }
    });

    // A `**` left in the text means marked refused to close the emphasis (CJK punctuation next to it, for one).
    test(`no ${lang} lesson shows a stray emphasis marker`, () => {
      const stray = loadCourse(projectRoot, lang)
        .filter((lesson) => lesson.lang === lang)
        .filter((lesson) => renderLesson(lesson.body).html.replace(/<pre>[\s\S]*?<\/pre>|<code>[^<]*<\/code>/g, '').includes('**'))
        .map((lesson) => `lessons/${lang}/${lesson.slug}.md`);
      assert.deepEqual(stray, []);
    });

    if (lang === fallbackLanguage) continue;

    test(`every ${lang} lesson runs the English lesson's commands, in the same order`, () => {
      const commands = (body: string) =>
        renderLesson(body)
          .blocks.filter((block) => block.mode !== 'show')
          .map(({ mode, code }) => ({ mode, code }));
      const english = new Map(loadCourse(projectRoot, fallbackLanguage).map((lesson) => [lesson.number, lesson]));
      for (const lesson of loadCourse(projectRoot, lang).filter((l) => l.lang === lang)) {
        const twin = english.get(lesson.number);
        assert.ok(twin, `lessons/${lang}/${lesson.slug}.md has no English twin`);
        assert.deepEqual(commands(lesson.body), commands(twin.body), `lessons/${lang}/${lesson.slug}.md`);
        assert.equal(lesson.meta.step, twin.meta.step, `lessons/${lang}/${lesson.slug}.md names another step`);
      }
    });

    test(`every ${lang} lesson has its step's hint, solution and check messages in ${lang}`, () => {
      const missing = loadCourse(projectRoot, lang)
        .filter((lesson) => lesson.lang === lang)
        .flatMap(({ meta: { step } }) => [
          ...[`hint.${lang}.md`, `solution.${lang}.md`]
            .filter((file) => !existsSync(join(projectRoot, 'steps', step, file)))
            .map((file) => `steps/${step}/${file}`),
          ...loadStep(projectRoot, step, lang)
            .checks.filter((check) => check.message[lang] === undefined)
            .map((check) => `steps/${step}/checks.yaml ${check.id}`),
        ]);
      assert.deepEqual(missing, []);
    });
  }
});

describe('every translated course', () => {
  for (const lang of listLanguages(projectRoot).filter((l) => l !== fallbackLanguage)) {
    test(`every step has its own ${lang} hint and solution`, () => {
      const steps = readdirSync(join(projectRoot, 'steps')).filter((f) => /^step-\d+-/.test(f));
      assert.ok(steps.length > 0);
      const missing = steps.flatMap((folder) =>
        [`hint.${lang}.md`, `solution.${lang}.md`]
          .filter((file) => !existsSync(join(projectRoot, 'steps', folder, file)))
          .map((file) => `steps/${folder}/${file}`),
      );
      assert.deepEqual(missing, []);
    });
  }
});

describe('the Kube Wars rules', () => {
  const mentions: Record<string, RegExp[]> = {
    en: [/`evict`/, /PodDisruptionBudget/, /capital ships/i, /`Orphan`/],
    fr: [/`evict`/, /PodDisruptionBudget/, /vaisseaux amiraux/i, /capital ships/i, /`Orphan`/],
    ru: [/`evict`/, /PodDisruptionBudget/, /флагман/i, /capital ships/i, /`Orphan`/],
    zh: [/`evict`/, /PodDisruptionBudget/, /主力舰/, /capital ships/i, /`Orphan`/],
  };
  for (const [lang, expected] of Object.entries(mentions)) {
    test(`lesson 17 (${lang}) explains the evict weapon and capital ships`, () => {
      const lesson = loadCourse(projectRoot, lang).find((l) => l.meta.step === 'step-17-kube-wars');
      assert.equal(lesson?.lang, lang);
      for (const pattern of expected) assert.match(lesson?.body ?? '', pattern);
      assert.doesNotMatch(lesson?.body ?? '', /a PDB does not stop that|un PDB n'y peut rien/);
    });
  }
});
