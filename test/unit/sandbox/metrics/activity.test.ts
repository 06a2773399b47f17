import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { activityOf, memoryLimitOf } from '../../../../server/sandbox/metrics/activity.ts';
import { programWithinLimits } from '../../../../server/sandbox/kubelet/out-of-memory.ts';

const sh = (script: string, image = 'busybox:1.36') => ({ image, command: ['sh', '-c', script] });

describe('activityOf', () => {
  test('a busy loop spins one core; a sleeping loop and a server rest', () => {
    assert.equal(activityOf(sh('while true; do :; done')).cpuCores, 1);
    assert.ok(activityOf(sh('while true; do echo hi; sleep 5; done')).cpuCores < 0.01);
    assert.ok(activityOf({ image: 'nginx:1.27' }).cpuCores < 0.01);
  });

  test('a wget loop sends requests to the host it names, fewer when it sleeps', () => {
    const tight = activityOf(sh('while true; do wget -q -O- http://hello >/dev/null; done'));
    assert.deepEqual(
      tight.requests.map(({ host, port }) => ({ host, port })),
      [{ host: 'hello', port: 80 }],
    );
    assert.ok((tight.requests[0]?.perSecond ?? 0) > 100);
    const slow = activityOf(sh('while sleep 0.5; do wget -q -O- http://web:8080/api; done'));
    assert.deepEqual(slow.requests[0] && { host: slow.requests[0].host, port: slow.requests[0].port }, {
      host: 'web',
      port: 8080,
    });
    assert.ok((slow.requests[0]?.perSecond ?? 0) < 2);
  });

  test('stress asks for its workers’ cores and memory', () => {
    const stress = activityOf({
      image: 'polinux/stress',
      command: ['stress'],
      args: ['--vm', '1', '--vm-bytes', '250M', '--vm-hang', '1'],
    });
    assert.ok(stress.memoryBytes > 250 * 2 ** 20);
    assert.ok(stress.cpuCores >= 1);
  });
});

describe('programWithinLimits', () => {
  const hog = {
    image: 'polinux/stress',
    command: ['stress'],
    args: ['--vm', '1', '--vm-bytes', '250M'],
  };

  test('a process over its memory limit is OOMKilled with 137', () => {
    const program = programWithinLimits({ ...hog, resources: { limits: { memory: '100Mi' } } });
    assert.equal(program.kind, 'exits');
    assert.deepEqual(program.kind === 'exits' && [program.exitCode, program.reason], [137, 'OOMKilled']);
  });

  test('within its limit, or without one, it runs as its command says', () => {
    assert.equal(programWithinLimits({ ...hog, resources: { limits: { memory: '300Mi' } } }).kind, 'serves');
    assert.equal(programWithinLimits(hog).kind, 'serves');
    assert.equal(memoryLimitOf(hog), undefined);
  });

  test('the docs’ load generator (`while sleep 0.01; do wget …; done`) runs until stopped', () => {
    assert.equal(
      programWithinLimits(sh('while sleep 0.01; do wget -q -O- http://php-apache; done')).kind,
      'serves',
    );
  });
});
