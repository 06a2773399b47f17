import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { listLanguages, loadCourse, loadStep } from '../../../server/lessons/loader.ts';
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
  }
});

describe('translated lessons', () => {
  const english = new Map(loadCourse(projectRoot, 'en').map((l) => [l.number, l]));
  const translated = listLanguages(projectRoot)
    .filter((lang) => lang !== 'en')
    .flatMap((lang) => loadCourse(projectRoot, lang).filter((l) => l.lang === lang));

  test('keep the runnable and skipped commands of their English twin, in the same order', () => {
    // Only shown blocks (sample output, annotated manifests) may differ: their comments are translated.
    const commands = (body: string) =>
      renderLesson(body)
        .blocks.filter((b) => b.mode !== 'show')
        .map((b) => `${b.mode}: ${b.code}`);
    for (const lesson of translated) {
      const twin = english.get(lesson.number);
      assert.ok(twin, `lessons/${lesson.lang}/${lesson.slug}.md has no English twin`);
      assert.deepEqual(commands(lesson.body), commands(twin.body), `lessons/${lesson.lang}/${lesson.slug}.md`);
      assert.equal(lesson.meta.step, twin.meta.step, `lessons/${lesson.lang}/${lesson.slug}.md names another step`);
    }
  });

  test("have their step's hint, solution and every check message in their language", () => {
    const missing = translated.flatMap((lesson) => {
      const dir = join(projectRoot, 'steps', lesson.meta.step);
      const files = [`hint.${lesson.lang}.md`, `solution.${lesson.lang}.md`]
        .filter((file) => !existsSync(join(dir, file)))
        .map((file) => `steps/${lesson.meta.step}/${file}`);
      const messages = loadStep(projectRoot, lesson.meta.step, lesson.lang)
        .checks.filter((check) => check.message[lesson.lang] === undefined)
        .map((check) => `steps/${lesson.meta.step}/checks.yaml ${check.id} (${lesson.lang})`);
      return [...files, ...messages];
    });
    assert.deepEqual(missing, []);
  });
});

describe('the French course', () => {
  test('every step has its own French hint and solution', () => {
    const steps = readdirSync(join(projectRoot, 'steps')).filter((f) => /^step-\d+-/.test(f));
    assert.ok(steps.length > 0);
    const missing = steps.flatMap((folder) =>
      ['hint.fr.md', 'solution.fr.md']
        .filter((file) => !existsSync(join(projectRoot, 'steps', folder, file)))
        .map((file) => `steps/${folder}/${file}`),
    );
    assert.deepEqual(missing, []);
  });
});

describe('the Kube Wars rules', () => {
  const mentions: Record<string, RegExp[]> = {
    en: [/`evict`/, /PodDisruptionBudget/, /capital ships/i, /`Orphan`/],
    fr: [/`evict`/, /PodDisruptionBudget/, /vaisseaux amiraux/i, /capital ships/i, /`Orphan`/],
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
