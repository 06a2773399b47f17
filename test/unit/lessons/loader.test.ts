import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseFrontMatter } from '../../../server/lessons/front-matter.ts';
import { findLesson, listLanguages, loadCourse, loadStep } from '../../../server/lessons/loader.ts';

const root = mkdtempSync(join(tmpdir(), 'kubewars-lessons-'));
after(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

function lesson(title: string, step: string): string {
  return `---\ntitle: ${title}\nstep: ${step}\nduration: 15\nobjectives:\n  - learn\n---\n# ${title}\n`;
}

write('lessons/en/01-intro.md', lesson('Intro', 'step-01-intro'));
write('lessons/en/02-pods.md', lesson('Pods', 'step-02-pods'));
write('lessons/fr/02-les-pods.md', lesson('Les pods', 'step-02-pods'));
write('lessons/fr/notes.txt', 'ignored');
write('steps/step-02-pods/pod.yaml', 'apiVersion: v1\nkind: Pod\n');
write('steps/step-02-pods/hint.md', 'english hint');
write('steps/step-02-pods/hint.fr.md', 'indice');
write('steps/step-02-pods/solution.md', 'english solution');
write(
  'steps/step-02-pods/checks.yaml',
  'checks:\n  - id: pod\n    kind: Pod\n    name: hello\n    expect: {phase: Running}\n    message: {en: run it, fr: lancez-le}\n',
);

describe('lesson loader', () => {
  test('English comes first among the language folders', () => {
    assert.deepEqual(listLanguages(root), ['en', 'fr']);
  });

  test('a language missing a lesson falls back to English for that lesson only', () => {
    const course = loadCourse(root, 'fr');
    assert.deepEqual(
      course.map((l) => [l.slug, l.lang, l.meta.title]),
      [
        ['01-intro', 'en', 'Intro'],
        ['02-les-pods', 'fr', 'Les pods'],
      ],
    );
  });

  test('an unknown language folder gives the English course', () => {
    assert.deepEqual(loadCourse(root, 'de').map((l) => l.lang), ['en', 'en']);
  });

  test('a lesson is found by its slug or by its number in another language', () => {
    const fr = loadCourse(root, 'fr');
    assert.equal(findLesson(fr, '02-pods')?.slug, '02-les-pods');
    assert.equal(findLesson(fr, '02-les-pods')?.lang, 'fr');
    assert.equal(findLesson(fr, '09-nothing'), undefined);
  });

  test('a step gives its manifests, checks and the hint in the language asked, shared solution otherwise', () => {
    const step = loadStep(root, 'step-02-pods', 'fr');
    assert.deepEqual(step.manifests.map((m) => m.name), ['pod.yaml']);
    assert.deepEqual(step.checks.map((c) => c.id), ['pod']);
    assert.equal(step.hint, 'indice');
    assert.equal(step.solution, 'english solution');
    assert.equal(loadStep(root, 'step-02-pods', 'en').hint, 'english hint');
  });

  test('a step folder name that climbs out of steps/ is refused', () => {
    assert.throws(() => loadStep(root, '../lessons', 'en'), /invalid step folder/);
  });
});

describe('front matter', () => {
  test('title, step, duration and objectives are read from the YAML header', () => {
    const { meta, body } = parseFrontMatter(lesson('Pods', 'step-04-pods'), 'x.md');
    assert.deepEqual(meta, { title: 'Pods', step: 'step-04-pods', duration: 15, objectives: ['learn'], clusterAdminChecks: [] });
    assert.equal(body, '# Pods\n');
  });

  test('clusterAdminChecks is a list of check ids, each named once', () => {
    const header = (field: string) => `---\ntitle: X\nstep: step-05-labels\nduration: 5\n${field}\n---\n`;
    assert.deepEqual(parseFrontMatter(header('clusterAdminChecks: [ssd-node]'), 'a.md').meta.clusterAdminChecks, ['ssd-node']);
    assert.throws(() => parseFrontMatter(header('clusterAdminChecks: true'), 'a.md'), /a.md: front matter field "clusterAdminChecks"/);
    assert.throws(() => parseFrontMatter(header('clusterAdminChecks: [""]'), 'a.md'), /a.md: front matter field "clusterAdminChecks.0"/);
    assert.throws(
      () => parseFrontMatter(header('clusterAdminChecks: [ssd-node, ssd-node]'), 'a.md'),
      /a.md: front matter field "clusterAdminChecks" names a check twice/,
    );
  });

  test('a lesson without front matter or with a bad field is named in the error', () => {
    assert.throws(() => parseFrontMatter('# no header', 'lessons/en/01-x.md'), /lessons\/en\/01-x.md: missing front matter/);
    assert.throws(
      () => parseFrontMatter('---\ntitle: X\nstep: step-01-x\nduration: soon\n---\n', 'a.md'),
      /a.md: front matter field "duration"/,
    );
  });
});
