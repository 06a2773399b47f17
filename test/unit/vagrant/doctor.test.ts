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

function line(facts: HostFacts, id: string) {
  return runDoctor(facts, settingsFrom()).find((result) => result.id === id);
}

function statuses(facts: HostFacts, settings = settingsFrom()) {
  return Object.fromEntries(runDoctor(facts, settings).map((line) => [line.id, line.status]));
}

describe('cluster doctor checks', () => {
  test('a laptop with VirtualBox, VT-x, memory, disk and the box passes everything', () => {
    const lines = runDoctor(readyLaptop, settingsFrom());
    assert.deepEqual(
      lines.map((line) => `${line.status} ${line.id}`),
      [
        'pass vagrant',
        'pass provider',
        'pass memory',
        'pass virtualisation',
        'pass kvm',
        'pass host-only-range',
        'pass disk',
        'pass box',
      ],
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

  test('an old vagrant warns, a missing one fails and names the version to install', () => {
    assert.equal(statuses({ ...readyLaptop, vagrantVersion: '2.2.19', virtualBoxVersion: '6.1.50r161033' }).vagrant, 'warn');
    const missing = line({ ...readyLaptop, vagrantVersion: undefined }, 'vagrant');
    assert.equal(missing?.status, 'fail');
    assert.match(missing?.fix ?? '', /Install Vagrant 2\.4\.3 or newer from https:\/\/developer\.hashicorp\.com\/vagrant\/install/);
    assert.doesNotMatch(missing?.fix ?? '', /apt install vagrant/);
  });

  test("Debian's Vagrant 2.3.4 with VirtualBox 7.1 or 7.2 fails, naming the Vagrant each needs", () => {
    for (const [virtualBox, needs] of [
      ['7.1.4r165100', '2.4.3'],
      ['7.2.2r170484', '2.4.9'],
    ] as const) {
      const facts = { ...readyLaptop, vagrantVersion: '2.3.4', virtualBoxVersion: virtualBox };
      const vagrant = line(facts, 'vagrant');
      assert.equal(vagrant?.status, 'fail');
      assert.equal(
        vagrant?.detail,
        `Vagrant 2.3.4 cannot use VirtualBox ${virtualBox.slice(0, 3)} (it needs Vagrant ${needs} or newer)`,
      );
      assert.match(vagrant?.fix ?? '', new RegExp(`Install Vagrant ${needs.replaceAll('.', '\\.')} or newer`));
      assert.equal(line(facts, 'provider')?.status, 'fail', 'not reported as "VirtualBox is not installed"');
      assert.match(line(facts, 'provider')?.detail ?? '', /VirtualBox 7\.\d is installed, but this Vagrant cannot use it/);
    }
    assert.equal(line({ ...readyLaptop, vagrantVersion: '2.3.4', virtualBoxVersion: '7.0.14r161095' }, 'vagrant')?.status, 'pass');
    assert.equal(line({ ...readyLaptop, vagrantVersion: '2.4.9', virtualBoxVersion: '7.2.2r170484' }, 'vagrant')?.status, 'pass');
  });

  test('a Vagrant too old for VirtualBox only warns when libvirt can run the cluster instead', () => {
    const facts = { ...readyLaptop, vagrantVersion: '2.3.4', libvirt: { plugin: true, daemon: true } };
    assert.equal(line(facts, 'vagrant')?.status, 'warn');
    assert.equal(chooseProvider(facts), 'libvirt');
  });

  test('a VirtualBox newer than every known pair warns to get the newest Vagrant', () => {
    const vagrant = line({ ...readyLaptop, vagrantVersion: '2.4.9', virtualBoxVersion: '7.3.0r171000' }, 'vagrant');
    assert.equal(vagrant?.status, 'warn');
    assert.match(vagrant?.fix ?? '', /install the newest Vagrant/);
  });

  test('kvm_intel holding VT-x since it loaded warns with `modprobe -r` or libvirt; harmless otherwise', () => {
    const loaded = { ...readyLaptop, kvm: { module: 'kvm_intel' as const, virtAtLoad: true } };
    const kvm = line(loaded, 'kvm');
    assert.equal(kvm?.status, 'warn');
    assert.match(kvm?.detail ?? '', /VERR_VMX_IN_VMX_ROOT_MODE/);
    assert.match(kvm?.fix ?? '', /`sudo modprobe -r kvm_intel`.*VAGRANT_DEFAULT_PROVIDER=libvirt/);
    assert.equal(statuses({ ...loaded, virtualisation: 'yes' }).virtualisation, 'pass');
    const amd = line({ ...readyLaptop, kvm: { module: 'kvm_amd', virtAtLoad: true } }, 'kvm');
    assert.match(amd?.fix ?? '', /`sudo modprobe -r kvm_amd`/);
    assert.equal(line({ ...readyLaptop, kvm: { module: 'kvm_intel', virtAtLoad: false } }, 'kvm')?.status, 'pass');
    const libvirt = { ...loaded, virtualBoxVersion: undefined, libvirt: { plugin: true, daemon: true } };
    assert.equal(line(libvirt, 'kvm')?.status, 'pass');
  });

  test("libvirt's socket refusing the user says to join the libvirt group, not that libvirt is missing", () => {
    const denied = {
      ...readyLaptop,
      virtualBoxVersion: undefined,
      libvirt: { plugin: true, daemon: true, deniedSocket: '/run/libvirt/libvirt-sock' },
    };
    const provider = line(denied, 'provider');
    assert.equal(provider?.status, 'fail');
    assert.equal(provider?.detail, 'libvirt runs, but your user may not use it (permission denied on /run/libvirt/libvirt-sock)');
    assert.match(provider?.fix ?? '', /sudo usermod -aG libvirt \$USER.*log out and back in/);
    const preferred = { ...denied, virtualBoxVersion: '7.1.4r165100', preferredProvider: 'libvirt' };
    assert.equal(line(preferred, 'provider')?.status, 'warn');
  });

  test("VirtualBox's vboxnet0 on the cluster's /24 fails the libvirt network check with how to free it", () => {
    const facts = {
      ...readyLaptop,
      virtualBoxVersion: '7.1.4r165100',
      preferredProvider: 'libvirt',
      libvirt: { plugin: true, daemon: true },
      hostAddresses: [{ name: 'vboxnet0', address: '192.168.56.1' }],
    };
    const network = line(facts, 'host-only-range');
    assert.equal(network?.status, 'fail');
    assert.equal(network?.detail, "vboxnet0 already holds 192.168.56.1, in the cluster's 192.168.56.0/24");
    assert.match(network?.fix ?? '', /VBoxManage hostonlyif remove vboxnet0/);
    // VirtualBox itself owns vboxnet0: no conflict when it runs the cluster.
    assert.equal(line({ ...facts, preferredProvider: undefined }, 'host-only-range')?.status, 'pass');
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
