import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nextRun, parseCron } from '../../../server/sandbox/cron.ts';

const at = (text: string) => Date.parse(text);
const next = (schedule: string, after: string) =>
  new Date(nextRun(parseCron(schedule), at(after)) ?? 0).toISOString();

describe('cron schedules', () => {
  test('every minute, steps, ranges and lists land on the right minute', () => {
    assert.equal(next('* * * * *', '2026-03-01T10:00:30Z'), '2026-03-01T10:01:00.000Z');
    assert.equal(next('*/5 * * * *', '2026-03-01T10:01:00Z'), '2026-03-01T10:05:00.000Z');
    assert.equal(next('0 9-17 * * mon-fri', '2026-02-28T12:00:00Z'), '2026-03-02T09:00:00.000Z');
    assert.equal(next('15,45 * * * *', '2026-03-01T10:20:00Z'), '2026-03-01T10:45:00.000Z');
    assert.equal(next('@daily', '2026-03-01T10:00:00Z'), '2026-03-02T00:00:00.000Z');
  });

  test('a restricted day-of-month and day-of-week match either, as cron does', () => {
    assert.equal(next('0 0 13 * 5', '2026-03-01T00:00:00Z'), '2026-03-06T00:00:00.000Z');
  });

  test('bad schedules are refused with the part that is wrong', () => {
    assert.throws(() => parseCron('61 * * * *'), /out of range 0-59/);
    assert.throws(() => parseCron('* * *'), /expected exactly 5 fields/);
  });
});
