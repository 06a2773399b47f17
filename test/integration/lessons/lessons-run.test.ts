// Every lesson is executed like code: its runnable blocks run in order with real kubectl against a fresh sandbox,
// then the step's checks must pass through the same check runner the viewer uses.
import { describe, test } from 'node:test';
import { listLanguages, loadCourse, loadStep } from '../../../server/lessons/loader.ts';
import { renderLesson } from '../../../server/lessons/render.ts';
import { projectRoot, runBlocksThenCheck } from './sandbox-run.ts';

// Only lessons written in each language: English fallbacks are already run under en.
const lessons = listLanguages(projectRoot).flatMap((lang) =>
  loadCourse(projectRoot, lang)
    .filter((l) => l.lang === lang)
    .map((lesson) => ({ lang, lesson })),
);

// Lessons mostly wait for simulated pods (the 34 use ~45 s of CPU in all), so every language shares one pool of 6.
// Measured on 2 cores busy with other jobs (load 14): 84 s at 4 at a time, 64 s at 6; 71 s as two pools of 4.
describe('lessons', { concurrency: 6 }, () => {
  for (const { lang, lesson } of lessons) {
    test(`lessons/${lang}/${lesson.slug} runs to completion and passes its checks`, async (t) => {
      await runBlocksThenCheck(t, {
        source: `lessons/${lang}/${lesson.slug}.md`,
        namespace: `lesson-${lesson.number}`,
        blocks: renderLesson(lesson.body).blocks,
        step: loadStep(projectRoot, lesson.meta.step, lang),
        lang,
      });
    });
  }
});
