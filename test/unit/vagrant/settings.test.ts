import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseSettings, planNodes, totalMemoryMiB } from '../../../server/vagrant/settings.ts';
import { BROKEN_SETTINGS, editSettings, shippedSettingsYaml } from './edit-settings.ts';

describe('vagrant/settings.yaml', () => {
  test('the shipped settings give a control plane and two 2 CPU / 2 GiB workers on 192.168.56.10+', () => {
    const result = parseSettings(shippedSettingsYaml);
    assert.ok(result.ok, result.ok ? '' : result.problems.join('; '));
    const { settings } = result;
    assert.equal(settings.kubernetes.pod_cidr, '10.244.0.0/16');
    assert.equal(settings.kubernetes.service_cidr, '10.96.0.0/12');
    assert.match(settings.box.version, /^\d+\.\d+\.\d+$/);
    assert.deepEqual(planNodes(settings), [
      { name: 'control-plane', role: 'control-plane', ip: '192.168.56.10', cpus: 2, memoryMiB: 2048 },
      { name: 'worker-1', role: 'worker', ip: '192.168.56.11', cpus: 2, memoryMiB: 2048 },
      { name: 'worker-2', role: 'worker', ip: '192.168.56.12', cpus: 2, memoryMiB: 2048 },
    ]);
    assert.equal(totalMemoryMiB(settings), 6144);
  });

  test('the add-ons are off unless asked for, even when the section is left out', () => {
    const result = parseSettings(shippedSettingsYaml.slice(0, shippedSettingsYaml.indexOf('\naddons:')));
    assert.ok(result.ok);
    assert.deepEqual(result.settings.addons, {
      storage: false,
      ingress: false,
      metrics_server: false,
      game_manifests: false,
    });
  });

  test('the shipped settings turn on what the lessons use: storage, ingress and metrics', () => {
    const result = parseSettings(shippedSettingsYaml);
    assert.ok(result.ok);
    assert.deepEqual(result.settings.addons, {
      storage: true,
      ingress: true,
      metrics_server: true,
      game_manifests: false,
    });
  });

  test('four workers get consecutive addresses after the control plane', () => {
    const result = parseSettings(editSettings('workers', 'count', '4'));
    assert.ok(result.ok);
    assert.deepEqual(
      planNodes(result.settings).map((node) => `${node.name}=${node.ip}`),
      [
        'control-plane=192.168.56.10',
        'worker-1=192.168.56.11',
        'worker-2=192.168.56.12',
        'worker-3=192.168.56.13',
        'worker-4=192.168.56.14',
      ],
    );
  });

  for (const { what, yaml, message } of BROKEN_SETTINGS) {
    test(`${what} is rejected with a message naming the field`, () => {
      const result = parseSettings(yaml);
      assert.ok(!result.ok, 'accepted');
      assert.match(result.problems.join('\n'), message);
    });
  }

  test("YAML 1.1's yes turns an add-on on, as it does for Ruby in the Vagrantfile", () => {
    const result = parseSettings(editSettings('addons', 'metrics_server', 'yes'));
    assert.ok(result.ok);
    assert.equal(result.settings.addons.metrics_server, true);
  });

  test('every problem is reported at once, not only the first', () => {
    const result = parseSettings(editSettings('workers', 'cpus', '0', editSettings('workers', 'count', '-1')));
    assert.ok(!result.ok);
    assert.equal(result.problems.length, 2);
  });
});
