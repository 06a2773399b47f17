import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultPublicAddress } from '../../../server/room/address.ts';
import { attendeeNameProblem, suggestName } from '../../../server/room/names.ts';
import { attendeeStatePath } from '../../../server/room/paths.ts';

describe('attendee names', () => {
  test('pilot names are label values: letters, digits, - _ . inside, at most 63', () => {
    for (const name of ['rey', 'Rey', 'poe.dameron', 'bb_8', 'r2-d2', 'a'.repeat(63)]) {
      assert.equal(attendeeNameProblem(name), undefined, name);
    }
    for (const name of ['', ' rey', 'rey!', '-rey', 'rey.', '../rey', 'a'.repeat(64), 'ré']) {
      assert.equal(typeof attendeeNameProblem(name), 'string', name);
    }
  });

  test('a suggestion is the first free numbered name, within 63 characters', () => {
    assert.equal(
      suggestName('rey', (name) => !['rey-2'].includes(name)),
      'rey-3',
    );
    const long = 'a'.repeat(63);
    const suggestion = suggestName(long, () => true);
    assert.equal(suggestion.length, 63);
    assert.match(suggestion, /^a+-2$/);
    assert.equal(attendeeNameProblem(suggestion), undefined);
  });
});

describe('where the room keeps things and how it is reached', () => {
  test("each attendee cluster's state sits beside the main state file", () => {
    assert.equal(attendeeStatePath('/data/sandbox.json', 'rey'), '/data/sandbox-attendees/rey.json');
  });

  test('the public address is --host when it is one address, else the first network IPv4', () => {
    const interfaces = {
      lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
      eth0: [
        { address: 'fe80::1', family: 'IPv6', internal: false },
        { address: '192.168.1.20', family: 'IPv4', internal: false },
      ],
    } as unknown as Parameters<typeof defaultPublicAddress>[1];
    assert.equal(defaultPublicAddress('127.0.0.2', interfaces), '127.0.0.2');
    assert.equal(defaultPublicAddress('0.0.0.0', interfaces), '192.168.1.20');
    assert.equal(defaultPublicAddress('::', { lo: interfaces?.['lo'] ?? [] }), '127.0.0.1');
  });
});
