import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';
import { systemClock, type Clock } from '../clock.ts';
import { clusterOwnNamespaces } from '../cluster-namespaces.ts';
import { bearerToken, requireInstructor } from '../game/web/auth.ts';
import { logger } from '../log.ts';
import { labelValueErrors } from '../sandbox/validation/names.ts';
import type { WebFeature } from '../web/feature.ts';
import { runChecks } from './check-runner.ts';
import { checksToRun, clusterAdminChecks, stepComplete } from './cluster-admin.ts';
import { LessonLibrary } from './library.ts';
import { fallbackLanguage, findLesson } from './loader.ts';
import { ProgressStore } from './progress.ts';
import type { RoomAttendees } from './room.ts';
import { viewerStrings } from './strings.ts';
import { TokenBuckets, type Rate } from './throttle.ts';

export interface LessonsFeatureOptions {
  projectRoot: string;
  kubeConfig: KubeConfig;
  dataDir: string;
  defaultNamespace: string;
  /** The attendees × steps grid is the instructor's: GET /api/progress needs `Authorization: Bearer <token>`. */
  instructorToken: string;
  /**
   * In a workshop room: a check needs the attendee's key, runs in that attendee's cluster and credits them only;
   * commands naming a manifest in steps/ name it by the room's URL.
   */
  room?: RoomAttendees;
  /** Checks one client address may send: `burst` at once, then `perSecond` (default 10, then 1 a second). */
  checkRate?: Rate;
  /** How many attendees the progress may hold (default 500): names come from whoever sends a check. */
  maxProgressAttendees?: number;
  clock?: Clock;
}

/** The lessons feature, and what the room's Attendees panel reads from it. */
export interface LessonsFeature extends WebFeature {
  /** How many steps an attendee has completed (0 for a name never seen). */
  stepsDone(name: string): number;
}

// A check reads the cluster with the platform's credentials (outside a room): never the cluster's own namespaces.
const protectedNamespaces = new Set(clusterOwnNamespaces);
const bodyLimit = '16kb';

const checkBodySchema = z.object({
  namespace: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a namespace is lowercase letters, digits and dashes')
    .max(63)
    .optional(),
  player: z.string().trim().min(1).max(63, 'a pilot name is at most 63 characters').optional(),
  lang: z.string().regex(/^[a-z]{2}(-[A-Za-z]{2})?$/).optional(),
});

/** The namespace of a kubeconfig's current context, if it names one. */
function contextNamespace(kubeConfig: KubeConfig): string | undefined {
  return kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace || undefined;
}

function fail(res: Response, status: number, error: string): void {
  res.status(status).json({ error });
}

/** Lessons, step files, "Check my work" and the progress grid, mounted on the platform's web server. */
export function createLessonsFeature(options: LessonsFeatureOptions): LessonsFeature {
  const { projectRoot, defaultNamespace, room } = options;
  const clock = options.clock ?? systemClock;
  const progress = new ProgressStore(join(options.dataDir, 'lessons-progress.json'), {
    clock,
    maxAttendees: options.maxProgressAttendees,
  });
  const library = new LessonLibrary(
    projectRoot,
    () => (room ? { stepsBaseUrl: room.publicBaseUrl } : {}),
    () => clock.now(),
  );
  const checkThrottle = new TokenBuckets(options.checkRate ?? { burst: 10, perSecond: 1 }, () => clock.now());
  const stepsRoot = resolve(projectRoot, 'steps');

  const index = (_req: Request, res: Response): void => {
    res.json({ ...library.index(), defaultNamespace, room: room !== undefined, roomKind: room?.kind ?? null });
  };

  const lesson = (req: Request, res: Response): void => {
    const page = library.page(String(req.params.lang), String(req.params.slug));
    if (!page) return fail(res, 404, `No lesson "${String(req.params.slug)}": pick one from /lessons`);
    res.json(page);
  };

  /**
   * Who the check is for, with which credentials and where: the attendee of the key in a room, else the body's name.
   * In a namespace room the attendee's kubeconfig names their namespace, the only one their token may write to.
   */
  const checker = (req: Request, player: string | undefined, namespace: string | undefined) => {
    if (!room) return { kubeConfig: options.kubeConfig, player, namespace: namespace ?? defaultNamespace };
    const key = bearerToken(req.get('authorization'));
    const attendee = key === undefined ? undefined : room.byKey(key);
    if (!attendee) return undefined;
    const own = room.kind === 'namespace' ? contextNamespace(attendee.kubeConfig) : undefined;
    return { kubeConfig: attendee.kubeConfig, player: attendee.name, namespace: own ?? namespace ?? defaultNamespace };
  };

  const check = async (req: Request, res: Response): Promise<void> => {
    const requested: unknown = (req.body as { lang?: unknown } | undefined)?.lang;
    const words = viewerStrings(library.language(typeof requested === 'string' ? requested : fallbackLanguage));
    const wait = checkThrottle.take(req.ip ?? req.socket.remoteAddress ?? '');
    if (wait > 0) {
      res.set('Retry-After', String(wait));
      return fail(res, 429, words.refused.tooManyChecks(wait));
    }
    const body = checkBodySchema.safeParse(req.body ?? {});
    if (!body.success) return fail(res, 400, body.error.issues[0]?.message ?? 'invalid request');
    const lang = library.language(body.data.lang ?? fallbackLanguage);
    const who = checker(req, body.data.player, body.data.namespace);
    if (!who) {
      res.set('WWW-Authenticate', 'Bearer realm="kubewars-room"');
      return fail(res, 401, words.joinRoomFirst);
    }
    if (!room && who.player !== undefined && labelValueErrors(who.player).length > 0) {
      return fail(res, 400, words.checks.nameNotLabel(who.player));
    }
    const { namespace } = who;
    if (protectedNamespaces.has(namespace)) return fail(res, 400, words.refused.protectedNamespace(namespace));
    const found = findLesson(library.course(lang), String(req.params.slug));
    if (!found) return fail(res, 404, `No lesson "${String(req.params.slug)}"`);
    const step = library.step(found.meta.step, lang);
    const { run, instructorShows } = checksToRun(step.checks, clusterAdminChecks(found, step), room?.kind);
    const results = await runChecks(who.kubeConfig, run, namespace, lang, who.player);
    const complete = stepComplete(step.checks.length, results);
    let saved = false;
    if (complete && who.player !== undefined) {
      const completion = progress.complete(who.player, step.folder);
      if (completion === 'full') logger.warn({ player: who.player }, 'lessons progress is full: completion not saved');
      saved = completion !== 'full';
    }
    res.json({ step: step.folder, namespace, complete, saved, results, instructorShows });
  };

  // Raw step files; realpath keeps symlinks and ../ from leaving steps/. kubectl reads them by URL in a room.
  const stepFile = (req: Request, res: Response): void => {
    const parts = ([] as string[]).concat((req.params as { path?: string | string[] }).path ?? []);
    const target = resolve(stepsRoot, ...parts);
    if (!existsSync(target) || !statSync(target).isFile()) return fail(res, 404, 'No such step file');
    const real = realpathSync(target);
    if (!real.startsWith(realpathSync(stepsRoot) + sep)) return fail(res, 404, 'No such step file');
    res.type(/\.ya?ml$/.test(real) ? 'application/yaml' : 'text/plain').send(readFileSync(real, 'utf8'));
  };

  // Refusals of the request itself (body-parser's, with their status) are said; anything else is ours: logged, and
  // answered without its text, which may name files or cluster details.
  const onError = (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const { status, type } = error as { status?: number; type?: string };
    if (status !== undefined && status >= 400 && status < 500) {
      if (type === 'entity.too.large') return fail(res, 413, `A request to the lessons is at most ${bodyLimit}.`);
      if (type === 'entity.parse.failed') return fail(res, 400, 'The request body is not valid JSON.');
      return fail(res, status, (error as Error).message);
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'lessons request failed');
    fail(res, 500, 'Internal error: see the server log');
  };

  return {
    name: 'lessons',
    stepsDone: (name) => progress.stepsDone(name),
    mount(app: Express): void {
      const router = express.Router();
      router.use(express.json({ limit: bodyLimit }));
      router.get('/api/lessons', index);
      router.get('/api/lessons/:lang/:slug', lesson);
      router.post('/api/lessons/:slug/check', (req, res, next) => {
        check(req, res).catch(next);
      });
      router.get('/api/progress', requireInstructor(options.instructorToken, logger), (_req, res) => {
        res.json({ steps: library.courseSteps(), ...progress.snapshot() });
      });
      // A learner's own ticks on the course index: the name is the one they chose, so it is all they can ask for.
      router.get('/api/progress/:player', (req, res) => {
        res.json({ steps: progress.stepsOf(String(req.params.player)) });
      });
      router.get('/steps/*path', stepFile);
      router.use(onError);
      app.use(router);
    },
    close: () => progress.flush(),
  };
}
