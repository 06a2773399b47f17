import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  POD_STAGES,
  type PodMemory,
  type PodStageContext,
} from '../../../server/sandbox/stages/pod-stages.ts';
import { selectStage } from '../../../server/sandbox/stages/stage.ts';
import { SPEEDS } from '../../../server/sandbox/stages/speed.ts';
import type { KubeObject } from '../../../server/sandbox/types.ts';

const NOW = Date.parse('2026-03-01T10:00:00Z');

function context(memory: PodMemory = { killing: false, pullFailures: {} }, now = NOW): PodStageContext {
  return {
    now,
    speed: SPEEDS.realistic,
    random: () => 0.5,
    nodeName: 'node-1',
    nodeIP: '192.168.56.11',
    podIP: () => '10.244.1.7',
    imagePresent: () => false,
    memory,
  };
}

function pod(container: Record<string, unknown>, extra: Partial<KubeObject> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', uid: 'u1' },
    spec: { nodeName: 'node-1', restartPolicy: 'Always', containers: [{ name: 'c', ...container }] },
    ...extra,
  };
}

/** Run the chosen stage and return [stage name, the pod after its effect]. */
function step(object: KubeObject, ctx = context()): [string, KubeObject, number] {
  const stage = selectStage(POD_STAGES, object, ctx, () => 0);
  assert.ok(stage, 'a stage matches');
  const delay = stage.delayMs(object, ctx);
  const effect = stage.effect(object, ctx);
  return [stage.name, effect.status ? { ...object, status: effect.status } : object, delay];
}

const container = (p: KubeObject) =>
  (p.status as { containerStatuses: Record<string, unknown>[] }).containerStatuses[0] as {
    state: Record<string, Record<string, unknown>>;
    restartCount: number;
    ready: boolean;
  };

describe('pod stages (golden cases)', () => {
  test('a scheduled nginx pod is admitted, then started Running with IPs and ready', () => {
    const [first, admitted] = step(pod({ image: 'nginx' }));
    assert.equal(first, 'pod-admit');
    assert.equal((admitted.status as { phase: string }).phase, 'Pending');
    assert.deepEqual(container(admitted).state, { waiting: { reason: 'ContainerCreating' } });
    const [second, running, delay] = step(admitted);
    assert.equal(second, 'container-start');
    assert.ok(delay >= 1100 && delay <= 3400, `realistic pull+start delay ${delay}`);
    const status = running.status as {
      phase: string;
      podIP: string;
      hostIP: string;
      conditions: { type: string; status: string }[];
    };
    assert.equal(status.phase, 'Running');
    assert.equal(status.podIP, '10.244.1.7');
    assert.equal(status.hostIP, '192.168.56.11');
    assert.ok(container(running).ready);
    assert.deepEqual(
      status.conditions.map((c) => `${c.type}=${c.status}`),
      [
        'PodReadyToStartContainers=True',
        'Initialized=True',
        'Ready=True',
        'ContainersReady=True',
        'PodScheduled=True',
      ],
    );
  });

  test('a missing tag fails the pull, then backs off with ImagePullBackOff', () => {
    const [, admitted] = step(pod({ image: 'nginx:doesnotexist' }));
    const memory = { killing: false, pullFailures: {} };
    const [name, failed] = step(admitted, context(memory));
    assert.equal(name, 'image-pull-fail');
    assert.equal(container(failed).state.waiting?.reason, 'ErrImagePull');
    assert.match(
      String(container(failed).state.waiting?.message),
      /docker\.io\/library\/nginx:doesnotexist: not found/,
    );
    const [next, backoff] = step(failed, context(memory));
    assert.equal(next, 'image-pull-backoff');
    assert.equal(container(backoff).state.waiting?.reason, 'ImagePullBackOff');
    const [retry, , delay] = step(backoff, context(memory));
    assert.equal(retry, 'image-pull-retry');
    assert.equal(delay, 10_000);
  });

  test('`exit 1` errors, restarts at once, then waits in CrashLoopBackOff', () => {
    let current = step(step(pod({ image: 'busybox', command: ['sh', '-c', 'exit 1'] }))[1])[1];
    const [exit, exited] = step(current);
    assert.equal(exit, 'container-exit');
    assert.deepEqual(
      {
        reason: container(exited).state.terminated?.reason,
        exitCode: container(exited).state.terminated?.exitCode,
      },
      { reason: 'Error', exitCode: 1 },
    );
    const [restart, restarted, firstDelay] = step(exited);
    assert.equal(restart, 'container-restart');
    assert.equal(firstDelay, 0);
    assert.equal(container(restarted).restartCount, 1);
    current = step(restarted)[1];
    const [loop, waiting] = step(current);
    assert.equal(loop, 'crash-loop-backoff');
    assert.equal(container(waiting).state.waiting?.reason, 'CrashLoopBackOff');
    assert.match(
      String(container(waiting).state.waiting?.message),
      /^back-off 10s restarting failed container=c pod=p_default\(u1\)$/,
    );
    const [, , backoff] = step(waiting);
    assert.equal(backoff, 10_000);
  });

  test('with restartPolicy Never a finished command leaves the pod Succeeded', () => {
    const base = pod({ image: 'busybox', command: ['echo', 'hi'] });
    (base.spec as { restartPolicy: string }).restartPolicy = 'Never';
    const done = step(step(step(base)[1])[1])[1];
    assert.equal((done.status as { phase: string }).phase, 'Succeeded');
    assert.equal(
      selectStage(POD_STAGES, done, context(), () => 0),
      undefined,
      'nothing more happens',
    );
  });

  test('a readiness probe makes the pod Ready only after its initial delay', () => {
    const running = step(step(pod({ image: 'nginx', readinessProbe: { initialDelaySeconds: 5 } }))[1])[1];
    assert.equal(container(running).ready, false);
    const [name, ready, delay] = step(running);
    assert.equal(name, 'readiness-probe-pass');
    assert.equal(delay, 5000);
    assert.equal(container(ready).ready, true);
  });

  test('a deleted pod gets Killing at once, then is removed within its grace period', () => {
    const running = step(step(pod({ image: 'nginx' }))[1])[1];
    const deleting = {
      ...running,
      metadata: {
        ...running.metadata,
        deletionTimestamp: '2026-03-01T10:00:30Z',
        deletionGracePeriodSeconds: 30,
      },
    };
    const memory = { killing: false, pullFailures: {} };
    const stage = selectStage(POD_STAGES, deleting, context(memory), () => 0);
    assert.equal(stage?.name, 'pod-kill');
    const effect = stage?.effect(deleting, context(memory));
    assert.deepEqual(
      effect?.events?.map((e) => [e.reason, e.message]),
      [['Killing', 'Stopping container c']],
    );
    const remove = selectStage(POD_STAGES, deleting, context(memory), () => 0);
    assert.equal(remove?.name, 'pod-remove');
    assert.deepEqual(remove?.effect(deleting, context(memory)), { delete: true });
    assert.ok((remove?.delayMs(deleting, context(memory)) ?? Infinity) <= 30_000);
  });
});

describe('liveness probes', () => {
  test('an exec probe on a file the script removes kills and restarts the container', () => {
    const spec = {
      image: 'busybox',
      args: ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'],
      livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, initialDelaySeconds: 5, periodSeconds: 5 },
    };
    const running = step(step(pod(spec))[1])[1];
    const [name, killed, delay] = step(running);
    assert.equal(name, 'liveness-probe-fail');
    assert.equal(delay, 45_000);
    assert.equal(container(killed).state.terminated?.exitCode, 137);
    const stage = selectStage(POD_STAGES, running, context(), () => 0);
    const events = stage?.effect(running, context()).events?.map((e) => `${e.reason}: ${e.message}`);
    assert.deepEqual(events?.slice(-2), [
      "Unhealthy: Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory",
      'Killing: Container c failed liveness probe, will be restarted',
    ]);
    const [restart, restarted] = step(killed);
    assert.equal(restart, 'container-restart');
    assert.equal(container(restarted).restartCount, 1);
  });
});
