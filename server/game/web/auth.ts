// The instructor's token, checked the same way on every path (REST routes, GET /api/progress, the /instructor
// socket): constant-time, and with failed attempts limited per client address so the token cannot be guessed.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Express, Request, RequestHandler } from 'express';
import { type Clock, systemClock } from '../../clock.ts';
import type { Logger } from '../../log.ts';

/**
 * Constant-time token comparison. Both sides are hashed first so the comparison takes the same time whatever the
 * length of the guess (timingSafeEqual alone would leak the token's length by throwing on a mismatch).
 */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(given)) && expected.length > 0;
}

/** The token of an `Authorization: Bearer <token>` header, if that is what the header holds. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer[ \t]+(\S+)\s*$/i);
  return match?.[1];
}

/** Wrong tokens per client address in a fixed window; a right token neither counts nor clears them. */
export class FailedAttempts {
  private readonly windows = new Map<string, { start: number; failures: number }>();

  constructor(
    readonly limit = 10,
    readonly windowMs = 60_000,
    private readonly clock: Pick<Clock, 'now'> = systemClock,
  ) {}

  /** Whether `address` used up its failed attempts for now: then even the right token is refused. */
  blocked(address: string): boolean {
    const window = this.windows.get(address);
    return (
      window !== undefined && this.clock.now() - window.start < this.windowMs && window.failures >= this.limit
    );
  }

  fail(address: string): void {
    const now = this.clock.now();
    let window = this.windows.get(address);
    if (!window || now - window.start >= this.windowMs) {
      // Forget windows that ended, so addresses that tried once do not pile up.
      for (const [key, old] of this.windows) if (now - old.start >= this.windowMs) this.windows.delete(key);
      window = { start: now, failures: 0 };
      this.windows.set(address, window);
    }
    window.failures++;
  }

  /** Seconds until `address` may try again. */
  retryAfterSeconds(address: string): number {
    const start = this.windows.get(address)?.start ?? this.clock.now();
    return Math.max(1, Math.ceil((start + this.windowMs - this.clock.now()) / 1000));
  }
}

/** The check every path makes: too many failures, the right token, or a failure that counts. */
export type TokenCheck = 'ok' | 'wrong' | 'missing' | 'blocked';

/** One limit per token, shared by every path that checks it (the platform has one instructor token). */
const attemptsByToken = new Map<string, FailedAttempts>();

export function failedAttemptsFor(token: string): FailedAttempts {
  let attempts = attemptsByToken.get(token);
  if (!attempts) attemptsByToken.set(token, (attempts = new FailedAttempts()));
  return attempts;
}

export function checkInstructorToken(
  token: string,
  given: string | undefined,
  address: string,
  attempts: FailedAttempts = failedAttemptsFor(token),
): TokenCheck {
  if (attempts.blocked(address)) return 'blocked';
  if (tokenMatches(token, given)) return 'ok';
  // A missing token guesses nothing (a screen asking before the instructor typed it): only wrong ones count.
  if (given === undefined) return 'missing';
  attempts.fail(address);
  return 'wrong';
}

/**
 * The client address Express computes for a request (its `trust proxy` setting decides which X-Forwarded-For hop
 * counts), also for a request Express never saw, such as a socket.io handshake.
 */
export function clientAddress(app: Express, req: IncomingMessage): string {
  const view = Object.create(app.request, {
    headers: { value: req.headers },
    socket: { value: req.socket },
    connection: { value: req.socket },
  }) as Request;
  return view.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/**
 * Lets a request through only with the instructor's bearer token; otherwise 401 JSON (429 after too many failed
 * attempts from the client's address) and a warning in the log.
 */
export function requireInstructor(
  token: string,
  log: Logger,
  attempts: FailedAttempts = failedAttemptsFor(token),
): RequestHandler {
  return (req, res, next) => {
    const given = bearerToken(req.get('authorization'));
    const address = req.ip ?? 'unknown';
    const check = checkInstructorToken(token, given, address, attempts);
    if (check === 'ok') return next();
    // The guess itself is never logged: it may be a mistyped real token.
    log.warn(
      { ip: address, method: req.method, path: req.path, reason: check },
      'instructor request refused',
    );
    if (check === 'blocked') {
      res
        .status(429)
        .set('Retry-After', String(attempts.retryAfterSeconds(address)))
        .json({ error: 'Too many wrong instructor tokens from this address: wait a minute and try again.' });
      return;
    }
    res
      .status(401)
      .set('WWW-Authenticate', 'Bearer realm="kubewars-instructor"')
      .json({
        error:
          check === 'missing'
            ? 'Instructor token required: send "Authorization: Bearer <token>" with the token printed by `kubewars start`.'
            : 'Wrong instructor token: use the token printed by `kubewars start` (or set with --instructor-token).',
      });
  };
}
