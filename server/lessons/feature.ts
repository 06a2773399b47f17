import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import express, { type Express, type Request, type Response } from 'express';
import type { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';
import { requireInstructor } from '../game/web/auth.ts';
import { logger } from '../log.ts';
import type { WebFeature } from '../web/feature.ts';
import { runChecks } from './check-runner.ts';
import { fallbackLanguage, findLesson, listLanguages, loadCourse, loadStep } from './loader.ts';
import { ProgressStore } from './progress.ts';
import { highlightCode, renderLesson } from './render.ts';

export interface LessonsFeatureOptions {
  projectRoot: string;
  kubeConfig: KubeConfig;
  dataDir: string;
  defaultNamespace: string;
  /** The attendees × steps grid is the instructor's: GET /api/progress needs `Authorization: Bearer <token>`. */
  instructorToken: string;
}

const checkBodySchema = z.object({
  namespace: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a namespace is lowercase letters, digits and dashes')
    .max(63)
    .optional(),
  player: z.string().trim().min(1).max(63).optional(),
  lang: z.string().regex(/^[a-z]{2}(-[A-Za-z]{2})?$/).optional(),
});

function fail(res: Response, status: number, error: string): void {
  res.status(status).json({ error });
}

function pickLanguage(projectRoot: string, lang: string): string {
  return listLanguages(projectRoot).includes(lang) ? lang : fallbackLanguage;
}

/** The grid's columns: each step once, in course order, titled by its (English) lesson. */
function courseSteps(projectRoot: string): { step: string; number: string; title: string }[] {
  const seen = new Set<string>();
  return loadCourse(projectRoot, fallbackLanguage)
    .filter((l) => !seen.has(l.meta.step) && seen.add(l.meta.step))
    .map((l) => ({ step: l.meta.step, number: l.number, title: l.meta.title }));
}

/** Lessons, step files, "Check my work" and the progress grid, mounted on the platform's web server. */
export function createLessonsFeature(options: LessonsFeatureOptions): WebFeature {
  const { projectRoot, kubeConfig, defaultNamespace } = options;
  const progress = new ProgressStore(join(options.dataDir, 'lessons-progress.json'));
  const stepsRoot = resolve(projectRoot, 'steps');

  const index = (_req: Request, res: Response): void => {
    const languages = listLanguages(projectRoot);
    res.json({
      languages,
      defaultNamespace,
      courses: Object.fromEntries(
        languages.map((lang) => [
          lang,
          loadCourse(projectRoot, lang).map((l) => ({
            slug: l.slug,
            number: l.number,
            lang: l.lang,
            title: l.meta.title,
            step: l.meta.step,
            duration: l.meta.duration,
          })),
        ]),
      ),
    });
  };

  const lesson = (req: Request, res: Response): void => {
    const lang = pickLanguage(projectRoot, String(req.params.lang));
    const course = loadCourse(projectRoot, lang);
    const found = findLesson(course, String(req.params.slug));
    if (!found) return fail(res, 404, `No lesson "${String(req.params.slug)}": pick one from /lessons`);
    const position = course.indexOf(found);
    const step = loadStep(projectRoot, found.meta.step, lang);
    const neighbour = (i: number) => (course[i] ? { slug: course[i].slug, title: course[i].meta.title } : null);
    res.json({
      slug: found.slug,
      lang: found.lang,
      requestedLang: lang,
      languages: listLanguages(projectRoot),
      ...found.meta,
      html: renderLesson(found.body, lang).html,
      hintHtml: step.hint === undefined ? null : renderLesson(step.hint, lang).html,
      solutionHtml: step.solution === undefined ? null : renderLesson(step.solution, lang).html,
      manifests: step.manifests.map((m) => ({
        name: m.name,
        url: `/steps/${step.folder}/${m.name}`,
        text: m.text,
        html: highlightCode(m.text, 'yaml'),
      })),
      checks: step.checks.map((c) => c.id),
      previous: neighbour(position - 1),
      next: neighbour(position + 1),
    });
  };

  const check = async (req: Request, res: Response): Promise<void> => {
    const body = checkBodySchema.safeParse(req.body ?? {});
    if (!body.success) return fail(res, 400, body.error.issues[0]?.message ?? 'invalid request');
    const lang = pickLanguage(projectRoot, body.data.lang ?? fallbackLanguage);
    const found = findLesson(loadCourse(projectRoot, lang), String(req.params.slug));
    if (!found) return fail(res, 404, `No lesson "${String(req.params.slug)}"`);
    const step = loadStep(projectRoot, found.meta.step, lang);
    const namespace = body.data.namespace ?? defaultNamespace;
    const results = await runChecks(kubeConfig, step.checks, namespace, lang, body.data.player);
    const complete = results.length > 0 && results.every((r) => r.passed);
    if (complete && body.data.player) progress.complete(body.data.player, step.folder);
    res.json({ step: step.folder, namespace, complete, results });
  };

  // Raw step files; realpath keeps symlinks and ../ from leaving steps/.
  const stepFile = (req: Request, res: Response): void => {
    const parts = ([] as string[]).concat((req.params as { path?: string | string[] }).path ?? []);
    const target = resolve(stepsRoot, ...parts);
    if (!existsSync(target) || !statSync(target).isFile()) return fail(res, 404, 'No such step file');
    const real = realpathSync(target);
    if (!real.startsWith(realpathSync(stepsRoot) + sep)) return fail(res, 404, 'No such step file');
    res.type(/\.ya?ml$/.test(real) ? 'application/yaml' : 'text/plain').send(readFileSync(real, 'utf8'));
  };

  return {
    name: 'lessons',
    mount(app: Express): void {
      const router = express.Router();
      router.use(express.json({ limit: '16kb' }));
      router.get('/api/lessons', index);
      router.get('/api/lessons/:lang/:slug', lesson);
      router.post('/api/lessons/:slug/check', (req, res, next) => {
        check(req, res).catch(next);
      });
      router.get('/api/progress', requireInstructor(options.instructorToken, logger), (_req, res) => {
        res.json({ steps: courseSteps(projectRoot), ...progress.snapshot() });
      });
      // A learner's own ticks on the course index: the name is the one they chose, so it is all they can ask for.
      router.get('/api/progress/:player', (req, res) => {
        res.json({ steps: progress.stepsOf(String(req.params.player)) });
      });
      router.get('/steps/*path', stepFile);
      router.use((error: Error, _req: Request, res: Response, _next: express.NextFunction) => {
        logger.warn({ err: error }, 'lessons request failed');
        fail(res, 500, error.message);
      });
      app.use(router);
    },
  };
}
