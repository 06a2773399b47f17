import { join } from 'node:path';
import { clusterAdminChecks } from './cluster-admin.ts';
import { FolderCache } from './folder-cache.ts';
import { fallbackLanguage, findLesson, listLanguages, loadCourse, loadStep, type LessonSource, type StepFiles } from './loader.ts';
import { highlightCode, renderLesson, type RenderOptions } from './render.ts';

/** One lesson as the viewer gets it (GET /api/lessons/:lang/:slug); the browser imports this type. */
export interface LessonPage {
  slug: string;
  /** The language the text is in: English when the requested one lacks this lesson. */
  lang: string;
  requestedLang: string;
  languages: string[];
  title: string;
  step: string;
  duration: number;
  objectives: string[];
  html: string;
  hintHtml: string | null;
  solutionHtml: string | null;
  /** `html` is the manifest highlighted server-side (highlight.js spans, text escaped). */
  manifests: { name: string; url: string; text: string; html: string }[];
  checks: string[];
  /** The checks that need cluster-admin: in a namespace room the viewer says the instructor shows them. */
  clusterAdminChecks: string[];
  previous: { slug: string; title: string } | null;
  next: { slug: string; title: string } | null;
}

export interface CourseIndex {
  languages: string[];
  courses: Record<string, { slug: string; number: string; lang: string; title: string; step: string; duration: number }[]>;
}

/**
 * The course as the platform serves it: lessons parsed and rendered once, then kept until a file they come from
 * changes (issue 17: not re-read and re-rendered on every request). `render` is read on each call, so a room's URL
 * known only once the server listens is used as soon as it is.
 */
export class LessonLibrary {
  private readonly cache: FolderCache;

  constructor(
    private readonly projectRoot: string,
    private readonly render: () => RenderOptions = () => ({}),
    now: () => number = Date.now,
  ) {
    this.cache = new FolderCache(now);
  }

  /** The languages the course has, English first; a language outside them is served in English. */
  language(lang: string): string {
    return this.languages().includes(lang) ? lang : fallbackLanguage;
  }

  languages(): string[] {
    return this.cache.get('languages', [this.folder('lessons')], () => listLanguages(this.projectRoot));
  }

  course(lang: string): LessonSource[] {
    const language = this.language(lang);
    return this.cache.get(`course:${language}`, this.courseFolders(language), () => loadCourse(this.projectRoot, language));
  }

  step(folder: string, lang: string): StepFiles {
    const language = this.language(lang);
    return this.cache.get(`step:${folder}:${language}`, [this.folder('steps', folder)], () =>
      loadStep(this.projectRoot, folder, language),
    );
  }

  index(): CourseIndex {
    const languages = this.languages();
    const folders = [...new Set(languages.flatMap((l) => this.courseFolders(l)))];
    return this.cache.get('index', folders, () => ({
      languages,
      courses: Object.fromEntries(
        languages.map((lang) => [
          lang,
          this.course(lang).map((l) => ({
            slug: l.slug,
            number: l.number,
            lang: l.lang,
            title: l.meta.title,
            step: l.meta.step,
            duration: l.meta.duration,
          })),
        ]),
      ),
    }));
  }

  /** The grid's columns: each step once, in course order, titled by its (English) lesson. */
  courseSteps(): { step: string; number: string; title: string }[] {
    const seen = new Set<string>();
    return this.course(fallbackLanguage)
      .filter((l) => !seen.has(l.meta.step) && seen.add(l.meta.step))
      .map((l) => ({ step: l.meta.step, number: l.number, title: l.meta.title }));
  }

  /** A lesson rendered for the viewer, found by slug or number; undefined when the course has no such lesson. */
  page(lang: string, slug: string): LessonPage | undefined {
    const language = this.language(lang);
    const course = this.course(language);
    const found = findLesson(course, slug);
    if (!found) return undefined;
    const options = this.render();
    // Keyed by the lesson found, not the slug asked for: "04-anything" is lesson 04, and the cache stays bounded.
    const key = `page:${language}:${found.number}:${options.stepsBaseUrl ?? ''}`;
    const folders = [...this.courseFolders(language), this.folder('steps', found.meta.step)];
    return this.cache.get(key, folders, () => this.renderPage(language, course, found, options));
  }

  private renderPage(lang: string, course: LessonSource[], found: LessonSource, options: RenderOptions): LessonPage {
    const position = course.indexOf(found);
    const step = this.step(found.meta.step, lang);
    const neighbour = (i: number) => (course[i] ? { slug: course[i].slug, title: course[i].meta.title } : null);
    const html = (markdown: string | undefined) => (markdown === undefined ? null : renderLesson(markdown, lang, options).html);
    return {
      slug: found.slug,
      lang: found.lang,
      requestedLang: lang,
      languages: this.languages(),
      ...found.meta,
      html: renderLesson(found.body, lang, options).html,
      hintHtml: html(step.hint),
      solutionHtml: html(step.solution),
      manifests: step.manifests.map((m) => ({
        name: m.name,
        url: `/steps/${step.folder}/${m.name}`,
        text: m.text,
        html: highlightCode(m.text, 'yaml'),
      })),
      checks: step.checks.map((c) => c.id),
      clusterAdminChecks: clusterAdminChecks(found, step),
      previous: neighbour(position - 1),
      next: neighbour(position + 1),
    };
  }

  private courseFolders(lang: string): string[] {
    const folders = [this.folder('lessons'), this.folder('lessons', fallbackLanguage)];
    return lang === fallbackLanguage ? folders : [...folders, this.folder('lessons', lang)];
  }

  private folder(...parts: string[]): string {
    return join(this.projectRoot, ...parts);
  }
}
