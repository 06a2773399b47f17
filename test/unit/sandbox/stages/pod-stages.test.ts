import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  POD_STAGES,
  remember,
  type PodMemory,
  type PodStageContext,
  type PodStageEffect,
} from '../../../../server/sandbox/stages/pod-stages.ts';
import { selectStage } from '../../../../server/sandbox/stages/stage.ts';
import { SPEEDS } from '../../../../server/sandbox/stages/speed.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';

const NOW = Date.parse('2026-03-01T10:00:00Z');
const FRESH: PodMemory = { killing: false, pullFailures: {} };

function context(memory: PodMemory = FRESH, now = NOW, present: string[] = []): PodStageContext {
  return {
    now,
    speed: SPEEDS.realistic,
    random: () => 0.5,
    nodeName: 'worker-1',
    nodeIP: '192.168.56.11',
    podIP: () => '10.244.1.7',
    imagePresent: (image) => present.includes(image),
    memory,
    attachError: () => undefined,
  };
}

function podOf(containers: Record<string, unknown>[], spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', uid: 'u1' },
    spec: { nodeName: 'worker-1', restartPolicy: 'Always', containers, ...spec },
  };
}

const pod = (container: Record<string, unknown>) => podOf([{ name: 'c', ...container }]);

interface Step {
  name: string;
  /** The pod once the effect's status is written. */
  after: KubeObject;
  delay: number;
  effect: PodStageEffect;
  /** The kubelet's memory once it learned the effect's facts. */
  memory: PodMemory;
}

/** Run the chosen stage: its name, delay and effect, and the pod and memory after it. */
function run(object: KubeObject, ctx = context()): Step {
  const next = selectStage(POD_STAGES, object, ctx, () => 0);
  assert.ok(next, 'a stage matches');
  const delay = next.selection.delayMs(ctx);
  const effect = next.selection.effect(ctx);
  return {
    name: next.stage.name,
    after: effect.status ? { ...object, status: effect.status } : object,
    delay,
    effect,
    memory: remember(ctx.memory, effect.facts),
  };
}

/** The old tuple form for the single-container cases: [stage name, the pod after its effect, delay]. */
function step(object: KubeObject, ctx = context()): [string, KubeObject, number] {
  const { name, after, delay } = run(object, ctx);
  return [name, after, delay];
}

interface Status {
  name: string;
  state: Record<string, Record<string, unknown>>;
  restartCount: number;
  ready: boolean;
  imageID: string;
}

const statuses = (p: KubeObject, list = 'containerStatuses') =>
  (p.status as Record<string, Status[]>)[list] ?? [];
const container = (p: KubeObject, name?: string) =>
  statuses(p).find((c) => name === undefined || c.name === name) as Status;
const stateOf = (p: KubeObject, name: string) => {
  const { state } = container(p, name);
  const [key] = Object.keys(state);
  const reason = state[key ?? '']?.reason;
  return reason ? `${key}:${String(reason)}` : String(key);
};
const conditionsOf = (p: KubeObject) =>
  (p.status as { conditions: { type: string; status: string; message?: string }[] }).conditions;

describe('pod stages (golden cases)', () => {
  test('a scheduled nginx pod is admitted, then started Running with IPs and ready', () => {
    const [first, admitted] = step(pod({ image: 'nginx' }));
    assert.equal(first, 'pod-admit');
    assert.equal((admitted.status as { phase: string }).phase, 'Pending');
    assert.deepEqual(container(admitted).state, { waiting: { reason: 'ContainerCreating' } });
    const started = run(admitted);
    assert.equal(started.name, 'container-start');
    assert.ok(started.delay >= 1100 && started.delay <= 3400, `realistic pull+start delay ${started.delay}`);
    assert.deepEqual(started.effect.facts, { pulledImages: ['nginx'] });
    const running = started.after;
    const status = running.status as { phase: string; podIP: string; hostIP: string };
    assert.equal(status.phase, 'Running');
    assert.equal(status.podIP, '10.244.1.7');
    assert.equal(status.hostIP, '192.168.56.11');
    assert.ok(container(running).ready);
    assert.deepEqual(
      conditionsOf(running).map((c) => `${c.type}=${c.status}`),
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
    const failed = run(admitted);
    assert.equal(failed.name, 'image-pull-fail');
    assert.deepEqual(failed.effect.facts, { pullFailed: 'c' });
    assert.deepEqual(failed.memory.pullFailures, { c: 1 });
    assert.equal(container(failed.after).state.waiting?.reason, 'ErrImagePull');
    assert.match(
      String(container(failed.after).state.waiting?.message),
      /docker\.io\/library\/nginx:doesnotexist: not found/,
    );
    const backoff = run(failed.after, context(failed.memory));
    assert.equal(backoff.name, 'image-pull-backoff');
    assert.equal(container(backoff.after).state.waiting?.reason, 'ImagePullBackOff');
    const retry = run(backoff.after, context(backoff.memory));
    assert.equal(retry.name, 'image-pull-retry');
    assert.equal(retry.delay, 10_000);
    assert.deepEqual(retry.memory.pullFailures, { c: 2 });
    const again = run(run(retry.after, context(retry.memory)).after, context(retry.memory));
    assert.equal(again.name, 'image-pull-retry');
    assert.equal(again.delay, 20_000, 'the back-off doubles per failed pull');
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
    const kill = run(deleting);
    assert.equal(kill.name, 'pod-kill');
    assert.deepEqual(
      kill.effect.events?.map((e) => [e.reason, e.message]),
      [['Killing', 'Stopping container c']],
    );
    assert.deepEqual(kill.effect.facts, { killing: true });
    assert.equal(kill.effect.status, undefined, 'Killing writes no status');
    const remove = run(deleting, context(kill.memory));
    assert.equal(remove.name, 'pod-remove');
    assert.deepEqual(remove.effect, { delete: true });
    assert.ok(remove.delay <= 30_000);
  });
});

describe('pod stages with several containers (golden cases)', () => {
  test('init containers are reported Completed at admission, and the app container starts after', () => {
    const admit = run(
      podOf([{ name: 'app', image: 'nginx' }], {
        initContainers: [
          { name: 'migrate', image: 'busybox', command: ['sh', '-c', 'echo migrated'] },
          { name: 'warm', image: 'busybox' },
        ],
      }),
    );
    assert.equal(admit.name, 'pod-admit');
    assert.deepEqual(
      statuses(admit.after, 'initContainerStatuses').map((c) => [
        c.name,
        c.state.terminated?.reason,
        c.ready,
      ]),
      [
        ['migrate', 'Completed', true],
        ['warm', 'Completed', true],
      ],
    );
    assert.match(
      statuses(admit.after, 'initContainerStatuses')[0]?.imageID ?? '',
      /^docker\.io\/library\/busybox@sha256:/,
    );
    assert.equal(stateOf(admit.after, 'app'), 'waiting:ContainerCreating');
    const start = run(admit.after);
    assert.equal(start.name, 'container-start');
    assert.equal(stateOf(start.after, 'app'), 'running');
    assert.deepEqual(
      statuses(start.after, 'initContainerStatuses'),
      statuses(admit.after, 'initContainerStatuses'),
      'init statuses stay as admitted',
    );
  });

  test('two app containers start one at a time, in order', () => {
    const admitted = run(
      podOf([
        { name: 'web', image: 'nginx' },
        { name: 'cache', image: 'redis' },
      ]),
    ).after;
    const first = run(admitted);
    assert.equal(first.name, 'container-start');
    assert.deepEqual(
      [stateOf(first.after, 'web'), stateOf(first.after, 'cache')],
      ['running', 'waiting:ContainerCreating'],
    );
    assert.deepEqual(first.effect.facts, { pulledImages: ['nginx'] });
    assert.equal((first.after.status as { phase: string }).phase, 'Running');
    assert.equal(
      conditionsOf(first.after).find((c) => c.type === 'Ready')?.message,
      'containers with unready status: [cache]',
    );
    const second = run(first.after);
    assert.equal(second.name, 'container-start');
    assert.deepEqual([stateOf(second.after, 'web'), stateOf(second.after, 'cache')], ['running', 'running']);
    assert.deepEqual(second.effect.facts, { pulledImages: ['redis'] });
    assert.equal(conditionsOf(second.after).find((c) => c.type === 'Ready')?.status, 'True');
  });

  test('of two app containers only the crashing one restarts and waits in CrashLoopBackOff', () => {
    let current = podOf([
      { name: 'web', image: 'nginx' },
      { name: 'worker', image: 'busybox', command: ['sh', '-c', 'exit 1'] },
    ]);
    for (const expected of ['pod-admit', 'container-start', 'container-start']) {
      const next = run(current);
      assert.equal(next.name, expected);
      current = next.after;
    }
    const exit = run(current);
    assert.equal(exit.name, 'container-exit');
    assert.deepEqual(
      [stateOf(exit.after, 'web'), stateOf(exit.after, 'worker')],
      ['running', 'terminated:Error'],
    );
    assert.equal(
      conditionsOf(exit.after).find((c) => c.type === 'Ready')?.message,
      'containers with unready status: [worker]',
    );
    const restart = run(exit.after);
    assert.equal(restart.name, 'container-restart');
    assert.deepEqual(
      restart.effect.events?.map((e) => `${e.reason} ${e.fieldPath}`),
      ['Pulling', 'Pulled', 'Created', 'Started'].map((reason) => `${reason} spec.containers{worker}`),
    );
    const loop = run(run(restart.after).after);
    assert.equal(loop.name, 'crash-loop-backoff');
    assert.deepEqual(
      [stateOf(loop.after, 'web'), stateOf(loop.after, 'worker')],
      ['running', 'waiting:CrashLoopBackOff'],
    );
    assert.equal(container(loop.after, 'web').restartCount, 0);
    assert.equal(container(loop.after, 'worker').restartCount, 1);
    assert.deepEqual(
      loop.effect.events?.map((e) => e.message),
      ['Back-off restarting failed container worker in pod p_default(u1)'],
    );
  });

  test('crash-loop-backoff acts on the container that will restart, not on a finished one before it', () => {
    const terminated = (exitCode: number) => ({
      state: {
        terminated: {
          exitCode,
          reason: exitCode ? 'Error' : 'Completed',
          startedAt: '2026-03-01T09:59:00Z',
          finishedAt: '2026-03-01T09:59:30Z',
        },
      },
      restartCount: 1,
    });
    const base = podOf(
      [
        { name: 'done', image: 'busybox', command: ['echo', 'hi'] },
        { name: 'failing', image: 'busybox', command: ['sh', '-c', 'exit 1'] },
      ],
      { restartPolicy: 'OnFailure' },
    );
    const common = {
      image: 'docker.io/library/busybox:latest',
      imageID: '',
      ready: false,
      started: false,
      lastState: {},
    };
    const object: KubeObject = {
      ...base,
      status: {
        phase: 'Running',
        hostIP: '192.168.56.11',
        containerStatuses: [
          { name: 'done', ...common, ...terminated(0) },
          { name: 'failing', ...common, ...terminated(1) },
        ],
      },
    };
    const loop = run(object);
    assert.equal(loop.name, 'crash-loop-backoff');
    assert.deepEqual(
      [stateOf(loop.after, 'done'), stateOf(loop.after, 'failing')],
      ['terminated:Completed', 'waiting:CrashLoopBackOff'],
    );
  });

  test('one container failing its pull backs off without holding up the other', () => {
    const admitted = run(
      podOf([
        { name: 'web', image: 'nginx' },
        { name: 'sidecar', image: 'nginx:doesnotexist' },
      ]),
    ).after;
    // The failing pull is due sooner (a pull) than the start (a pull and a start).
    const failed = run(admitted);
    assert.equal(failed.name, 'image-pull-fail');
    assert.equal(failed.delay, 2000);
    assert.deepEqual(
      [stateOf(failed.after, 'web'), stateOf(failed.after, 'sidecar')],
      ['waiting:ContainerCreating', 'waiting:ErrImagePull'],
    );
    assert.deepEqual(failed.effect.facts, { pullFailed: 'sidecar' });
    const backoff = run(failed.after, context(failed.memory));
    assert.equal(backoff.name, 'image-pull-backoff');
    const started = run(backoff.after, context(backoff.memory));
    assert.equal(started.name, 'container-start', 'the 10 s pull back-off waits behind the start');
    assert.deepEqual(
      [stateOf(started.after, 'web'), stateOf(started.after, 'sidecar')],
      ['running', 'waiting:ImagePullBackOff'],
    );
    assert.deepEqual(started.effect.facts, { pulledImages: ['nginx'] });
    const retry = run(started.after, context(started.memory));
    assert.equal(retry.name, 'image-pull-retry');
    assert.equal(retry.delay, 10_000);
  });

  test("container-start waits for its own container's pull: an image on the node starts without one", () => {
    const admitted = run(
      podOf([
        { name: 'broken', image: 'nginx:doesnotexist' },
        { name: 'web', image: 'nginx' },
      ]),
    ).after;
    const start = run(admitted, context(FRESH, NOW, ['nginx']));
    assert.equal(start.name, 'container-start');
    assert.equal(start.delay, 250, 'start only (100–400 ms), no pull');
    assert.deepEqual(
      [stateOf(start.after, 'broken'), stateOf(start.after, 'web')],
      ['waiting:ContainerCreating', 'running'],
    );
    assert.deepEqual(start.effect.events?.[0]?.message, 'Container image "nginx" already present on machine');
  });
});

describe('pod status resync', () => {
  test('a Ready condition someone else set False is reported True again before any container moves', () => {
    const running = step(step(pod({ image: 'busybox', command: ['sh', '-c', 'sleep 60; exit 0'] }))[1])[1];
    const status = running.status as { conditions: { type: string; status: string }[] };
    const marked: KubeObject = {
      ...running,
      status: {
        ...status,
        conditions: status.conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False' } : c)),
      },
    };
    assert.equal(run(running).name, 'container-exit', 'without the rewrite the exit is next');
    const resync = run(marked);
    assert.equal(resync.name, 'pod-status-resync');
    assert.equal(resync.delay, 0);
    assert.equal(conditionsOf(resync.after).find((c) => c.type === 'Ready')?.status, 'True');
    assert.equal(stateOf(resync.after, 'c'), 'running');
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
    const killed = run(running);
    assert.equal(killed.name, 'liveness-probe-fail');
    assert.equal(killed.delay, 45_000);
    assert.equal(container(killed.after).state.terminated?.exitCode, 137);
    assert.deepEqual(killed.effect.events?.map((e) => `${e.reason}: ${e.message}`).slice(-2), [
      "Unhealthy: Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory",
      'Killing: Container c failed liveness probe, will be restarted',
    ]);
    const [restart, restarted] = step(killed.after);
    assert.equal(restart, 'container-restart');
    assert.equal(container(restarted).restartCount, 1);
  });

  test('a container that exits before its readiness probe would pass exits first', () => {
    const running = step(
      step(
        pod({
          image: 'busybox',
          command: ['sh', '-c', 'sleep 2; exit 1'],
          readinessProbe: { initialDelaySeconds: 10 },
        }),
      )[1],
    )[1];
    const next = run(running);
    assert.equal(next.name, 'container-exit');
    assert.equal(next.delay, 2200);
  });
});
