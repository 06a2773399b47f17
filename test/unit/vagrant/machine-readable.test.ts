import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  errorExitMessage,
  installedBoxes,
  machineStates,
  parseMachineReadable,
} from '../../../server/vagrant/machine-readable.ts';

// Captured from Debian's vagrant 2.3.4 (`vagrant status --machine-readable` on vagrant/, libvirt plugin installed).
const statusNotCreated = readFileSync(new URL('fixtures/vagrant-status-not-created.txt', import.meta.url), 'utf8');

describe('vagrant machine-readable output', () => {
  test('a status listing gives each machine with its provider and state, in order', () => {
    assert.deepEqual(machineStates(parseMachineReadable(statusNotCreated)), [
      { name: 'control-plane', provider: 'libvirt', state: 'not_created', description: 'not created' },
      { name: 'worker-1', provider: 'libvirt', state: 'not_created', description: 'not created' },
      { name: 'worker-2', provider: 'libvirt', state: 'not_created', description: 'not created' },
    ]);
  });

  test('a running cluster with a halted worker is reported per machine', () => {
    const output = [
      '1763800000,control-plane,metadata,provider,virtualbox',
      '1763800000,control-plane,provider-name,virtualbox',
      '1763800000,control-plane,state,running',
      '1763800000,control-plane,state-human-short,running',
      '1763800000,control-plane,state-human-long,The VM is running. To stop this VM%!(VAGRANT_COMMA) you can run `vagrant halt`',
      '1763800000,worker-1,provider-name,virtualbox',
      '1763800000,worker-1,state,poweroff',
      '1763800000,worker-1,state-human-short,poweroff',
      '1763800000,,ui,info,Current machine states:\\n\\ncontrol-plane running (virtualbox)',
    ].join('\n');
    assert.deepEqual(
      machineStates(parseMachineReadable(output)).map((machine) => `${machine.name}:${machine.state}`),
      ['control-plane:running', 'worker-1:poweroff'],
    );
  });

  test('escaped commas and newlines in data come back as written', () => {
    const [record] = parseMachineReadable('1763800000,,ui,info,one%!(VAGRANT_COMMA) two\\nthree');
    assert.deepEqual(record, { timestamp: 1763800000, target: '', type: 'ui', data: ['info', 'one, two\nthree'] });
  });

  test('lines that are not records (Ruby warnings on the same stream) are skipped', () => {
    const output = "/usr/lib/ruby/warning: constant ::Fixnum is deprecated\n1763800000,worker-1,state,running\n\n";
    assert.equal(parseMachineReadable(output).length, 1);
  });

  test('box list triples become boxes', () => {
    const output = [
      '1763800000,,box-name,bento/ubuntu-24.04',
      '1763800000,,box-provider,virtualbox',
      '1763800000,,box-version,202508.03.0',
      '1763800000,,box-name,bento/ubuntu-24.04',
      '1763800000,,box-provider,libvirt',
      '1763800000,,box-version,202508.03.0',
    ].join('\n');
    assert.deepEqual(installedBoxes(parseMachineReadable(output)), [
      { name: 'bento/ubuntu-24.04', provider: 'virtualbox', version: '202508.03.0' },
      { name: 'bento/ubuntu-24.04', provider: 'libvirt', version: '202508.03.0' },
    ]);
  });

  test('no boxes when vagrant only warns that there are none', () => {
    const output = '1763800000,,ui,warn,There are no installed boxes! Use `vagrant box add` to add some.';
    assert.deepEqual(installedBoxes(parseMachineReadable(output)), []);
  });

  test('an error-exit record yields vagrant\'s message', () => {
    const output =
      '1763800000,,error-exit,Vagrant::Errors::NoDefaultProvider,No usable default provider could be found for your system.\\n\\nVagrant relies on interactions with 3rd party systems%!(VAGRANT_COMMA) known as';
    assert.match(errorExitMessage(parseMachineReadable(output)) ?? '', /^No usable default provider could be found.*\n\nVagrant relies on interactions with 3rd party systems, known as$/s);
    assert.equal(errorExitMessage(parseMachineReadable(statusNotCreated)), undefined);
  });
});
