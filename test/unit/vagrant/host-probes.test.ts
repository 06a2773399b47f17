import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runDoctor } from '../../../server/vagrant/doctor.ts';
import { parseKvmModule, parseVmStat, parseWindowsVirtualisation } from '../../../server/vagrant/host-probes.ts';
import { parseSettings } from '../../../server/vagrant/settings.ts';
import { shippedSettingsYaml } from './edit-settings.ts';
import { readyLaptop } from './host-facts.ts';

function shippedSettings() {
  const result = parseSettings(shippedSettingsYaml);
  assert.ok(result.ok);
  return result.settings;
}

// `vm_stat` on a 16 GB Apple Silicon Mac that has been up for a day: almost no page is "free".
const appleSilicon = `Mach Virtual Memory Statistics: (page size of 16384 bytes)
Pages free:                                3563.
Pages active:                            231542.
Pages inactive:                          229210.
Pages speculative:                         1205.
Pages throttled:                              0.
Pages wired down:                        112446.
Pages purgeable:                           7301.
"Translation faults":                 1047226839.
Pages copy-on-write:                   33399006.
Pages zero filled:                    441826218.
Pages reactivated:                      8395596.
Pages purged:                           3303574.
File-backed pages:                       144565.
Anonymous pages:                         317392.
Pages stored in compressor:              730050.
Pages occupied by compressor:            186009.
Decompressions:                         5843004.
Compressions:                          10148010.
Pageins:                               19437893.
Pageouts:                                145698.
Swapins:                                      0.
Swapouts:                                     0.
`;

describe('host probes', () => {
  test('macOS free memory counts free, inactive, speculative and purgeable pages of vm_stat', () => {
    // (3563 + 229210 + 1205 + 7301) pages × 16 KiB = 241279 × 16 KiB ≈ 3769.98 MiB.
    assert.equal(parseVmStat(appleSilicon), 3769);
    const intel = appleSilicon.replace('16384 bytes', '4096 bytes');
    assert.equal(parseVmStat(intel), 942);
  });

  test('a Mac with most memory in inactive pages passes the memory check that free pages alone fail', () => {
    const settings = shippedSettings();
    const freePagesOnly = Math.floor((3563 * 16384) / 1024 / 1024);
    const plenty = appleSilicon.replace('229210.', '529210.');
    const memory = (freeMemoryMiB: number) =>
      runDoctor({ ...readyLaptop, platform: 'darwin', freeMemoryMiB }, settings).find((line) => line.id === 'memory');
    assert.equal(memory(freePagesOnly)?.status, 'fail');
    assert.equal(memory(parseVmStat(plenty) ?? 0)?.status, 'pass');
  });

  test('vm_stat output it cannot read gives no figure rather than a wrong one', () => {
    assert.equal(parseVmStat(''), undefined);
    assert.equal(parseVmStat(appleSilicon.replace(/^Pages purgeable:.*$/m, '')), undefined);
  });

  test('Windows virtualisation: the firmware flag decides, a running hypervisor means it is on', () => {
    assert.equal(parseWindowsVirtualisation('firmware=True\r\nhypervisor=False\r\n'), 'yes');
    assert.equal(parseWindowsVirtualisation('firmware=False\r\nhypervisor=False\r\n'), 'no');
    assert.equal(parseWindowsVirtualisation('firmware=False,False\r\nhypervisor=False\r\n'), 'no');
    assert.equal(parseWindowsVirtualisation('firmware=False\r\nhypervisor=True\r\n'), 'yes');
    assert.equal(parseWindowsVirtualisation('firmware=\r\nhypervisor=False\r\n'), 'unknown');
    assert.equal(parseWindowsVirtualisation(''), 'unknown');
  });

  test('on Windows a failed virtualisation check points at the firmware setting, not CPU flags', () => {
    const facts = { ...readyLaptop, platform: 'win32' as const, virtualisation: 'no' as const };
    const line = runDoctor(facts, shippedSettings()).find((check) => check.id === 'virtualisation');
    assert.equal(line?.status, 'fail');
    assert.match(line?.detail ?? '', /off in the firmware/);
  });

  test('the loaded KVM vendor module is read from /proc/modules', () => {
    const intel = 'kvm_intel 413696 0 - Live 0x0000000000000000\nkvm 1384448 1 kvm_intel, Live 0x0000000000000000\n';
    assert.equal(parseKvmModule(intel), 'kvm_intel');
    assert.equal(parseKvmModule('kvm_amd 208896 0 - Live 0x0\nkvm 1339392 1 kvm_amd, Live 0x0\n'), 'kvm_amd');
    assert.equal(parseKvmModule('vboxdrv 696320 2 vboxnetadp,vboxnetflt, Live 0x0\n'), undefined);
  });
});
