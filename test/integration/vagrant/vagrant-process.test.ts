// The runner around the real vagrant binary: streaming, the log file, and a missing vagrant.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { execa } from 'execa';
import { UserError } from '../../../server/errors.ts';
import { createVagrantRunner } from '../../../server/vagrant/vagrant-process.ts';

const scratch = mkdtempSync(join(tmpdir(), 'kubewars-vagrant-process-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const hasVagrant = (await execa('vagrant', ['--version'], { reject: false })).exitCode === 0;

describe('vagrant runner', () => {
  test('streams each line, returns the exit code and appends everything to the log', { skip: !hasVagrant && 'vagrant is not installed' }, async () => {
    const logPath = join(scratch, 'cwd', '.kubewars', 'vagrant.log');
    const runner = createVagrantRunner({
      vagrantDir: scratch,
      logPath,
      env: { ...process.env, VAGRANT_HOME: join(scratch, 'vagrant-home') },
      now: () => new Date('2026-11-22T10:00:00Z'),
    });
    const seen: string[] = [];
    const result = await runner.run(['--version'], (line) => seen.push(line));
    assert.equal(result.exitCode, 0);
    assert.match(seen.join('\n'), /^Vagrant \d+\.\d+\.\d+$/m);
    await runner.run(['no-such-subcommand']);
    const log = readFileSync(logPath, 'utf8');
    assert.match(log, /=== 2026-11-22T10:00:00.000Z vagrant --version \(in .*\)\nVagrant \d+\.\d+\.\d+\n=== exit code 0\n/);
    assert.match(log, /vagrant no-such-subcommand[\s\S]*=== exit code 1\n/);
  });

  test('without vagrant on the PATH the failure says to install it', async () => {
    const runner = createVagrantRunner({
      vagrantDir: scratch,
      logPath: join(scratch, 'missing.log'),
      env: { PATH: join(scratch, 'empty-bin') },
    });
    await assert.rejects(runner.run(['status']), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.equal(error.message, 'vagrant is not installed (or not on the PATH).');
      return true;
    });
    await assert.rejects(runner.interactive(['ssh', 'worker-1']), UserError);
  });
});
