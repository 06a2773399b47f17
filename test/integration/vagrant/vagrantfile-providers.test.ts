// What the Vagrantfile asks of each provider, read through Vagrant's own configuration loader (Debian's vagrant and
// vagrant-libvirt; no VM is created and no daemon is contacted).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { execa } from 'execa';
import { projectRoot } from '../../support/kubewars.ts';

const scratch = mkdtempSync(join(tmpdir(), 'kubewars-vagrantfile-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
// A copy: loading a Vagrantfile creates .vagrant/ next to it.
const vagrantDir = join(scratch, 'vagrant');
cpSync(join(projectRoot, 'vagrant'), vagrantDir, {
  recursive: true,
  filter: (source) => !/[/\\](\.vagrant|configs|cache)$/.test(source),
});

/** Prints, as JSON, the control plane's libvirt memory backing, its /vagrant folder and its provisioners' env. */
const PROBE = `
require "json"
require "vagrant"
env = Vagrant::Environment.new(cwd: Dir.pwd)
config = env.vagrantfile.machine_config(:"control-plane", :libvirt, env.boxes)[:config]
puts JSON.generate(
  memory_backing: config.vm.get_provider_config(:libvirt).memory_backing,
  folder: config.vm.synced_folders["/vagrant"],
  env: config.vm.provisioners.to_h { |provisioner| [provisioner.name, provisioner.config.env] },
)
`;

interface Probed {
  memory_backing: { name: string; config: Record<string, string> }[];
  folder: { type: string };
  env: Record<string, Record<string, string>>;
}

async function probe(): Promise<Probed> {
  const result = await execa('ruby', ['-e', PROBE], {
    cwd: vagrantDir,
    env: { VAGRANT_HOME: join(scratch, 'vagrant-home'), VAGRANT_CHECKPOINT_DISABLE: '1', VAGRANT_NO_COLOR: '1' },
    timeout: 120_000,
  });
  return JSON.parse(result.stdout.split('\n').findLast((line) => line.startsWith('{')) ?? '') as Probed;
}

describe('the Vagrantfile on libvirt', () => {
  test('shares /vagrant with virtiofs over memfd-backed shared memory, as libvirt documents for virtiofs', async () => {
    const probed = await probe();
    assert.equal(probed.folder.type, 'virtiofs');
    assert.deepEqual(probed.memory_backing, [
      { name: 'source', config: { type: 'memfd' } },
      { name: 'access', config: { mode: 'shared' } },
    ]);
  });

  test('hands the control-plane script the host user, who must own configs/', async () => {
    const probed = await probe();
    assert.equal(probed.env['control-plane']?.HOST_UID, String(process.getuid?.()));
    assert.equal(probed.env['control-plane']?.HOST_GID, String(process.getgid?.()));
  });
});
