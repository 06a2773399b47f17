// `cluster doctor` and `cluster up` on this very machine: real vagrant, real probes, no VM provider installed.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { UserError } from '../../../server/errors.ts';
import { clusterDoctor, clusterUp } from '../../../server/vagrant/cluster-actions.ts';
import { hostClusterDeps } from '../../../server/vagrant/commands.ts';
import { chooseProvider } from '../../../server/vagrant/doctor.ts';
import { gatherHostFacts } from '../../../server/vagrant/host-probes.ts';
import { projectRoot, runKubewars } from '../../support/kubewars.ts';

const scratch = mkdtempSync(join(tmpdir(), 'kubewars-preflight-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
// A private Vagrant home: nothing here reads or writes the user's boxes.
const env = { ...process.env, VAGRANT_HOME: join(scratch, 'vagrant-home') };

/** A fresh copy of vagrant/ and an empty working directory for one run. */
function workspace(name: string) {
  const vagrantDir = join(scratch, name, 'vagrant');
  const cwd = join(scratch, name, 'cwd');
  cpSync(join(projectRoot, 'vagrant'), vagrantDir, {
    recursive: true,
    filter: (source) => !/[/\\](\.vagrant|configs)$/.test(source),
  });
  mkdirSync(cwd, { recursive: true });
  return { vagrantDir, cwd };
}

function captured(vagrantDir: string, cwd: string) {
  let output = '';
  const deps = { ...hostClusterDeps(vagrantDir, { env, cwd }), write: (text: string) => void (output += text) };
  return { deps, output: () => output };
}

let providerPresent = false;
before(async () => {
  providerPresent = chooseProvider(await gatherHostFacts(env)) !== undefined;
});

describe('cluster preflight on this machine', () => {
  test('doctor reports the missing provider as a failure with its fix', async (t) => {
    if (providerPresent) return t.skip('this machine has a VM provider');
    const { vagrantDir, cwd } = workspace('doctor');
    const { deps, output } = captured(vagrantDir, cwd);
    await assert.rejects(clusterDoctor(deps), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.match(error.message, /checks? failed: .*VM provider/);
      return true;
    });
    assert.match(output(), /^PASS {2}Vagrant +Vagrant \d+\.\d+/m);
    assert.match(output(), /^FAIL {2}VM provider +no VM provider: VBoxManage \(VirtualBox\) not found/m);
    assert.match(output(), /^ +fix: Install VirtualBox/m);
  });

  test('up fails fast with the same message and leaves nothing behind', async (t) => {
    if (providerPresent) return t.skip('this machine has a VM provider');
    const { vagrantDir, cwd } = workspace('up');
    const before = readdirSync(vagrantDir).sort();
    const { deps } = captured(vagrantDir, cwd);
    const started = performance.now();
    await assert.rejects(clusterUp(deps), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.match(error.message, /^Cannot create the cluster: no VM provider/);
      assert.match(error.hint ?? '', /Install VirtualBox/);
      return true;
    });
    t.diagnostic(`cluster up gave up after ${((performance.now() - started) / 1000).toFixed(1)} s`);
    assert.deepEqual(readdirSync(vagrantDir).sort(), before, 'vagrant/ changed');
    assert.ok(!existsSync(join(vagrantDir, '.vagrant')));
    assert.ok(!existsSync(join(vagrantDir, 'configs')));
    assert.deepEqual(readdirSync(cwd), [], 'the working directory got files');
  });

  // Through the real `kubewars` binary: the one-line message and exit code 1.
  test('`kubewars cluster up` exits 1 with the provider message', async (t) => {
    if (providerPresent) return t.skip('this machine has a VM provider');
    const { vagrantDir, cwd } = workspace('spawn');
    const result = await runKubewars(['cluster', 'up', '--dir', vagrantDir], { cwd, env });
    assert.equal(result.code, 1, result.output);
    assert.match(result.output, /^kubewars: Cannot create the cluster: no VM provider/m);
    assert.ok(!existsSync(join(vagrantDir, '.vagrant')));
    assert.ok(!existsSync(join(cwd, '.kubewars', 'vagrant.log')), 'vagrant ran');
  });
});
