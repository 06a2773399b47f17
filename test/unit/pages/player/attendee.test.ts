import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ATTENDEE_KEY,
  forgetAttendee,
  saveAttendee,
  savedAttendee,
} from '../../../../game/player/attendee.ts';

/** localStorage's three calls over a Map. */
function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}

test('the attendee is kept as JSON {"name","key"} under kubewars.attendee, where the lesson viewer reads it', () => {
  const storage = memoryStorage();
  saveAttendee(storage, { name: 'rey', key: 'k-123' });
  assert.equal(ATTENDEE_KEY, 'kubewars.attendee');
  assert.deepEqual(JSON.parse(storage.map.get(ATTENDEE_KEY)!), { name: 'rey', key: 'k-123' });
  assert.deepEqual(savedAttendee(storage), { name: 'rey', key: 'k-123' });
});

test('leaving forgets the attendee', () => {
  const storage = memoryStorage();
  saveAttendee(storage, { name: 'rey', key: 'k-123' });
  forgetAttendee(storage);
  assert.equal(savedAttendee(storage), undefined);
});

test('anything else under the key is no attendee', () => {
  const storage = memoryStorage();
  for (const text of [
    'not json',
    'null',
    '"rey"',
    '{"name":"rey"}',
    '{"name":"","key":"k"}',
    '{"name":1,"key":"k"}',
  ]) {
    storage.setItem(ATTENDEE_KEY, text);
    assert.equal(savedAttendee(storage), undefined, text);
  }
});
