import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { settleSwitches } from '../../../server/env-switches.ts';

describe('on/off options from the environment', () => {
  test('an "off" value leaves the flag off; an "on" value keeps it', () => {
    for (const off of ['false', 'FALSE', '0', 'no', 'off', '', ' Off ']) {
      const env: NodeJS.ProcessEnv = { KUBEWARS_ROOM: off, OTHER: 'x' };
      assert.equal(settleSwitches(env, ['KUBEWARS_ROOM']), undefined);
      assert.deepEqual(env, { OTHER: 'x' }, off);
    }
    for (const on of ['true', 'True', '1', 'yes', 'on']) {
      const env: NodeJS.ProcessEnv = { KUBEWARS_TLS: on };
      assert.equal(settleSwitches(env, ['KUBEWARS_TLS']), undefined);
      assert.deepEqual(env, { KUBEWARS_TLS: on });
    }
  });

  test('any other value is a usage error that names the variable', () => {
    const env: NodeJS.ProcessEnv = { KUBEWARS_ROOM: 'true', KUBEWARS_TLS: 'maybe' };
    assert.match(
      settleSwitches(env, ['KUBEWARS_ROOM', 'KUBEWARS_TLS']) ?? '',
      /^KUBEWARS_TLS=maybe is neither on nor off: set it to true or false\.$/,
    );
  });
});
