import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { programOf } from '../../../../server/sandbox/kubelet/programs.ts';
import { parseImage, pullImage } from '../../../../server/sandbox/kubelet/images.ts';
import { containerLog, followContainerLog } from '../../../../server/sandbox/kubelet/logs.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

describe('container programs', () => {
  test("Docker's hello-world greets and exits, tutum/hello-world serves", () => {
    assert.equal(programOf({ image: 'hello-world' }).kind, 'exits');
    assert.equal(programOf({ image: 'docker.io/library/hello-world:latest' }).kind, 'exits');
    assert.equal(programOf({ image: 'tutum/hello-world' }).kind, 'serves');
  });

  test('servers run, one-liners finish, failures fail', () => {
    assert.equal(programOf({ image: 'nginx' }).kind, 'serves');
    assert.deepEqual(
      programOf({ image: 'busybox', command: ['sh', '-c', 'exit 3'] }).kind === 'exits' &&
        programOf({ image: 'busybox', command: ['sh', '-c', 'exit 3'] }),
      {
        kind: 'exits',
        exitCode: 3,
        afterMs: 200,
        handlesSigterm: false,
      },
    );
    assert.equal(programOf({ image: 'busybox', command: ['false'] }).kind, 'exits');
    assert.equal(
      programOf({ image: 'busybox', command: ['sh', '-c', 'while true; do echo hi; sleep 5; done'] }).kind,
      'serves',
    );
    assert.equal(programOf({ image: 'busybox', command: ['sleep', 'infinity'] }).kind, 'serves');
    assert.equal(
      programOf({ image: 'busybox' }).kind,
      'exits',
      'busybox without a command runs sh, which exits',
    );
    const sleeper = programOf({ image: 'busybox', command: ['sh', '-c', 'echo start; sleep 30'] });
    assert.equal(sleeper.kind === 'exits' && sleeper.afterMs, 30_100);
  });
});

describe('image catalogue', () => {
  test('names are qualified as containerd reports them', () => {
    assert.equal(parseImage('nginx').full, 'docker.io/library/nginx:latest');
    assert.equal(parseImage('tutum/hello-world').full, 'docker.io/tutum/hello-world:latest');
    assert.equal(parseImage('registry.k8s.io/pause:3.10').full, 'registry.k8s.io/pause:3.10');
  });

  test('official images pull; typos, missing tags and unknown registries do not', () => {
    assert.equal(pullImage('nginx:1.27').ok, true);
    assert.equal(pullImage('tutum/hello-world').ok, true);
    const typo = pullImage('ngnix');
    assert.ok(!typo.ok && /repository does not exist/.test(typo.message));
    const missing = pullImage('nginx:doesnotexist');
    assert.ok(!missing.ok && missing.reason === 'ErrImagePull');
    const host = pullImage('registry.example.internal/app:1');
    assert.ok(!host.ok && /no such host/.test(host.message));
    const pulled = pullImage('nginx:1.27');
    assert.ok(pulled.ok);
    assert.match(pulled.imageID, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
  });
});

function runningPod(container: Record<string, unknown>, startedAt: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'loop', namespace: 'default' },
    spec: { containers: [{ name: 'c', ...container }] },
    status: { containerStatuses: [{ name: 'c', state: { running: { startedAt } }, lastState: {} }] },
  };
}

describe('logs', () => {
  test('nginx prints its start-up lines', () => {
    const lines = containerLog(
      runningPod({ image: 'nginx:1.27' }, '2026-03-01T10:00:00Z'),
      undefined,
      Date.parse('2026-03-01T10:01:00Z'),
    );
    assert.ok(
      lines?.some((l) => l.text === '/docker-entrypoint.sh: Configuration complete; ready for start up'),
    );
    assert.ok(lines?.some((l) => l.text === '2026/03/01 10:00:00 [notice] 1#1: nginx/1.27'));
  });

  test('a shell loop echoes once per iteration, and a follower gets the next lines from the clock', () => {
    const p = runningPod(
      { image: 'busybox', command: ['sh', '-c', 'echo starting; while true; do echo "tick"; sleep 5; done'] },
      '2026-03-01T10:00:00Z',
    );
    const lines = containerLog(p, 'c', Date.parse('2026-03-01T10:00:12Z'))?.map((l) => l.text);
    assert.deepEqual(lines, ['starting', 'tick', 'tick', 'tick']);
    const clock = new FakeClock(Date.parse('2026-03-01T10:00:12Z'));
    const followed: string[] = [];
    const stop = followContainerLog(p, 'c', clock, clock.now(), (line) => followed.push(line.text));
    while (clock.fireNext(Date.parse('2026-03-01T10:00:26Z')));
    stop();
    assert.deepEqual(followed, ['tick', 'tick', 'tick']);
  });

  test('a loop counter starts where the script sets it and counts as the shell would', () => {
    const at = Date.parse('2026-03-01T10:00:02Z');
    const log = (script: string) =>
      containerLog(
        runningPod({ image: 'busybox', command: ['sh', '-c', script] }, '2026-03-01T10:00:00Z'),
        'c',
        at,
      )?.map((l) => l.text);
    assert.deepEqual(log('i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 1; done'), [
      'tick 0',
      'tick 1',
      'tick 2',
    ]);
    assert.deepEqual(log('i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 1; done'), [
      'tick 1',
      'tick 2',
      'tick 3',
    ]);
    assert.deepEqual(log('while true; do echo "loop $i"; sleep 1; done'), ['loop 1', 'loop 2', 'loop 3']);
  });

  test('a container waiting to restart shows the log of its last run, as --previous does', () => {
    const p = runningPod(
      { image: 'busybox', command: ['sh', '-c', 'echo boom; exit 1'] },
      '2026-03-01T10:00:00Z',
    );
    const terminated = { startedAt: '2026-03-01T10:00:00Z', finishedAt: '2026-03-01T10:00:01Z', exitCode: 1 };
    (p.status as { containerStatuses: Record<string, unknown>[] }).containerStatuses = [
      { name: 'c', state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated } },
    ];
    const at = Date.parse('2026-03-01T10:00:05Z');
    assert.deepEqual(
      containerLog(p, 'c', at)?.map((l) => l.text),
      ['boom'],
    );
    assert.deepEqual(
      containerLog(p, 'c', at, { previous: true })?.map((l) => l.text),
      ['boom'],
    );
  });

  test('a follower of a finished instance gets nothing more', () => {
    const p = runningPod(
      { image: 'busybox', command: ['sh', '-c', 'while true; do echo tick; sleep 1; done'] },
      '2026-03-01T10:00:00Z',
    );
    const terminated = {
      startedAt: '2026-03-01T10:00:00Z',
      finishedAt: '2026-03-01T10:00:03Z',
      exitCode: 137,
    };
    (p.status as { containerStatuses: Record<string, unknown>[] }).containerStatuses = [
      { name: 'c', state: { terminated }, lastState: {} },
    ];
    const clock = new FakeClock(Date.parse('2026-03-01T10:00:05Z'));
    const followed: string[] = [];
    followContainerLog(p, 'c', clock, clock.now(), (line) => followed.push(line.text));
    assert.equal(clock.pending, 0);
    while (clock.fireNext(Date.parse('2026-03-01T10:01:00Z')));
    assert.deepEqual(followed, []);
  });

  test('a container that never ran has no log', () => {
    const p = runningPod({ image: 'nginx' }, '2026-03-01T10:00:00Z');
    assert.equal(containerLog(p, 'c', Date.now(), { previous: true }), undefined);
  });
});
