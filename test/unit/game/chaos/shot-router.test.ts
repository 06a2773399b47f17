import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { ShotRouter } from '../../../../server/game/chaos/shot-router.ts';
import type { ShotClient } from '../../../../server/game/chaos/shot.ts';
import { pod } from '../pods.ts';

/** Records every call with its cluster's name. */
function recordingClient(name: string, calls: string[]): ShotClient & { closed: boolean } {
  return {
    closed: false,
    async readPod(namespace, podName): Promise<V1Pod | undefined> {
      calls.push(`${name} read ${namespace}/${podName}`);
      // Lets the next call of the shot run after an await, as a real request does.
      await new Promise((resolve) => setImmediate(resolve));
      return pod({ name: podName, namespace });
    },
    async deletePod(namespace, podName, { uid }) {
      calls.push(`${name} delete ${namespace}/${podName} uid=${uid}`);
    },
    async evictPod(namespace, podName) {
      calls.push(`${name} evict ${namespace}/${podName}`);
    },
    async readController(kind, namespace, ctrl) {
      calls.push(`${name} read ${kind} ${namespace}/${ctrl}`);
      return undefined;
    },
    async deleteController(kind, namespace, ctrl, _preconditions, policy) {
      calls.push(`${name} delete ${kind} ${namespace}/${ctrl} ${policy}`);
    },
    close() {
      this.closed = true;
    },
  };
}

describe('shot router', () => {
  it('sends every call of a shot to its own cluster, across awaits, with two shots interleaved', async () => {
    const calls: string[] = [];
    const router = new ShotRouter();
    router.add('main', recordingClient('main', calls));
    router.add('finn', recordingClient('finn', calls));
    const shot = async () => {
      await router.client.readPod('default', 'solo');
      await router.client.deletePod('default', 'solo', { uid: 'u1', resourceVersion: '7' }, 0);
      await router.client.readController('Deployment', 'default', 'web');
      await router.client.deleteController(
        'Deployment',
        'default',
        'web',
        { uid: 'd1', resourceVersion: '3' },
        'Orphan',
      );
      return router.origin?.cluster;
    };
    const [a, b] = await Promise.all([
      router.aimedAt({ cluster: 'finn', fleet: 'finn' }, shot),
      router.aimedAt({ cluster: 'main' }, shot),
    ]);
    assert.deepEqual([a, b], ['finn', 'main']);
    assert.deepEqual(
      calls.filter((c) => c.startsWith('finn')),
      [
        'finn read default/solo',
        'finn delete default/solo uid=u1',
        'finn read Deployment default/web',
        'finn delete Deployment default/web Orphan',
      ],
    );
    assert.deepEqual(
      calls.filter((c) => c.startsWith('main')),
      [
        'main read default/solo',
        'main delete default/solo uid=u1',
        'main read Deployment default/web',
        'main delete Deployment default/web Orphan',
      ],
    );
    assert.equal(router.origin, undefined, 'outside a shot there is no origin');
  });

  it('a removed cluster is closed and its shots fail with a reason; close() closes every client', async () => {
    const calls: string[] = [];
    const router = new ShotRouter();
    const main = recordingClient('main', calls);
    const finn = recordingClient('finn', calls);
    router.add('main', main);
    router.add('finn', finn);
    router.remove('finn');
    assert.equal(finn.closed, true);
    await assert.rejects(
      router.aimedAt({ cluster: 'finn', fleet: 'finn' }, () => router.client.readPod('default', 'solo')),
      /cluster finn has left the game/,
    );
    await assert.rejects(router.client.readPod('default', 'solo'), /outside aimedAt/);
    router.client.close();
    assert.equal(main.closed, true);
    assert.deepEqual(calls, []);
  });
});
