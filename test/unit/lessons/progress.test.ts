import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ProgressStore } from '../../../server/lessons/progress.ts';

const dir = mkdtempSync(join(tmpdir(), 'kubewars-progress-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('progress store', () => {
  test('completed steps survive a restart and keep their first completion time', () => {
    const file = join(dir, 'data', 'progress.json');
    let clock = new Date('2026-01-01T10:00:00Z');
    const store = new ProgressStore(file, () => clock);
    store.complete('leia', 'step-04-pods');
    clock = new Date('2026-01-01T11:00:00Z');
    store.complete('leia', 'step-04-pods');
    store.complete('han', 'step-07-controllers');
    const reloaded = new ProgressStore(file);
    assert.deepEqual(reloaded.snapshot(), {
      attendees: {
        leia: { 'step-04-pods': { completedAt: '2026-01-01T10:00:00.000Z' } },
        han: { 'step-07-controllers': { completedAt: '2026-01-01T11:00:00.000Z' } },
      },
    });
    assert.deepEqual(readdirSync(join(dir, 'data')), ['progress.json']);
  });

  test('a corrupt progress file is refused with what to do', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{"attendees": 3}');
    assert.throws(() => new ProgressStore(file), /not a progress file: move it away/);
  });

  test('a snapshot cannot change the store', () => {
    const store = new ProgressStore(join(dir, 'snap.json'));
    store.complete('rey', 'step-01-intro');
    const copy = store.snapshot();
    delete copy.attendees.rey;
    assert.ok(store.snapshot().attendees.rey);
  });

  test('an attendee named like an object property is stored as data and survives a restart', () => {
    const file = join(dir, 'proto.json');
    const store = new ProgressStore(file, () => new Date('2026-01-01T10:00:00Z'));
    store.complete('__proto__', 'step-04-pods');
    store.complete('constructor', 'step-05-labels');
    assert.equal(({} as Record<string, unknown>)['step-04-pods'], undefined);
    const reloaded = new ProgressStore(file);
    assert.deepEqual(Object.keys(reloaded.snapshot().attendees), ['__proto__', 'constructor']);
    assert.deepEqual(reloaded.stepsOf('__proto__'), { 'step-04-pods': { completedAt: '2026-01-01T10:00:00.000Z' } });
  });

  test("one attendee's steps are theirs alone, and an unknown name has none", () => {
    const store = new ProgressStore(join(dir, 'one.json'), () => new Date('2026-01-01T10:00:00Z'));
    store.complete('leia', 'step-04-pods');
    store.complete('han', 'step-05-labels');
    assert.deepEqual(Object.keys(store.stepsOf('leia')), ['step-04-pods']);
    assert.deepEqual(store.stepsOf('nobody'), {});
  });
});
