import assert from 'node:assert/strict';
import { dirname, resolve } from 'node:path';
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
