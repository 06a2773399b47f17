// A stand-in for the room server's HTTP contract (issue 12), in memory, for the browser tests of the room pages:
// POST/GET/DELETE /api/attendees…, the kubeconfig download and GET /api/room. The pages only ever speak this
// contract, so a test written against it runs unchanged against the real `kubewars start --room`.
import { randomBytes } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import { labelValuePattern } from '../../server/sandbox/validation/names.ts';

export interface TestRoomOptions {
  /** The token GET /api/attendees, DELETE and any attendee's kubeconfig need. */
  instructorToken: string;
  maxAttendees?: number;
  publicBaseUrl?: string;
  /** An attendee's ships flying/total, as the game would report them (default 0/0). */
  fleet?(name: string): { flying: number; total: number } | undefined;
  /** Steps an attendee completed, as the lessons would report them (default 0). */
  stepsDone?(name: string): number;
}

interface Seat {
  name: string;
  key: string;
  joinedAt: string;
  lastActivity: string | null;
}

export interface TestRoom {
  /** Express app handling the contract's routes; anything else falls through to `next`. */
  app: Express;
  /** Every request the contract saw, "METHOD path" and whether it carried a bearer credential. */
  requests: { method: string; path: string; bearer: string | null }[];
  /** The kubeconfig the room hands `name`: what a download must save byte for byte. */
  kubeconfigOf(name: string): string | undefined;
}

/** A kubeconfig shaped as the sandbox writes them: one cluster, one user with a bearer token, one context. */
function kubeconfigFor(name: string, token: string): string {
  return `apiVersion: v1
kind: Config
clusters:
  - name: kubewars-room
    cluster:
      server: https://127.0.0.1:6443
      insecure-skip-tls-verify: true
users:
  - name: ${name}
    user:
      token: ${token}
contexts:
  - name: kubewars-${name}
    context:
      cluster: kubewars-room
      user: ${name}
current-context: kubewars-${name}
`;
}

export function createTestRoom(options: TestRoomOptions): TestRoom {
  const seats = new Map<string, Seat>();
  const tokens = new Map<string, string>();
  const maxAttendees = options.maxAttendees ?? 200;
  const app = express();
  const room: TestRoom = {
    app,
    requests: [],
    kubeconfigOf: (name) => {
      const token = tokens.get(name);
      return token === undefined ? undefined : kubeconfigFor(name, token);
    },
  };
  const bearer = (req: Request): string | null =>
    /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null;
  const fail = (res: Response, status: number, error: string): void =>
    void res.status(status).json({ error });
  const isInstructor = (req: Request): boolean => bearer(req) === options.instructorToken;

  app.use((req, _res, next) => {
    if (req.path.startsWith('/api/'))
      room.requests.push({ method: req.method, path: req.path, bearer: bearer(req) });
    next();
  });
  app.get('/api/room', (_req, res) => {
    res.json({ room: true, publicBaseUrl: options.publicBaseUrl ?? 'http://127.0.0.1', maxAttendees });
  });
  // The body parser on this route only: requests the room does not handle reach `next` with their body unread.
  app.post('/api/attendees', express.json(), (req, res) => {
    const name: unknown = (req.body as { name?: unknown } | undefined)?.name;
    if (typeof name !== 'string' || name.length > 63 || !labelValuePattern.test(name))
      return fail(
        res,
        400,
        'A name is 1 to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit.',
      );
    const seat = seats.get(name);
    if (seat) {
      if (bearer(req) !== seat.key) {
        // As the room server does, a taken name comes with a free one to offer.
        let n = 2;
        while (seats.has(`${name}-${n}`)) n++;
        return void res.status(409).json({ error: `The name ${name} is taken.`, suggestion: `${name}-${n}` });
      }
      return void res.status(200).json({ name, key: seat.key, kubeconfig: room.kubeconfigOf(name) });
    }
    if (seats.size >= maxAttendees) return fail(res, 503, `The room is full (${maxAttendees} attendees).`);
    const key = randomBytes(24).toString('base64url');
    seats.set(name, { name, key, joinedAt: new Date().toISOString(), lastActivity: null });
    tokens.set(name, randomBytes(24).toString('base64url'));
    res.status(201).json({ name, key, kubeconfig: room.kubeconfigOf(name) });
  });
  app.get('/api/attendees/:name/kubeconfig', (req, res) => {
    const seat = seats.get(req.params.name);
    if (!seat || (bearer(req) !== seat.key && !isInstructor(req))) return fail(res, 401, 'Unauthorized');
    if (bearer(req) === seat.key) seat.lastActivity = new Date().toISOString();
    res
      .status(200)
      .type('application/yaml')
      .attachment(`kubewars-${seat.name}.kubeconfig`)
      .send(room.kubeconfigOf(seat.name));
  });
  app.get('/api/attendees', (req, res) => {
    if (!isInstructor(req)) return fail(res, 401, 'Unauthorized');
    res.json(
      [...seats.values()].map((seat) => ({
        name: seat.name,
        joinedAt: seat.joinedAt,
        lastActivity: seat.lastActivity,
        flying: options.fleet?.(seat.name)?.flying ?? 0,
        total: options.fleet?.(seat.name)?.total ?? 0,
        stepsDone: options.stepsDone?.(seat.name) ?? 0,
      })),
    );
  });
  app.delete('/api/attendees/:name', (req, res) => {
    if (!isInstructor(req)) return fail(res, 401, 'Unauthorized');
    if (!seats.delete(req.params.name)) return fail(res, 404, `No attendee ${req.params.name}.`);
    tokens.delete(req.params.name);
    res.status(204).end();
  });
  return room;
}
