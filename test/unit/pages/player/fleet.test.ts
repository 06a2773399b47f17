import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { fleetManifest, fleetObjectName, playerNameProblem } from '../../../../game/player/fleet.ts';

test('valid label values are accepted as pilot names', () => {
  for (const name of ['leia', 'Han.Solo', 'r2-d2', 'x_wing', 'a', 'a'.repeat(63)]) {
    assert.equal(playerNameProblem(name), undefined, name);
  }
});

test('names that cannot be label values are refused with a reason', () => {
  for (const name of ['', '-leia', 'leia-', 'two words', '<b>', 'a'.repeat(64), 'dark/side']) {
    assert.ok(playerNameProblem(name), name);
  }
});

test('the fleet manifest is a Deployment whose pods carry the game and player labels', () => {
  const manifest = parse(fleetManifest('Han.Solo')) as {
    kind: string;
    metadata: { name: string };
    spec: {
      replicas: number;
      selector: { matchLabels: Record<string, string> };
      template: { metadata: { labels: Record<string, string> } };
    };
  };
  assert.equal(manifest.kind, 'Deployment');
  assert.equal(manifest.metadata.name, 'fleet-han-solo');
  assert.equal(manifest.spec.replicas, 3);
  assert.deepEqual(manifest.spec.template.metadata.labels, { game: 'starwars', player: 'Han.Solo' });
  assert.deepEqual(manifest.spec.selector.matchLabels, manifest.spec.template.metadata.labels);
});

test('object names derived from pilot names are valid DNS-1123 names', () => {
  for (const player of ['Han.Solo', '___', 'X'.repeat(63), 'a-']) {
    assert.match(fleetObjectName(player), /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    assert.ok(fleetObjectName(player).length <= 63);
  }
});
