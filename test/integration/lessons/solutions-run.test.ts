// Every step's solution is a promise to the learner: its runnable blocks, run alone in a fresh sandbox, complete the
// step. Run for each language that writes its own solution, through the same runner as the lessons.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { listLanguages, loadStep } from '../../../server/lessons/loader.ts';
import { renderLesson } from '../../../server/lessons/render.ts';
import { projectRoot, runBlocksThenCheck } from './sandbox-run.ts';

const steps = readdirSync(join(projectRoot, 'steps')).filter((f) => /^step-\d+-/.test(f)).sort();
const runs = listLanguages(projectRoot).flatMap((lang) =>
  steps
    .filter((folder) => lang === 'en' || existsSync(join(projectRoot, 'steps', folder, `solution.${lang}.md`)))
    .map((folder) => ({ lang, folder })),
);

describe('step solutions', { concurrency: 6 }, () => {
  for (const { lang, folder } of runs) {
    test(`steps/${folder} solution (${lang}) completes the step in a fresh sandbox`, async (t) => {
      const step = loadStep(projectRoot, folder, lang);
      const blocks = renderLesson(step.solution ?? '').blocks;
      assert.ok(
        blocks.some((b) => b.mode === 'run'),
        `steps/${folder} solution (${lang}) has no \`bash run\` block: mark the commands that complete the step`,
      );
      await runBlocksThenCheck(t, {
        source: `steps/${folder} solution (${lang})`,
        namespace: `solution-${/^step-(\d+)/.exec(folder)?.[1] ?? '0'}`,
        blocks,
        step,
        lang,
      });
    });
  }
});
