import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { progressRows, type ProgressGridData } from '../../../game/instructor/progress-grid.ts';

const steps = [
  { step: 'step-04-pods', number: '04', title: 'Pods' },
  { step: 'step-05-labels', number: '05', title: 'Labels' },
  { step: 'step-06-services', number: '06', title: 'Services' },
];
const at = (t: string) => ({ completedAt: `2026-01-01T${t}:00.000Z` });

describe('instructor progress grid', () => {
  test('each attendee gets one cell per step in course order, the furthest along first', () => {
    const data: ProgressGridData = {
      steps,
      attendees: {
        rey: { 'step-04-pods': at('10:00') },
        leia: { 'step-06-services': at('10:30'), 'step-04-pods': at('10:05') },
        han: { 'step-05-labels': at('10:10') },
      },
    };
    assert.deepEqual(progressRows(data), [
      { attendee: 'leia', cells: [at('10:05').completedAt, null, at('10:30').completedAt], done: 2 },
      { attendee: 'han', cells: [null, at('10:10').completedAt, null], done: 1 },
      { attendee: 'rey', cells: [at('10:00').completedAt, null, null], done: 1 },
    ]);
  });

  test('a step no lesson names any more is not counted, and names like object keys are plain names', () => {
    const attendees = JSON.parse('{"__proto__": {"step-01-gone": {"completedAt": "x"}}, "toString": {}}') as
      ProgressGridData['attendees'];
    assert.deepEqual(progressRows({ steps, attendees }), [
      { attendee: '__proto__', cells: [null, null, null], done: 0 },
      { attendee: 'toString', cells: [null, null, null], done: 0 },
    ]);
  });
});
