import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { checksFileSchema, type Check } from './checks.ts';
import { parseFrontMatter, type LessonFrontMatter } from './front-matter.ts';

export const fallbackLanguage = 'en';

export interface LessonSource {
  /** Two-digit order, shared by every translation of the lesson. */
  number: string;
  /** File name without .md, e.g. 04-pods; the URL names the lesson by it. */
  slug: string;
  /** The language the text is actually in (English when the requested one lacks this lesson). */
  lang: string;
  meta: LessonFrontMatter;
  body: string;
}

const lessonFile = /^(\d+)-[a-z0-9-]+\.md$/;

export function listLanguages(projectRoot: string): string[] {
  const dir = join(projectRoot, 'lessons');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^[a-z]{2}(-[A-Za-z]{2})?$/.test(entry.name))
    .map((entry) => entry.name)
    .sort((a, b) => (a === fallbackLanguage ? -1 : b === fallbackLanguage ? 1 : a.localeCompare(b)));
}

function readLanguage(projectRoot: string, lang: string): LessonSource[] {
  const dir = join(projectRoot, 'lessons', lang);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => lessonFile.test(file))
    .sort()
    .map((file) => {
      const { meta, body } = parseFrontMatter(readFileSync(join(dir, file), 'utf8'), `lessons/${lang}/${file}`);
      return { number: lessonFile.exec(file)?.[1] ?? '', slug: file.replace(/\.md$/, ''), lang, meta, body };
    });
}

/** The course in one language: each lesson in that language when translated, in English otherwise, in order. */
export function loadCourse(projectRoot: string, lang: string): LessonSource[] {
  const byNumber = new Map(readLanguage(projectRoot, fallbackLanguage).map((l) => [l.number, l]));
  if (lang !== fallbackLanguage) for (const l of readLanguage(projectRoot, lang)) byNumber.set(l.number, l);
  return [...byNumber.values()].sort((a, b) => Number(a.number) - Number(b.number));
}

/** Finds a lesson by its slug or by its number prefix (translations may name the file differently). */
export function findLesson(course: LessonSource[], slug: string): LessonSource | undefined {
  const number = /^(\d+)/.exec(slug)?.[1];
  return course.find((l) => l.slug === slug) ?? course.find((l) => number !== undefined && Number(l.number) === Number(number));
}

export interface StepFiles {
  folder: string;
  manifests: { name: string; text: string }[];
  checks: Check[];
  hint?: string;
  solution?: string;
}

function readOptional(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** A step folder: its manifests, checks and the hint/solution in `lang`, falling back to the shared English one. */
export function loadStep(projectRoot: string, folder: string, lang: string): StepFiles {
  if (!/^step-\d+-[a-z0-9-]+$/.test(folder)) throw new Error(`invalid step folder name "${folder}"`);
  const dir = join(projectRoot, 'steps', folder);
  if (!existsSync(dir)) throw new Error(`steps/${folder} is missing: the lesson names a step that does not exist`);
  const files = readdirSync(dir).sort();
  const manifests = files
    .filter((f) => /\.ya?ml$/.test(f) && f !== 'checks.yaml')
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
  const checksText = readOptional(join(dir, 'checks.yaml'));
  const parsed = checksFileSchema.safeParse(checksText === undefined ? { checks: [] } : parse(checksText));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`steps/${folder}/checks.yaml: ${issue?.path.join('.')} ${issue?.message ?? 'is invalid'}`);
  }
  const localized = (base: string): string | undefined =>
    (lang !== fallbackLanguage ? readOptional(join(dir, `${base}.${lang}.md`)) : undefined) ??
    readOptional(join(dir, `${base}.md`));
  return { folder, manifests, checks: parsed.data.checks, hint: localized('hint'), solution: localized('solution') };
}
