import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  chooseProvider,
  doctorPassed,
  formatDoctor,
  ipInRange,
  parseNetworksConf,
  runDoctor,
} from '../../../server/vagrant/doctor.ts';
import type { HostFacts } from '../../../server/vagrant/doctor.ts';
import { parseSettings } from '../../../server/vagrant/settings.ts';
import { editSettings, shippedSettingsYaml } from './edit-settings.ts';
import { readyLaptop as laptop } from './host-facts.ts';

function settingsFrom(yamlText = shippedSettingsYaml) {
  const result = parseSettings(yamlText);
  assert.ok(result.ok);
  return result.settings;
}

const readyLaptop: HostFacts = {
  ...laptop,
  boxes: [{ name: 'bento/ubuntu-24.04', provider: 'virtualbox', version: '202508.03.0' }],
};

function statuses(facts: HostFacts, settings = settingsFrom()) {
  return Object.fromEntries(runDoctor(facts, settings).map((line) => [line.id, line.status]));
}

describe('cluster doctor checks', () => {
  test('a laptop with VirtualBox, VT-x, memory, disk and the box passes everything', () => {
    const lines = runDoctor(readyLaptop, settingsFrom());
    assert.deepEqual(
      lines.map((line) => `${line.status} ${line.id}`),
      ['pass vagrant', 'pass provider', 'pass memory', 'pass virtualisation', 'pass host-only-range', 'pass disk', 'pass box'],
    );
    assert.ok(doctorPassed(lines));
  });

  test('no VirtualBox and no libvirt is a failure with the install step', () => {
    const facts = { ...readyLaptop, virtualBoxVersion: undefined };
    const provider = runDoctor(facts, settingsFrom()).find((line) => line.id === 'provider');
    assert.equal(provider?.status, 'fail');
    assert.match(provider?.fix ?? '', /Install VirtualBox.*libvirt-daemon-system vagrant-libvirt/);
    assert.equal(doctorPassed(runDoctor(facts, settingsFrom())), false);
  });

  test('libvirtd without the vagrant plugin says to install the plugin', () => {
    const facts = { ...readyLaptop, virtualBoxVersion: undefined, libvirt: { plugin: false, daemon: true } };
    const provider = runDoctor(facts, settingsFrom()).find((line) => line.id === 'provider');
    assert.match(provider?.fix ?? '', /vagrant plugin install vagrant-libvirt/);
  });

  test('VAGRANT_DEFAULT_PROVIDER picks among usable providers, else VirtualBox comes first', () => {
    const both = { ...readyLaptop, libvirt: { plugin: true, daemon: true } };
    assert.equal(chooseProvider(both), 'virtualbox');
    assert.equal(chooseProvider({ ...both, preferredProvider: 'libvirt' }), 'libvirt');
    assert.equal(chooseProvider({ ...readyLaptop, preferredProvider: 'libvirt' }), 'virtualbox');
    assert.equal(chooseProvider({ ...readyLaptop, virtualBoxVersion: undefined }), undefined);
  });

  test('memory: less than the VMs need fails, less than a spare GiB on top warns', () => {
    assert.equal(statuses({ ...readyLaptop, freeMemoryMiB: 6000 }).memory, 'fail');
    assert.equal(statuses({ ...readyLaptop, freeMemoryMiB: 6500 }).memory, 'warn');
    assert.equal(statuses({ ...readyLaptop, freeMemoryMiB: 6500 }, settingsFrom(editSettings('workers', 'count', '1'))).memory, 'pass');
  });

  test('missing vmx/svm flags fail; an unknown platform only warns', () => {
    assert.equal(statuses({ ...readyLaptop, virtualisation: 'no' }).virtualisation, 'fail');
    assert.equal(statuses({ ...readyLaptop, virtualisation: 'unknown', platform: 'win32' }).virtualisation, 'warn');
  });

  test("addresses outside VirtualBox's host-only range fail on Linux, pass with libvirt or a wider networks.conf", () => {
    const outside = settingsFrom(editSettings('network', 'control_plane_ip', '10.10.0.10'));
    assert.equal(statuses(readyLaptop, outside)['host-only-range'], 'fail');
    assert.equal(statuses({ ...readyLaptop, hostOnlyRanges: ['10.0.0.0/8'] }, outside)['host-only-range'], 'pass');
    const libvirtOnly = { ...readyLaptop, virtualBoxVersion: undefined, libvirt: { plugin: true, daemon: true } };
    assert.equal(statuses(libvirtOnly, outside)['host-only-range'], 'pass');
    // The top of 192.168.56.0/21 is still inside it.
    assert.equal(statuses(readyLaptop, settingsFrom(editSettings('network', 'control_plane_ip', '192.168.63.240')))['host-only-range'], 'pass');
  });

  test('a box not cached for the chosen provider is a warning pointing at prefetch', () => {
    const onlyLibvirtBox = { ...readyLaptop, boxes: [{ ...readyLaptop.boxes[0]!, provider: 'libvirt' }] };
    const box = runDoctor(onlyLibvirtBox, settingsFrom()).find((line) => line.id === 'box');
    assert.equal(box?.status, 'warn');
    assert.match(box?.fix ?? '', /kubewars cluster prefetch/);
    assert.ok(doctorPassed(runDoctor(onlyLibvirtBox, settingsFrom())));
  });

  test('an old vagrant warns, a missing one fails', () => {
    assert.equal(statuses({ ...readyLaptop, vagrantVersion: '2.2.19' }).vagrant, 'warn');
    assert.equal(statuses({ ...readyLaptop, vagrantVersion: undefined }).vagrant, 'fail');
  });

  test('too little disk fails; unmeasurable disk warns', () => {
    assert.equal(statuses({ ...readyLaptop, freeDiskMiB: 4000 }).disk, 'fail');
    assert.equal(statuses({ ...readyLaptop, freeDiskMiB: undefined }).disk, 'warn');
  });

  test('the report is one aligned line per check, with the fix under a failing one', () => {
    const lines = formatDoctor(runDoctor({ ...readyLaptop, virtualBoxVersion: undefined }, settingsFrom()));
    assert.match(lines[0] ?? '', /^PASS {2}Vagrant {2,}Vagrant 2\.4\.3$/);
    const failAt = lines.findIndex((line) => line.startsWith('FAIL  VM provider'));
    assert.ok(failAt > 0);
    assert.match(lines[failAt + 1] ?? '', /^ +fix: Install VirtualBox/);
  });

  test('networks.conf ranges and CIDR membership', () => {
    assert.deepEqual(parseNetworksConf('# comment\n* 10.0.0.0/8 192.168.0.0/16\n* 2001::/64\n'), [
      '10.0.0.0/8',
      '192.168.0.0/16',
      '2001::/64',
    ]);
    assert.ok(ipInRange('192.168.63.255', '192.168.56.0/21'));
    assert.ok(!ipInRange('192.168.64.0', '192.168.56.0/21'));
    assert.ok(!ipInRange('192.168.55.255', '192.168.56.0/21'));
  });
});
