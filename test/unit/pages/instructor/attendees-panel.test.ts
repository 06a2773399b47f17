import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attendeeRows } from '../../../../game/instructor/attendees-panel.ts';
import { formatTime } from '../../../../game/i18n/format.ts';

const joinedAt = '2026-12-05T13:05:00.000Z';

test('attendees are listed by name with their join time, ships flying/total and steps done', () => {
  const rows = attendeeRows([
    { name: 'rey', joinedAt, flying: 2, total: 3, stepsDone: 4 },
    { name: 'finn', joinedAt, flying: 0, total: 0, stepsDone: 0 },
  ]);
  assert.deepEqual(rows, [
    { name: 'finn', joined: formatTime(joinedAt), ships: '0/0', stepsDone: '0', lastActivity: null },
    { name: 'rey', joined: formatTime(joinedAt), ships: '2/3', stepsDone: '4', lastActivity: null },
  ]);
});

test('last activity is shown when the server reports it, a dash for an attendee not seen yet', () => {
  const lastActivity = Date.UTC(2026, 11, 5, 13, 30);
  const rows = attendeeRows([
    { name: 'rey', joinedAt, flying: 1, total: 1, stepsDone: 0, lastActivity },
    { name: 'poe', joinedAt, flying: 1, total: 1, stepsDone: 0, lastActivity: null },
  ]);
  assert.deepEqual(
    rows.map((r) => [r.name, r.lastActivity]),
    [
      ['poe', '–'],
      ['rey', formatTime(lastActivity)],
    ],
  );
});
