// Every provisioning script passes shellcheck and runs in bash strict mode.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { execa } from 'execa';
import { projectRoot } from '../../support/kubewars.ts';

const scriptsDir = join(projectRoot, 'vagrant', 'scripts');
const scripts = readdirSync(scriptsDir).filter((name) => name.endsWith('.sh'));

describe('provisioning scripts', () => {
  test('there are the common, control-plane, worker and add-on scripts', () => {
    for (const name of ['common.sh', 'control-plane.sh', 'worker.sh', 'addons.sh']) assert.ok(scripts.includes(name), name);
  });

  for (const name of scripts) {
    test(`${name} passes shellcheck`, async () => {
      // -x follows `source lib.sh`; the scripts' source-path directive points it at this folder.
      const result = await execa('shellcheck', ['-x', '--severity=style', join(scriptsDir, name)], { reject: false });
      assert.equal(result.exitCode, 0, result.stdout + result.stderr);
    });
  }

  for (const name of scripts) {
    // Vagrant's CRLF conversion turns a Windows checkout's \r\n into \n\n (crlf-checkout.test.ts), which would cut a
    // continued command in two.
    test(`${name} continues no line with a backslash`, () => {
      const continued = readFileSync(join(scriptsDir, name), 'utf8')
        .split('\n')
        .filter((line) => line.endsWith('\\'));
      assert.deepEqual(continued, []);
    });
  }

  for (const name of scripts.filter((script) => script !== 'lib.sh')) {
    test(`${name} stops at the first failing command`, () => {
      assert.match(readFileSync(join(scriptsDir, name), 'utf8'), /^#!\/usr\/bin\/env bash\n(#.*\n)*set -euo pipefail$/m);
    });
  }
});
