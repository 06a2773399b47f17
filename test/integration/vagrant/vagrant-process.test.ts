// The runner around the real vagrant binary: streaming, the log file, and a missing vagrant.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { UserError } from '../../../server/errors.ts';
import { createVagrantRunner } from '../../../server/vagrant/vagrant-process.ts';

const scratch = mkdtempSync(join(tmpdir(), 'kubewars-vagrant-process-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('vagrant runner', () => {
  test('streams each line, returns the exit code and appends everything to the log', async () => {
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

  test('download progress redrawn with carriage returns arrives line by line, also across chunks', async () => {
    // A stand-in `vagrant` on the PATH that prints like `vagrant box add` does, in several writes.
    const bin = join(scratch, 'fake-bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      join(bin, 'vagrant'),
      [
        '#!/bin/sh',
        "printf '==> box: Adding box\\n    box: Progress: 10%%\\r'",
        'sleep 0.2',
        "printf '    box: Progress: 60%%\\r'",
        'sleep 0.2',
        "printf '\\n==> box: Successfully added box\\r'",
        'sleep 0.2',
        "printf '\\nlast line without newline'",
        'exit 3',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    const logPath = join(scratch, 'fake.log');
    const runner = createVagrantRunner({
      vagrantDir: scratch,
      logPath,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
    const seen: string[] = [];
    const result = await runner.run(['box', 'add'], (line) => seen.push(line));
    assert.equal(result.exitCode, 3);
    assert.deepEqual(seen, [
      '==> box: Adding box',
      '    box: Progress: 10%',
      // The \r ending one write and the \n starting the next are one line break.
      '    box: Progress: 60%',
      '==> box: Successfully added box',
      'last line without newline',
    ]);
    assert.match(readFileSync(logPath, 'utf8'), /Progress: 10%\r {4}box: Progress: 60%\r\n==> box: Successfully added box\r\nlast line without newline\n=== exit code 3\n$/);
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
