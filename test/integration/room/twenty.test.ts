// Twenty attendees in a room served over HTTPS (--tls): each joins with a client that trusts only the printed CA,
// each cluster holds its attendee's objects and nobody else's (client-node with the downloaded kubeconfigs), and
// the room's limits answer the 21st and 22nd joins.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import type { GameStateView } from '../../../server/game/protocol.ts';
import { fetchTrusting } from '../../support/https-fetch.ts';
import { until } from '../../support/until.ts';
import { type Attendee, joinRoom, postJoin, type RunningRoom, startRoom } from './room-support.ts';

const NAMES = Array.from({ length: 20 }, (_, i) => `pilot-${i + 1}`);

describe('twenty attendees in a room over HTTPS', { timeout: 600_000 }, () => {
  let room: RunningRoom;
  after(async () => {
    await room?.stop();
  });

  test("each attendee's cluster holds their objects and nobody else's", async () => {
    // 20 places, and 21 joins a minute from one address: the 21st join finds the room full, the 22nd is too many.
    room = await startRoom(['--tls', '--max-attendees', '20', '--joins-per-minute', '21']);
    assert.match(room.url, /^https:\/\//);
    const [, caPath] = await room.waitFor(/browsers must trust the room's CA, (\S+)/);
    const fetcher = fetchTrusting(readFileSync(caPath as string, 'utf8'));
    const info = (await (await fetcher(`${room.url}/api/room`)).json()) as { publicBaseUrl: string };
    assert.equal(info.publicBaseUrl, room.url);

    const attendees: Attendee[] = [];
    for (const name of NAMES) attendees.push(await joinRoom(room.url, name, fetcher));
    const full = await postJoin(room.url, 'pilot-21', undefined, fetcher);
    assert.equal(full.status, 503);
    assert.match(((await full.json()) as { error: string }).error, /room is full: all 20 places are taken/);
    const tooMany = await postJoin(room.url, 'pilot-22', undefined, fetcher);
    assert.equal(tooMany.status, 429);
    assert.match(((await tooMany.json()) as { error: string }).error, /Too many joins/);
    await Promise.all(
      attendees.map(async ({ name, kubeConfig }) => {
        const core = kubeConfig.makeApiClient(CoreV1Api);
        await core.createNamespacedConfigMap({
          namespace: 'default',
          body: { metadata: { name: 'mine' }, data: { owner: name } },
        });
        await core.createNamespacedPod({
          namespace: 'default',
          body: {
            metadata: { name: 'ship', labels: { game: 'starwars' } },
            spec: { containers: [{ name: 'ship', image: 'nginx:1.27' }] },
          },
        });
      }),
    );
    for (const { name, kubeConfig } of attendees) {
      const core = kubeConfig.makeApiClient(CoreV1Api);
      const mine = await core.readNamespacedConfigMap({ name: 'mine', namespace: 'default' });
      assert.equal(mine.data?.['owner'], name);
      const configMaps = (await core.listConfigMapForAllNamespaces()).items.filter(
        (item) => item.metadata?.name === 'mine',
      );
      assert.equal(configMaps.length, 1, `${name} sees one "mine"`);
      const pods = (await core.listPodForAllNamespaces({ labelSelector: 'game=starwars' })).items;
      assert.deepEqual(
        pods.map((pod) => pod.metadata?.name),
        ['ship'],
        `${name} sees one ship`,
      );
    }
    const fleets = await until(
      'twenty fleets of one ship',
      async () => ((await (await fetcher(`${room.url}/api/state`)).json()) as GameStateView).fleets,
      (list) => NAMES.every((name) => list.find((fleet) => fleet.player === name)?.total === 1),
      60_000,
    );
    assert.equal(fleets.filter((fleet) => NAMES.includes(fleet.player)).length, 20);
  });
});
