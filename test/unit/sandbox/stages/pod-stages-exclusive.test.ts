import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { POD_STAGES, remember, type PodStageContext } from '../../../../server/sandbox/stages/pod-stages.ts';
import { SPEEDS } from '../../../../server/sandbox/stages/speed.ts';
import { backoffLabel, backoffMs } from '../../../../server/sandbox/kubelet/backoff.ts';
import type { KubeObject } from '../../../../server/sandbox/types.ts';

const NOW = Date.parse('2026-03-01T10:00:00Z');
const NAMES = ['app', 'sidecar', 'worker'];
const IMAGES = [
  'nginx',
  'busybox',
  'redis:7',
  'hello-world',
  'nginx:doesnotexist',
  'Bad/Image',
  'example.test/x',
];
const COMMANDS = [
  undefined,
  ['sh', '-c', 'exit 1'],
  ['echo', 'hi'],
  ['sh', '-c', 'sleep 3; exit 0'],
  ['sh', '-c', 'while true; do sleep 1; done'],
  ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'],
];
const at = (offsetSeconds: number) =>
  new Date(NOW + offsetSeconds * 1000).toISOString().replace('.000Z', 'Z');

const containerSpec = fc.record({
  image: fc.constantFrom(...IMAGES),
  command: fc.constantFrom(...COMMANDS),
  imagePullPolicy: fc.constantFrom(undefined, 'Always', 'IfNotPresent'),
  readinessProbe: fc.option(fc.record({ initialDelaySeconds: fc.nat(20) }), { nil: undefined }),
  livenessProbe: fc.option(
    fc.record({
      exec: fc.constant({ command: ['cat', '/tmp/healthy'] }),
      periodSeconds: fc.integer({ min: 1, max: 10 }),
    }),
    { nil: undefined },
  ),
});

const state = fc.oneof(
  fc.record({
    waiting: fc.record({
      reason: fc.constantFrom(
        'ContainerCreating',
        'ErrImagePull',
        'ImagePullBackOff',
        'CrashLoopBackOff',
        'PodInitializing',
      ),
    }),
  }),
  fc.record({ running: fc.record({ startedAt: fc.integer({ min: -600, max: 0 }).map(at) }) }),
  fc.record({
    terminated: fc.record({
      exitCode: fc.constantFrom(0, 1, 137),
      reason: fc.constantFrom('Completed', 'Error'),
      startedAt: fc.constant(at(-120)),
      finishedAt: fc.integer({ min: -60, max: 0 }).map(at),
    }),
  }),
);

/** A container status as the kubelet (or a client's /status write, even a malformed one) may have left it. */
const containerStatus = (name: string) =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        name: fc.constant(name),
        image: fc.constant('docker.io/library/x:latest'),
        imageID: fc.constant(''),
        ready: fc.boolean(),
        started: fc.boolean(),
        restartCount: fc.nat(4),
        state,
        lastState: fc.constant({}),
      }),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant({}) },
  );

const pod = fc
  .record({
    count: fc.integer({ min: 1, max: 3 }),
    containers: fc.array(containerSpec, { minLength: 3, maxLength: 3 }),
    initContainers: fc.array(containerSpec, { maxLength: 2 }),
    restartPolicy: fc.constantFrom('Always', 'OnFailure', 'Never'),
    deleted: fc.boolean(),
    status: fc.option(
      fc.record({
        hostIP: fc.option(fc.constant('192.168.56.11'), { nil: undefined }),
        phase: fc.constantFrom(undefined, 'Pending', 'Running', 'Succeeded', 'Failed'),
        ready: fc.constantFrom(undefined, 'True', 'False'),
        containerStatuses: fc.tuple(...NAMES.map(containerStatus)),
      }),
      { nil: undefined },
    ),
  })
  .map(({ count, containers, initContainers, restartPolicy, deleted, status }): KubeObject => {
    const names = NAMES.slice(0, count);
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'p',
        namespace: 'default',
        uid: 'u1',
        ...(deleted ? { deletionTimestamp: at(30), deletionGracePeriodSeconds: 30 } : {}),
      },
      spec: {
        nodeName: 'worker-1',
        restartPolicy,
        containers: names.map((name, i) => ({ name, ...containers[i] })),
        initContainers: initContainers.map((c, i) => ({ name: `init-${i}`, ...c })),
      },
      ...(status
        ? {
            status: {
              ...(status.hostIP ? { hostIP: status.hostIP } : {}),
              ...(status.phase ? { phase: status.phase } : {}),
              ...(status.ready ? { conditions: [{ type: 'Ready', status: status.ready }] } : {}),
              containerStatuses: status.containerStatuses.slice(0, count).filter((c) => c !== undefined),
            },
          }
        : {}),
    };
  });

const context = fc
  .record({
    killing: fc.boolean(),
    failures: fc.nat(5),
    present: fc.subarray(IMAGES),
    speed: fc.constantFrom(SPEEDS.fast, SPEEDS.realistic),
    random: fc.double({ min: 0, max: 0.999, noNaN: true }),
    attachBlocked: fc.boolean(),
  })
  .map(({ killing, failures, present, speed, random, attachBlocked }): PodStageContext => ({
    now: NOW,
    speed,
    random: () => random,
    nodeName: 'worker-1',
    nodeIP: '192.168.56.11',
    podIP: () => '10.244.1.7',
    imagePresent: (image) => present.includes(image),
    memory: { killing, pullFailures: failures ? { app: failures } : {} },
    attachError: () =>
      attachBlocked ? 'Multi-Attach error for volume "pvc-1" Volume is already used by pod(s) db' : undefined,
  }));

describe('pod stage table', () => {
  test('rows are mutually exclusive: at most one matches any pod', () => {
    fc.assert(
      fc.property(pod, context, (object, ctx) => {
        const matching = POD_STAGES.filter((stage) => stage.select(object, ctx) !== undefined);
        assert.ok(matching.length <= 1, `several rows match: ${matching.map((s) => s.name).join(', ')}`);
      }),
      { numRuns: 2000 },
    );
  });

  test('every effect moves the pod on: a new status, something learned, or its removal', () => {
    fc.assert(
      fc.property(pod, context, (object, ctx) => {
        const [stage] = POD_STAGES.filter((s) => s.select(object, ctx) !== undefined);
        const selection = stage?.select(object, ctx);
        if (!stage || !selection) return;
        const delay = selection.delayMs(ctx);
        assert.ok(Number.isFinite(delay) && delay >= 0, `${stage.name}: delay ${delay}`);
        const effect = selection.effect(ctx);
        const wrote = effect.status !== undefined && !isDeepStrictEqual(effect.status, object.status);
        const learned = !isDeepStrictEqual(remember(ctx.memory, effect.facts), ctx.memory);
        assert.ok(wrote || learned || effect.delete, `${stage.name} changes nothing, so it would run again`);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('kubelet back-off', () => {
  test('10 s after the first failure, doubling, at most 5 min, scaled by speed', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7].map((failures) => backoffMs(failures, SPEEDS.realistic)),
      [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000],
    );
    assert.equal(backoffMs(3, SPEEDS.fast), 2_000);
  });

  test('the CrashLoopBackOff message prints the unscaled back-off as the kubelet does', () => {
    assert.deepEqual([1, 2, 4, 5, 6].map(backoffLabel), ['10s', '20s', '1m20s', '2m40s', '5m0s']);
  });
});
