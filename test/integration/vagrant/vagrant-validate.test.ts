// Debian's real vagrant loads the Vagrantfile with settings.yaml variants (in a temporary copy of vagrant/).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { execa } from 'execa';
import { parseSettings, planNodes } from '../../../server/vagrant/settings.ts';
import { BROKEN_SETTINGS, editSettings, shippedSettingsYaml } from '../../unit/vagrant/edit-settings.ts';

const vagrantDir = new URL('../../../vagrant/', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'kubewars-vagrant-validate-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let copies = 0;
/** `vagrant validate` on a copy of vagrant/ whose settings.yaml is `settingsYaml`. */
async function validate(settingsYaml: string) {
  const dir = join(scratch, `copy-${++copies}`);
  cpSync(vagrantDir, dir, { recursive: true, filter: (source) => !/[/\\](\.vagrant|configs)$/.test(source) });
  writeFileSync(join(dir, 'settings.yaml'), settingsYaml);
  const started = performance.now();
  // --ignore-provider: no VirtualBox or libvirtd here; the provider blocks are still parsed.
  const result = await execa('vagrant', ['validate', '--ignore-provider'], {
    cwd: dir,
    env: { VAGRANT_HOME: join(scratch, 'vagrant-home'), VAGRANT_CHECKPOINT_DISABLE: '1', VAGRANT_NO_COLOR: '1' },
    all: true,
    reject: false,
    timeout: 120_000,
  });
  return { exitCode: result.exitCode, output: result.all ?? '', seconds: (performance.now() - started) / 1000 };
}

describe('vagrant validate', () => {
  for (const [what, settingsYaml] of [
    ['the shipped settings', shippedSettingsYaml],
    ['1 worker', editSettings('workers', 'count', '1')],
    ['4 workers', editSettings('workers', 'count', '4')],
  ] as const) {
    test(`accepts the Vagrantfile with ${what}`, async (t) => {
      const result = await validate(settingsYaml);
      t.diagnostic(`vagrant validate took ${result.seconds.toFixed(1)} s`);
      assert.equal(result.exitCode, 0, result.output);
      assert.match(result.output, /Vagrantfile validated successfully/);
    });
  }

  test('defines exactly the machines the CLI plans for 3 workers', async () => {
    const dir = join(scratch, 'listing');
    cpSync(vagrantDir, dir, { recursive: true, filter: (source) => !/[/\\](\.vagrant|configs)$/.test(source) });
    const settingsYaml = editSettings('workers', 'count', '3');
    writeFileSync(join(dir, 'settings.yaml'), settingsYaml);
    const result = await execa('vagrant', ['status', '--machine-readable'], {
      cwd: dir,
      env: { VAGRANT_HOME: join(scratch, 'vagrant-home'), VAGRANT_CHECKPOINT_DISABLE: '1' },
      reject: false,
      timeout: 120_000,
    });
    const machines = [...new Set(result.stdout.match(/^\d+,([\w-]+),state,/gm)?.map((line) => line.split(',')[1]))];
    const planned = parseSettings(settingsYaml);
    assert.ok(planned.ok);
    assert.deepEqual(machines, planNodes(planned.settings).map((node) => node.name), result.stdout + result.stderr);
    assert.equal(machines.length, 4);
  });

  // Each broken file must stop vagrant with the same message the CLI gives, not a Ruby stack trace.
  for (const { what, yaml, message } of BROKEN_SETTINGS) {
    test(`rejects ${what} with a clear message`, async () => {
      const result = await validate(yaml);
      assert.notEqual(result.exitCode, 0);
      assert.match(result.output, /Kube Wars: vagrant\/settings\.yaml is invalid:/);
      assert.match(result.output, message);
      assert.doesNotMatch(result.output, /\.rb:\d+:in `/, 'a Ruby backtrace was printed');
    });
  }
});
