// Request bodies of the game's HTTP API (issue 5's JSON contract), validated before they reach the engine.
import { z } from 'zod';
import { WEAPONS } from '../protocol.ts';

/** Issue 5: a round runs 5 minutes unless the instructor says otherwise. */
export const DEFAULT_ROUND_SECONDS = 300;

export const startRoundBody = z.strictObject({
  durationSeconds: z
    .number({
      error:
        'durationSeconds is the round length in seconds, e.g. {"durationSeconds": 300} (leave it out for 5 minutes)',
    })
    .int('durationSeconds is a whole number of seconds')
    .min(5, 'a round lasts at least 5 seconds')
    .max(24 * 3600, 'a round lasts at most 24 hours')
    .default(DEFAULT_ROUND_SECONDS),
});

/** Any subset of the chaos settings; a partial capitalShips is merged by the engine. */
export const chaosBody = z.strictObject({
  auto: z.boolean().optional(),
  intervalSeconds: z
    .number()
    .min(0.05, 'intervalSeconds is at least 0.05')
    .max(3600, 'intervalSeconds is at most 3600')
    .optional(),
  jitter: z.number().min(0, 'jitter is between 0 and 1').max(1, 'jitter is between 0 and 1').optional(),
  fair: z.boolean().optional(),
  dryRun: z.boolean().optional(),
  budgetPerMinute: z
    .number()
    .int('budgetPerMinute is a whole number of shots')
    .min(1, 'budgetPerMinute is at least 1')
    .max(100_000)
    .optional(),
  weapon: z.enum(WEAPONS, { error: `weapon is one of: ${WEAPONS.join(', ')}` }).optional(),
  gracePeriodSeconds: z.number().int().min(0).max(3600).nullable().optional(),
  paused: z.boolean().optional(),
  halted: z.boolean().optional(),
  capitalShips: z
    .strictObject({
      enabled: z.boolean().optional(),
      hitsToDestroy: z.number().int().min(1).max(10_000).optional(),
      propagationPolicy: z.enum(['Orphan', 'Background', 'Foreground']).optional(),
    })
    .optional(),
});

export const fireBody = z.strictObject({
  uid: z
    .string({ error: 'uid is required: the uid of the pod to fire at' })
    .min(1, 'uid is required: the uid of the pod to fire at')
    .max(128),
});

export const roundId = z.coerce
  .number({ error: 'a round id is a whole number' })
  .int('a round id is a whole number')
  .positive('a round id is a whole number');

/** The first problem, as one line a person can act on: `field: message`. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid request';
  if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
  const path = issue.path.join('.');
  return path && !issue.message.startsWith(path) ? `${path}: ${issue.message}` : issue.message;
}
