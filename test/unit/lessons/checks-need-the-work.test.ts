// A step's checks pass only once the learner has done what the lesson asks, not on a half-done step.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { checkForPlayer, evaluateCheck, type Check, type Observed } from '../../../server/lessons/checks.ts';
import { loadStep } from '../../../server/lessons/loader.ts';

const projectRoot = join(import.meta.dirname, '../../..');

function verdict(folder: string, id: string, observed: Observed): boolean {
  const check = loadStep(projectRoot, folder, 'en').checks.find((c) => c.id === id);
  assert.ok(check, `steps/${folder} has no check ${id}`);
  const personal = checkForPlayer(check as Check, undefined);
  assert.ok('check' in personal);
  return evaluateCheck(personal.check, observed, 'en').passed;
}

const replicaSets = (n: number): Observed => ({
  by: 'selector',
  items: Array.from({ length: n }, (_, i) => ({ metadata: { name: `web-${i}` } })),
});

describe('checks need the work done', () => {
  test('09: the update alone is not the history; the bad release and its undo are', () => {
    assert.equal(verdict('step-09-rolling-updates', 'web-history', replicaSets(2)), false);
    assert.equal(verdict('step-09-rolling-updates', 'web-history', replicaSets(3)), true);
  });

  test('10: the liveness demo counts once its container has been restarted', () => {
    const pod = (restartCount: number): Observed => ({
      by: 'name',
      object: {
        spec: { containers: [{ livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] } } }] },
        status: { containerStatuses: [{ restartCount }] },
      },
    });
    assert.equal(verdict('step-10-health-checks', 'liveness-pod', pod(0)), false);
    assert.equal(verdict('step-10-health-checks', 'liveness-pod', pod(1)), true);
  });

  test('12: the data must be read by a new pod on the same claim', () => {
    assert.equal(verdict('step-12-volumes', 'data-survives', { by: 'name', object: undefined }), false);
    const reader = (claimName: string): Observed => ({
      by: 'name',
      object: { spec: { volumes: [{ persistentVolumeClaim: { claimName } }] }, status: { phase: 'Running' } },
    });
    assert.equal(verdict('step-12-volumes', 'data-survives', reader('other')), false);
    assert.equal(verdict('step-12-volumes', 'data-survives', reader('data')), true);
  });

  test('17: a bare pod is lost only if it flew first; the fleet probe may name its port', () => {
    assert.equal(verdict('step-17-kube-wars', 'bare-pod-flown', { by: 'selector', items: [] }), false);
    assert.equal(
      verdict('step-17-kube-wars', 'bare-pod-flown', { by: 'selector', items: [{ reason: 'Scheduled' }] }),
      true,
    );
    const fleet = (port: unknown): Observed => ({
      by: 'selector',
      items: [
        {
          spec: {
            template: {
              metadata: { labels: { game: 'starwars' } },
              spec: { containers: [{ readinessProbe: { httpGet: { port } } }] },
            },
          },
        },
      ],
    });
    assert.equal(verdict('step-17-kube-wars', 'fleet-probe', fleet('http')), true);
    assert.equal(verdict('step-17-kube-wars', 'fleet-probe', fleet(80)), true);
    assert.equal(verdict('step-17-kube-wars', 'fleet-probe', fleet(undefined)), false);
  });

  test('06, 11, 12: a command run in a pod passes only when it finds what the lesson made', () => {
    const ran = (stdout: string, exitCode = 0): Observed => ({
      by: 'exec',
      pod: { metadata: { name: 'p' }, status: { phase: 'Running' } },
      result: { stdout, stderr: '', exitCode },
    });
    assert.equal(verdict('step-12-volumes', 'data-read-back', ran('', 1)), false);
    assert.equal(verdict('step-12-volumes', 'data-read-back', ran('saved')), true);
    assert.equal(verdict('step-11-configuration', 'variable-from-configmap', ran('')), false);
    assert.equal(verdict('step-11-configuration', 'variable-from-configmap', ran('May the force be with you')), true);
    assert.equal(verdict('step-06-services', 'frontend-reaches-backend', ran('<h1>Welcome to nginx!</h1>')), false);
    assert.equal(verdict('step-06-services', 'frontend-reaches-backend', ran('hello from the backend')), true);
  });
});
