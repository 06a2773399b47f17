import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ProgressStore } from '../../../server/lessons/progress.ts';
import { FakeClock } from '../../support/fake-clock.ts';

const dir = mkdtempSync(join(tmpdir(), 'kubewars-progress-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('progress store', () => {
  test('completed steps survive a restart and keep their first completion time', async () => {
    const file = join(dir, 'data', 'progress.json');
    let clock = new Date('2026-01-01T10:00:00Z');
    const store = new ProgressStore(file, { now: () => clock });
    assert.equal(store.complete('leia', 'step-04-pods'), 'recorded');
    clock = new Date('2026-01-01T11:00:00Z');
    assert.equal(store.complete('leia', 'step-04-pods'), 'known');
    store.complete('han', 'step-07-controllers');
    await store.flush();
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
    const store = new ProgressStore(join(dir, 'snap.json'), { clock: new FakeClock() });
    store.complete('rey', 'step-01-intro');
    const copy = store.snapshot();
    delete copy.attendees.rey;
    assert.ok(store.snapshot().attendees.rey);
  });

  test('an attendee named like an object property is stored as data and survives a restart', async () => {
    const file = join(dir, 'proto.json');
    const store = new ProgressStore(file, { now: () => new Date('2026-01-01T10:00:00Z') });
    store.complete('__proto__', 'step-04-pods');
    store.complete('constructor', 'step-05-labels');
    await store.flush();
    assert.equal(({} as Record<string, unknown>)['step-04-pods'], undefined);
    const reloaded = new ProgressStore(file);
    assert.deepEqual(Object.keys(reloaded.snapshot().attendees), ['__proto__', 'constructor']);
    assert.deepEqual(reloaded.stepsOf('__proto__'), { 'step-04-pods': { completedAt: '2026-01-01T10:00:00.000Z' } });
  });

  test("one attendee's steps are theirs alone, and an unknown name has none", () => {
    const store = new ProgressStore(join(dir, 'one.json'), { clock: new FakeClock(), now: () => new Date('2026-01-01T10:00:00Z') });
    store.complete('leia', 'step-04-pods');
    store.complete('leia', 'step-05-labels');
    store.complete('han', 'step-05-labels');
    assert.deepEqual(Object.keys(store.stepsOf('leia')), ['step-04-pods', 'step-05-labels']);
    assert.deepEqual(store.stepsOf('nobody'), {});
    assert.equal(store.stepsDone('leia'), 2);
    assert.equal(store.stepsDone('nobody'), 0);
  });

  test('a completion is saved a moment later, off the request, in one write for many', async () => {
    const file = join(dir, 'later.json');
    const clock = new FakeClock();
    const store = new ProgressStore(file, { clock, saveDelayMs: 1000 });
    store.complete('rey', 'step-04-pods');
    store.complete('finn', 'step-04-pods');
    assert.equal(existsSync(file), false, 'the completion was written on the request path');
    assert.equal(clock.pending, 1, 'one save is planned for both completions');
    clock.advance(1000);
    await store.flush();
    assert.deepEqual(Object.keys(new ProgressStore(file).snapshot().attendees), ['rey', 'finn']);
  });

  test('closing saves what the delay has not saved yet', async () => {
    const file = join(dir, 'closing.json');
    const clock = new FakeClock();
    const store = new ProgressStore(file, { clock, saveDelayMs: 60_000 });
    store.complete('rey', 'step-04-pods');
    await store.flush();
    assert.equal(clock.pending, 0);
    assert.deepEqual(Object.keys(new ProgressStore(file).snapshot().attendees), ['rey']);
  });

  test('the store holds at most maxAttendees names; those already in it still complete steps', () => {
    const store = new ProgressStore(join(dir, 'cap.json'), { maxAttendees: 2, clock: new FakeClock() });
    assert.equal(store.complete('rey', 'step-04-pods'), 'recorded');
    assert.equal(store.complete('finn', 'step-04-pods'), 'recorded');
    assert.equal(store.complete('poe', 'step-04-pods'), 'full');
    assert.equal(store.complete('rey', 'step-05-labels'), 'recorded');
    assert.deepEqual(Object.keys(store.snapshot().attendees), ['rey', 'finn']);
  });
});
