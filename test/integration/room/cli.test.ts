import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runKubewars, spawnKubewars } from '../../support/kubewars.ts';

describe('kubewars start --room on the command line', () => {
  test('an instructor token under 16 characters is a usage error that says why, without echoing it', async () => {
    const { code, output } = await runKubewars(['start', '--room', '--instructor-token', 'short-token']);
    assert.equal(code, 2, output);
    assert.equal(output.trim().split('\n').length, 1, output);
    assert.match(output, /--instructor-token is 11 characters: use at least 16/);
    assert.doesNotMatch(output, /short-token/);
  });

  test('the token from the environment is named as such', async () => {
    const { code, output } = await runKubewars(['start'], { env: { KUBEWARS_INSTRUCTOR_TOKEN: 'tiny' } });
    assert.equal(code, 2, output);
    assert.match(output, /KUBEWARS_INSTRUCTOR_TOKEN is 4 characters/);
  });

  test("the room's options without --room are a usage error", async () => {
    const { code, output } = await runKubewars(['start', '--public-address', '10.0.0.5', '--tls']);
    assert.equal(code, 2, output);
    assert.match(output, /--public-address, --tls apply only to a room: add --room/);
  });

  test('KUBEWARS_ROOM=false leaves the room off, and a value neither on nor off is a usage error', async () => {
    // Were the room on, the platform would start and keep running: stopped after 20 s, it fails the test.
    const running = spawnKubewars(['start', '--public-address', '10.0.0.5'], {
      env: { KUBEWARS_ROOM: 'false' },
    });
    const stop = setTimeout(() => running.child.kill(), 20_000);
    const code = await new Promise<number | null>((resolve) => running.child.on('exit', resolve));
    clearTimeout(stop);
    assert.equal(code, 2, running.output());
    assert.match(running.output(), /--public-address applies only to a room: add --room/);
    const unclear = await runKubewars(['start'], { env: { KUBEWARS_ROOM: 'maybe' } });
    assert.equal(unclear.code, 2, unclear.output);
    assert.match(unclear.output, /KUBEWARS_ROOM=maybe is neither on nor off: set it to true or false/);
  });

  test("each kind of room refuses the other's options: namespaces on a kubeconfig's cluster, clusters on the sandbox", async () => {
    const onKubeconfig = await runKubewars([
      'start',
      '--room',
      '--kubeconfig',
      '/some/config',
      '--attendee-pod-limit',
      '9',
    ]);
    assert.equal(onKubeconfig.code, 2, onKubeconfig.output);
    assert.match(onKubeconfig.output, /--attendee-pod-limit applies only to a room on the built-in sandbox/);
    const onSandbox = await runKubewars(['start', '--room', '--attendee-token-ttl', '2h']);
    assert.equal(onSandbox.code, 2, onSandbox.output);
    assert.match(onSandbox.output, /--attendee-token-ttl applies only to a room on a kubeconfig's cluster/);
    const badQuota = await runKubewars([
      'start',
      '--room',
      '--kubeconfig',
      '/c',
      '--attendee-quota',
      'pods=x',
    ]);
    assert.equal(badQuota.code, 2, badQuota.output);
    assert.match(badQuota.output, /"x" \(for pods\) is not a quantity/);
  });

  test('--help documents the room options and their environment variables', async () => {
    const { output } = await runKubewars(['start', '--help']);
    for (const name of [
      'ROOM',
      'PUBLIC_ADDRESS',
      'ATTENDEE_POD_LIMIT',
      'JOINS_PER_MINUTE',
      'MAX_ATTENDEES',
      'TLS',
      'ATTENDEE_QUOTA',
      'ATTENDEE_TOKEN_TTL',
      'ATTENDEE_SERVER',
    ]) {
      assert.match(output, new RegExp(`env:\\s+KUBEWARS_${name}\\b`));
    }
  });
});
