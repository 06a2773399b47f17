// The room's HTTP contract (issue 12): join, download a kubeconfig, list and remove attendees. Errors are JSON
// `{"error": "…"}`; a taken name also carries a `suggestion`.
import express from 'express';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { MemoryStore, rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { bearerToken, requireInstructor } from '../game/web/auth.ts';
import type { Logger } from '../log.ts';
import type { WebFeature } from '../web/feature.ts';
import { type Room, RoomError } from './room.ts';

export interface RoomFeatureOptions {
  room: Room;
  instructorToken: string;
  /** Joins allowed per client address and minute: enough for a room behind one NAT, not for a script. */
  joinsPerMinute: number;
  log: Logger;
}

const joinBody = z.object({ name: z.string({ error: 'Send your name: {"name": "rey"}.' }).trim() });
/** Ending a room deletes every attendee's place: the request says so in words, so no stray call can. */
const endBody = z.object({ confirm: z.literal('end room') });

function kubeconfigFileName(name: string): string {
  return `kubewars-${name}.kubeconfig`;
}

export function createRoomFeature(options: RoomFeatureOptions): WebFeature {
  const { room, log } = options;
  const store = new MemoryStore();
  const joinLimit = rateLimit({
    windowMs: 60_000,
    limit: options.joinsPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store,
    handler: (req, res, _next, used) => {
      log.warn({ ip: req.ip }, 'room joins rate limited');
      res
        .status(used.statusCode)
        .json({ error: 'Too many joins from your computer: wait a minute and try again.' });
    },
  });
  const instructor = requireInstructor(options.instructorToken, log);

  /** The attendee's own key, or else the instructor token (whose failed attempts the instructor check counts). */
  const attendeeOrInstructor: RequestHandler = (req, res, next) => {
    const name = String(req.params['name']);
    const given = bearerToken(req.get('authorization'));
    if (given !== undefined && room.keyOf(name, given)) {
      room.touch(name);
      return next();
    }
    // A removed attendee's page still holds its key: that is no failed instructor login (whose count could throttle
    // a whole room behind one address), only an attendee who is gone.
    if (given !== undefined && !room.has(name)) {
      res
        .status(404)
        .json({ error: `No attendee named "${name}" in this room: join again on the player page.` });
      return;
    }
    if (given === undefined) {
      res
        .status(401)
        .set('WWW-Authenticate', 'Bearer realm="kubewars-room"')
        .json({
          error: `This kubeconfig is ${name}'s: send "Authorization: Bearer <key>" with the key the player page keeps for ${name}, or the instructor token.`,
        });
      return;
    }
    instructor(req, res, next);
  };

  const join = async (req: Request, res: Response): Promise<void> => {
    const body = joinBody.safeParse(req.body ?? {});
    if (!body.success) throw new RoomError(400, body.error.issues[0]?.message ?? 'Send your name.');
    const joined = await room.join(body.data.name, bearerToken(req.get('authorization')));
    res.status(joined.status).json({ name: joined.name, key: joined.key, kubeconfig: joined.kubeconfig });
  };

  const onError: ErrorRequestHandler = (error: unknown, _req, res, next) => {
    if (error instanceof RoomError) {
      res.status(error.status).json({
        error: error.message,
        ...(error.suggestion === undefined ? {} : { suggestion: error.suggestion }),
      });
      return;
    }
    next(error);
  };

  return {
    name: 'room',
    mount(app) {
      const router = express.Router();
      router.post('/api/attendees', joinLimit, join);
      router.get('/api/attendees', instructor, (_req, res) => {
        res.json(room.list());
      });
      router.get('/api/attendees/:name/kubeconfig', attendeeOrInstructor, async (req, res) => {
        const name = String(req.params['name']);
        // attachment() types the response by the file's extension: the YAML type is set after it.
        const kubeconfig = await room.attendeeKubeconfig(name);
        res.attachment(kubeconfigFileName(name)).type('application/yaml').send(kubeconfig);
      });
      router.delete('/api/attendees/:name', instructor, async (req, res) => {
        await room.remove(String(req.params['name']));
        res.status(204).end();
      });
      router.post('/api/room/end', instructor, async (req, res) => {
        if (!endBody.safeParse(req.body ?? {}).success) {
          throw new RoomError(
            400,
            'Ending the room removes every attendee and deletes their clusters or namespaces: send {"confirm": "end room"}.',
          );
        }
        res.json({ removed: await room.end() });
      });
      router.use(onError);
      app.use(router);
    },
    async close() {
      room.close();
      await store.shutdown();
    },
  };
}
