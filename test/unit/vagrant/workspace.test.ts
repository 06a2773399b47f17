import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { clusterWorkspace } from '../../../server/vagrant/workspace.ts';

/** A vagrant/ folder as a package ships it, with what a careless pack could also carry (state, images). */
function packaged(root: string, vagrantfile = 'Vagrant.configure("2")\n'): string {
  const dir = join(root, 'node_modules', 'kubewars', 'vagrant');
  mkdirSync(join(dir, 'scripts'), { recursive: true });
  mkdirSync(join(dir, '.vagrant', 'machines'), { recursive: true });
  mkdirSync(join(dir, 'configs'), { recursive: true });
  writeFileSync(join(dir, 'Vagrantfile'), vagrantfile);
  writeFileSync(join(dir, 'settings.yaml'), 'memory: 2048\n');
  writeFileSync(join(dir, 'scripts', 'common.sh'), '#!/bin/bash\n');
  writeFileSync(join(dir, 'configs', 'config'), 'not the learner’s cluster');
  return dir;
}

describe('the Vagrant cluster’s folder', () => {
  test('in a checkout it is the repository’s vagrant/ folder itself', () => {
    const checkout = join(mkdtempSync(join(tmpdir(), 'kubewars-checkout-')), 'vagrant');
    assert.equal(clusterWorkspace(checkout, '/nonexistent-home'), checkout);
  });

  test('from an installed package it is ~/.kubewars/vagrant, filled without machine state', () => {
    const root = mkdtempSync(join(tmpdir(), 'kubewars-pkg-'));
    const home = join(root, 'home');
    const workspace = clusterWorkspace(packaged(root), home);
    assert.equal(workspace, join(home, '.kubewars', 'vagrant'));
    assert.equal(readFileSync(join(workspace, 'settings.yaml'), 'utf8'), 'memory: 2048\n');
    assert.ok(existsSync(join(workspace, 'scripts', 'common.sh')));
    assert.ok(!existsSync(join(workspace, '.vagrant')), 'no machine state from the package');
    assert.ok(!existsSync(join(workspace, 'configs')), 'no kubeconfig from the package');
  });

  test('an upgrade brings the new Vagrantfile and keeps the learner’s settings, machines and kubeconfig', () => {
    const root = mkdtempSync(join(tmpdir(), 'kubewars-pkg-'));
    const home = join(root, 'home');
    const workspace = clusterWorkspace(packaged(root), home);
    writeFileSync(join(workspace, 'settings.yaml'), 'memory: 4096\n');
    mkdirSync(join(workspace, '.vagrant', 'machines', 'control-plane'), { recursive: true });
    mkdirSync(join(workspace, 'configs'));
    writeFileSync(join(workspace, 'configs', 'config'), 'the learner’s cluster');

    clusterWorkspace(packaged(root, 'Vagrant.configure("2") # fixed\n'), home);
    assert.equal(readFileSync(join(workspace, 'Vagrantfile'), 'utf8'), 'Vagrant.configure("2") # fixed\n');
    assert.equal(readFileSync(join(workspace, 'settings.yaml'), 'utf8'), 'memory: 4096\n');
    assert.equal(readFileSync(join(workspace, 'configs', 'config'), 'utf8'), 'the learner’s cluster');
    assert.ok(existsSync(join(workspace, '.vagrant', 'machines', 'control-plane')));
  });
});
