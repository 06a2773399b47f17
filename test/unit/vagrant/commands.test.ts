import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Command } from 'commander';
import { UserError } from '../../../server/errors.ts';
import { defaultVagrantDir, hostClusterDeps, registerClusterCommands } from '../../../server/vagrant/commands.ts';
import { projectRoot } from '../../support/kubewars.ts';

const scratch = mkdtempSync(join(tmpdir(), 'kubewars-commands-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function program(): Command {
  const root = new Command('kubewars').exitOverride();
  registerClusterCommands(root);
  return root;
}

describe('kubewars cluster commands', () => {
  test('cluster has the eight subcommands, each with help text and a --dir option', () => {
    const cluster = program().commands.find((command) => command.name() === 'cluster');
    assert.ok(cluster);
    assert.deepEqual(
      cluster.commands.map((command) => command.name()),
      ['doctor', 'up', 'status', 'down', 'destroy', 'kubeconfig', 'prefetch', 'ssh'],
    );
    for (const command of cluster.commands) {
      assert.ok(command.description().length > 10, command.name());
      assert.ok(command.options.some((option) => option.long === '--dir'), command.name());
    }
    const options = (name: string) =>
      cluster.commands.find((command) => command.name() === name)?.options.map((option) => option.long);
    assert.ok(options('destroy')?.includes('--yes'));
    assert.ok(options('kubeconfig')?.includes('--merge'));
  });

  test('--dir defaults to the vagrant/ folder of the installation, wherever the command runs', () => {
    assert.equal(defaultVagrantDir, join(projectRoot, 'vagrant'));
  });

  test('a --dir without a Vagrantfile is a clear error before anything runs', async () => {
    await assert.rejects(program().parseAsync(['node', 'kubewars', 'cluster', 'status', '--dir', scratch]), (error) => {
      assert.ok(error instanceof UserError);
      assert.equal(error.message, `No Vagrantfile in ${scratch}.`);
      return true;
    });
  });

  test('the log goes under the working directory given', () => {
    const deps = hostClusterDeps(defaultVagrantDir, { cwd: scratch, env: {} });
    assert.equal(deps.logPath, join(scratch, '.kubewars', 'vagrant.log'));
  });
});
