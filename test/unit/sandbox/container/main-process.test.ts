import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MainProcesses } from '../../../../server/sandbox/container/main-process.ts';
import { containerLog, type LogLine, type PrintedOutput } from '../../../../server/sandbox/kubelet/logs.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';
import { PODS } from '../support.ts';
import { cluster, runningPod, sh } from './support.ts';

/** Lets the registry deliver its watch events and the started commands run their synchronous part. */
const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe("a container's own command", () => {
  test('runs in its inside when the container runs: its writes are there and its output is kept', async () => {
    const { registry, clock, insides } = cluster();
    const processes = new MainProcesses(insides, clock);
    const stop = processes.start();
    const command = ['sh', '-c', 'echo saved > /tmp/state; echo hello; date +%Y; sleep 3600'];
    const pod = runningPod(
      registry,
      'db',
      { containers: [{ name: 'db', image: 'busybox', command }] },
      '10.244.1.5',
    );
    await settle();
    assert.deepEqual(
      processes.output(pod, 'db', 0)?.map((line) => line.text),
      ['hello', '2026'],
    );
    assert.equal((await sh(insides, pod, 'cat /tmp/state')).stdout, 'saved\n');
    // The deleted pod's command stops and its output goes with it.
    registry.delete(PODS, 'default', 'db', { gracePeriodSeconds: 0 });
    await settle();
    assert.equal(processes.output(pod, 'db', 0), undefined);
    stop();
  });

  test("an image's own server is not a command to run", async () => {
    const { registry, clock, insides } = cluster();
    const processes = new MainProcesses(insides, clock);
    const stop = processes.start();
    const pod = runningPod(registry, 'web', { containers: [{ name: 'web', image: 'nginx' }] }, '10.244.1.6');
    await settle();
    assert.equal(processes.output(pod, 'web', 0), undefined);
    stop();
  });
});

describe('logs of what a command printed', () => {
  const printed = (lines: LogLine[]): PrintedOutput => ({ output: () => lines, subscribe: () => () => {} });
  const podWith = (script: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', uid: 'u' },
    spec: { containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', script] }] },
    status: {
      containerStatuses: [
        {
          name: 'c',
          image: 'busybox',
          imageID: '',
          ready: true,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: '2026-01-01T00:00:00Z' } },
          lastState: {},
        },
      ],
    },
  });
  const at = Date.parse('2026-01-01T00:00:01Z');

  test('a one-shot command logs what it really printed', () => {
    const lines = containerLog(podWith('date; env; sleep 3600'), 'c', at, {
      printed: printed([{ at, text: 'PATH=/bin' }]),
    });
    assert.deepEqual(
      lines?.map((l) => l.text),
      ['PATH=/bin'],
    );
  });

  test('an endless loop keeps the log written as time passes', () => {
    const lines = containerLog(podWith('while true; do echo tick; sleep 1; done'), 'c', at, {
      printed: printed([{ at, text: 'ignored' }]),
    });
    assert.deepEqual(
      lines?.map((l) => l.text),
      ['tick', 'tick'],
    );
  });
});
