// Test helper: the facts of a laptop ready for the cluster (VirtualBox, VT-x, room to spare, no box cached yet).
import type { HostFacts } from '../../../server/vagrant/doctor.ts';

export const readyLaptop: HostFacts = {
  platform: 'linux',
  vagrantVersion: '2.4.3',
  virtualBoxVersion: '7.1.4r165100',
  libvirt: { plugin: false, daemon: false },
  preferredProvider: undefined,
  freeMemoryMiB: 12_000,
  virtualisation: 'yes',
  kvm: { module: undefined, virtAtLoad: false },
  hostAddresses: [{ name: 'lo', address: '127.0.0.1' }],
  hostOnlyRanges: undefined,
  freeDiskMiB: 50_000,
  boxes: [],
};
