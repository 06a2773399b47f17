import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
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

/** Lets a request through only with the instructor's bearer token; otherwise 401 JSON and a warning in the log. */
export function requireInstructor(token: string, log: Logger): RequestHandler {
  return (req, res, next) => {
    const given = bearerToken(req.get('authorization'));
    if (tokenMatches(token, given)) return next();
    // The guess itself is never logged: it may be a mistyped real token.
    log.warn(
      { ip: req.ip, method: req.method, path: req.path, reason: given === undefined ? 'missing' : 'wrong' },
      'instructor request refused',
    );
    res
      .status(401)
      .set('WWW-Authenticate', 'Bearer realm="kubewars-instructor"')
      .json({
        error:
          given === undefined
            ? 'Instructor token required: send "Authorization: Bearer <token>" with the token printed by `kubewars start`.'
            : 'Wrong instructor token: use the token printed by `kubewars start` (or set with --instructor-token).',
      });
  };
}
