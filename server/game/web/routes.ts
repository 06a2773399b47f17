// The game's HTTP API (issue 5): public reads, instructor-only actions behind the bearer token (wrong tokens are
// limited per client address).
import express from 'express';
import type { ErrorRequestHandler, Router } from 'express';
import type { z } from 'zod';
import type { Logger } from '../../log.ts';
import type { GameEngine } from '../engine.ts';
import { GameError } from '../errors.ts';
import { type FailedAttempts, requireInstructor } from './auth.ts';
import { chaosBody, describeIssue, fireBody, roundId, startRoundBody } from './schemas.ts';

export interface GameRoutesOptions {
  engine: GameEngine;
  instructorToken: string;
  log: Logger;
  /** Wrong tokens per client address, shared with every other path that checks the token. */
  attempts: FailedAttempts;
}

class BadRequest extends Error {
  readonly status = 400;
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new BadRequest(describeIssue(result.error));
  return result.data;
}

// Express 5 sends a handler's throw or rejected promise to the error handler below.
export function gameRoutes(options: GameRoutesOptions): Router {
  const { engine, log } = options;
  const router = express.Router();
  const instructor = requireInstructor(options.instructorToken, log, options.attempts);

  router.get('/api/state', (_req, res) => {
    res.json(engine.state());
  });
  router.get('/api/rounds', (_req, res) => {
    res.json(engine.rounds());
  });
  router.get('/api/rounds/:id', (req, res) => {
    const id = parse(roundId, req.params['id']);
    const round = engine.round(id);
    if (!round) throw new GameError(404, `No round ${id}: GET /api/rounds lists them.`);
    res.json(round);
  });
  // Public like GET /api/rounds/:id, which holds the same data (issue 5 keeps only actions instructor-only); an
  // Authorization header, such as the instructor screen's, is simply not looked at.
  for (const format of ['csv', 'json'] as const) {
    router.get(`/api/rounds/:id/export.${format}`, (req, res) => {
      const id = parse(roundId, req.params['id']);
      const body = engine.exportRound(id, format);
      if (body === undefined) throw new GameError(404, `No round ${id}: GET /api/rounds lists them.`);
      res
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
        .attachment(`kubewars-round-${id}.${format}`)
        .send(body);
    });
  }
  router.get('/metrics', async (_req, res) => {
    res.type(engine.metrics.contentType).send(await engine.metrics.metrics());
  });

  router.post('/api/rounds', instructor, (req, res) => {
    const { durationSeconds } = parse(startRoundBody, req.body ?? {});
    const round = engine.startRound(durationSeconds);
    log.info({ round: round.id, durationSeconds }, 'round started by the instructor');
    res.status(201).json(round);
  });
  const actions = {
    pause: () => engine.pauseRound(),
    resume: () => engine.resumeRound(),
    stop: () => engine.stopRound(),
  };
  for (const [action, run] of Object.entries(actions)) {
    router.post(`/api/rounds/current/${action}`, instructor, (_req, res) => {
      const round = run();
      log.info({ round: round.id, status: round.status }, `round ${action} by the instructor`);
      res.json(round);
    });
  }
  router.post('/api/rounds/current/reset', instructor, (_req, res) => {
    engine.resetRound();
    log.info('game reset to the lobby by the instructor');
    res.json({ round: engine.state().round });
  });
  router.put('/api/chaos', instructor, (req, res) => {
    const body = parse(chaosBody, req.body ?? {});
    const settings = engine.setChaos(body);
    log.info({ chaos: settings }, 'chaos settings changed by the instructor');
    res.json(settings);
  });
  router.post('/api/fire', instructor, async (req, res) => {
    const { uid } = parse(fireBody, req.body ?? {});
    res.json(await engine.fire(uid));
  });

  const onError: ErrorRequestHandler = (error: unknown, _req, res, next) => {
    if (error instanceof GameError || error instanceof BadRequest) {
      res.status(error.status).json({ error: error.message });
      return;
    }
    // Anything else is a bug: the web server's handler logs it and answers 500 without details.
    next(error);
  };
  router.use(onError);
  return router;
}
