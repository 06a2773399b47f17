import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifyVagrantFailure } from '../../../server/vagrant/failures.ts';

// Vagrant's and the providers' own wording (vagrant 2.3 en.yml, vagrant-libvirt, VirtualBox), as users see it.
const OUTPUTS: Array<[cause: string, output: string]> = [
  [
    'no-provider',
    'No usable default provider could be found for your system.\n\nVagrant relies on interactions with 3rd party systems, known as\n"providers", to provide Vagrant with resources to run development\nenvironments. Examples are VirtualBox, VMware, Hyper-V.',
  ],
  [
    'no-provider',
    "Vagrant could not detect VirtualBox! Make sure VirtualBox is properly installed.\nVagrant uses the `VBoxManage` binary that ships with VirtualBox, and requires\nthis to be available on the PATH.",
  ],
  [
    'no-provider',
    "Error while connecting to Libvirt: Error making a connection to libvirt URI qemu:///system:\nCall to virConnectOpen failed: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory",
  ],
  [
    'virtualisation-disabled',
    "There was an error while executing `VBoxManage`, a CLI used by Vagrant\nfor controlling VirtualBox.\n\nCommand: [\"startvm\", \"3f1e…\", \"--type\", \"headless\"]\n\nStderr: VBoxManage: error: VT-x is disabled in the BIOS for all CPU modes (VERR_VMX_MSR_ALL_VMX_DISABLED)",
  ],
  ['virtualisation-disabled', 'VBoxManage: error: AMD-V is disabled in the BIOS (or by the host OS) (VERR_SVM_DISABLED)'],
  [
    'host-only-range',
    'The IP address configured for the host-only network is not within the\nallowed ranges. Please update the address used to be within the allowed\nranges and run the command again.\n\n  Address: 10.10.0.10\n  Ranges: 192.168.56.0/21',
  ],
  [
    'box-download',
    "An error occurred while downloading the remote file. The error\nmessage, if any, is reproduced below.\n\nCould not resolve host: vagrantcloud.com",
  ],
  ['out-of-memory', 'VBoxManage: error: Failed to create the VirtualBox object! (VERR_NO_MEMORY)'],
  [
    'boot-timeout',
    'Timed out while waiting for the machine to boot. This means that\nVagrant was unable to communicate with the guest machine within\nthe configured ("config.vm.boot_timeout" value) time period.',
  ],
  [
    'provisioning',
    '    worker-1: E: Unable to locate package kubeadm\nThe SSH command responded with a non-zero exit status. Vagrant\nassumes that this means the command failed. The output for this command\nshould be in the log above.',
  ],
  [
    'port-collision',
    'Vagrant cannot forward the specified ports on this VM, since they\nwould collide with some other application that is already listening\non these ports.',
  ],
];

describe('vagrant failure classifier', () => {
  for (const [cause, output] of OUTPUTS) {
    test(`recognises ${cause} from: ${output.split('\n').at(-1)?.slice(0, 60)}`, () => {
      const failure = classifyVagrantFailure(output);
      assert.equal(failure.cause, cause);
      assert.doesNotMatch(failure.explanation, /\n/, 'explanation is one line');
      assert.ok(failure.nextStep.length > 0);
    });
  }

  test("a settings error repeats the Vagrantfile's own first problem", () => {
    const failure = classifyVagrantFailure(
      'Kube Wars: vagrant/settings.yaml is invalid:\n  - workers.count: expected a whole number from 0 to 20, got "two".\nFix these values',
    );
    assert.equal(failure.cause, 'settings');
    assert.equal(
      failure.explanation,
      'vagrant/settings.yaml is invalid: workers.count: expected a whole number from 0 to 20, got "two".',
    );
  });

  test('an unknown failure quotes the last line vagrant printed', () => {
    const failure = classifyVagrantFailure('==> worker-1: Booting VM...\nSomething nobody has seen before.\n\n');
    assert.equal(failure.cause, 'unknown');
    assert.equal(failure.explanation, 'vagrant failed: Something nobody has seen before.');
  });

  test("a download that fails inside a provisioning script is a provisioning failure, not the box's", () => {
    for (const scriptError of [
      'curl: (6) Could not resolve host: pkgs.k8s.io',
      'curl: (60) SSL certificate problem: unable to get local issuer certificate',
      'E: Unable to fetch some archives: Cannot allocate memory',
    ]) {
      const failure = classifyVagrantFailure(
        `==> control-plane: Running provisioner: shell...\n    control-plane: ${scriptError}\n` +
          'The SSH command responded with a non-zero exit status. Vagrant\nassumes that this means the command failed.',
      );
      assert.equal(failure.cause, 'provisioning', scriptError);
    }
  });

  // Texts as reported in hashicorp/vagrant#13501 and void-linux/void-packages#56826 (Vagrant 2.4.7, VirtualBox 7.2).
  test('VirtualBox newer than this Vagrant names the newest it knows and the Vagrant versions to install', () => {
    const failure = classifyVagrantFailure(
      "The provider 'virtualbox' that was requested to back the machine\n'control-plane' is reporting that it isn't usable on this system. The\nreason is shown below:\n\n" +
        'Vagrant has detected that you have a version of VirtualBox installed\nthat is not supported by this version of Vagrant. Please install one of\nthe supported versions listed below to use Vagrant:\n\n' +
        '4.0, 4.1, 4.2, 4.3, 5.0, 5.1, 5.2, 6.0, 6.1, 7.0, 7.1\n\nA Vagrant update may also be available that adds support for the version\nyou specified.',
    );
    assert.equal(failure.cause, 'vagrant-too-old');
    assert.equal(failure.explanation, 'This Vagrant does not support the installed VirtualBox (it knows VirtualBox up to 7.1).');
    assert.match(failure.nextStep, /VirtualBox 7\.1 needs Vagrant 2\.4\.3, VirtualBox 7\.2 needs Vagrant 2\.4\.9/);
    assert.match(failure.nextStep, /https:\/\/developer\.hashicorp\.com\/vagrant\/install/);
  });

  // VirtualBox's messages on Linux 6.12+ with kvm loaded (NixOS/nixpkgs#363887, VirtualBox/virtualbox#81).
  test('KVM holding VT-x says which module to unload, not to enable VT-x in the BIOS', () => {
    const intel = classifyVagrantFailure(
      'Stderr: VBoxManage: error: VirtualBox can\'t operate in VMX root mode. Please disable the KVM kernel extension, recompile your kernel and reboot (VERR_VMX_IN_VMX_ROOT_MODE)\nVBoxManage: error: Details: code NS_ERROR_FAILURE (0x80004005), component ConsoleWrap, interface IConsole',
    );
    assert.equal(intel.cause, 'kvm-loaded');
    assert.match(intel.explanation, /kvm_intel kernel module/);
    assert.match(intel.nextStep, /`sudo modprobe -r kvm_intel`.*VAGRANT_DEFAULT_PROVIDER=libvirt/);
    const amd = classifyVagrantFailure(
      "VBoxManage: error: VirtualBox can't enable the AMD-V extension. Please disable the KVM kernel extension, recompile your kernel and reboot (VERR_SVM_IN_USE)",
    );
    assert.equal(amd.cause, 'kvm-loaded');
    assert.match(amd.nextStep, /`sudo modprobe -r kvm_amd`/);
  });

  // vagrant-libvirt's message for a user outside the libvirt group (sandstorm-io/sandstorm#1959).
  test("libvirt's socket refusing the user says to join the libvirt group, not that libvirt is missing", () => {
    const failure = classifyVagrantFailure(
      "Error while connecting to libvirt: Error making a connection to libvirt URI qemu:///system:\nCall to virConnectOpen failed: Failed to connect socket to '/var/run/libvirt/libvirt-sock': Permission denied",
    );
    assert.equal(failure.cause, 'libvirt-permission');
    assert.equal(failure.explanation, 'libvirt runs, but your user may not use it (permission denied on /var/run/libvirt/libvirt-sock).');
    assert.match(failure.nextStep, /sudo usermod -aG libvirt \$USER.*log out and back in/);
  });

  // vagrant-libvirt after VirtualBox used the same host-only network (vagrant-libvirt/vagrant-libvirt#617).
  test("libvirt's network colliding with vboxnet0 says to remove VirtualBox's interface", () => {
    const failure = classifyVagrantFailure(
      'Error while activating network: Call to virNetworkCreate failed: internal error: Network is already in use by interface vboxnet0.',
    );
    assert.equal(failure.cause, 'network-taken');
    assert.match(failure.explanation, /interface vboxnet0 already holds its addresses/);
    assert.match(failure.nextStep, /VBoxManage hostonlyif remove vboxnet0/);
  });

  test("common.sh's refusal of a changed version wins over the SSH failure it causes", () => {
    const failure = classifyVagrantFailure(
      '    worker-1: This node runs Kubernetes 1.34 but vagrant/settings.yaml asks for 1.35.\n' +
        'The SSH command responded with a non-zero exit status. Vagrant\nassumes that this means the command failed.',
    );
    assert.equal(failure.cause, 'version-change');
    assert.match(failure.nextStep, /Set kubernetes\.version back to "1\.34"/);
  });

  test('a missing provider wins over the Hyper-V example in the same message', () => {
    assert.equal(classifyVagrantFailure(OUTPUTS[0]![1]).cause, 'no-provider');
  });
});
