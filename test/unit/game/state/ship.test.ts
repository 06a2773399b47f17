import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  controllerOf,
  fleetOf,
  podOfShip,
  shipId,
  shipOf,
  shipStateOf,
} from '../../../../server/game/state/ship.ts';
import { pod } from '../pods.ts';

describe('pod → ship', () => {
  const cases: [string, Parameters<typeof pod>[0], string][] = [
    ['a pending pod is warping', { phase: 'Pending', containers: [] }, 'warping'],
    ['a running pod with every container running and Ready flies', {}, 'flying'],
    ['a running pod that is not Ready is damaged', { ready: false }, 'damaged'],
    ['a running pod with a crashing container is damaged', { containers: ['running', 'waiting'] }, 'damaged'],
    ['a running pod without container statuses yet is damaged', { containers: [] }, 'damaged'],
    ['a failed pod is destroyed', { phase: 'Failed' }, 'destroyed'],
    ['a completed pod is destroyed', { phase: 'Succeeded' }, 'destroyed'],
    ['a pod being deleted is destroyed', { deleting: true }, 'destroyed'],
  ];
  for (const [name, spec, state] of cases) {
    it(name, () => assert.equal(shipStateOf(pod(spec)), state));
  }

  it('the fleet is the player label, else the namespace', () => {
    assert.equal(fleetOf(pod({ labels: { game: 'starwars', player: 'leia' } })), 'leia');
    assert.equal(fleetOf(pod({ namespace: 'team-b' })), 'team-b');
    assert.equal(fleetOf(pod({ namespace: 'team-b', labels: { game: 'starwars', player: ' ' } })), 'team-b');
  });

  it('a ReplicaSet whose name ends with the pod-template-hash shows as its Deployment', () => {
    const p = pod({
      labels: { game: 'starwars', 'pod-template-hash': '7ff4bb7f5d' },
      owner: { kind: 'ReplicaSet', name: 'web-7ff4bb7f5d', uid: 'rs-1' },
    });
    assert.deepEqual(controllerOf(p), { kind: 'Deployment', uid: 'rs-1', name: 'web' });
  });

  it('a ReplicaSet without the hash label stays a ReplicaSet', () => {
    const p = pod({ owner: { kind: 'ReplicaSet', name: 'web', uid: 'rs-1' } });
    assert.deepEqual(controllerOf(p), { kind: 'ReplicaSet', uid: 'rs-1', name: 'web' });
  });

  it('a bare pod has no controller and an RC-owned pod names its RC', () => {
    assert.deepEqual(shipOf(pod({ uid: 'u1', name: 'solo' })), {
      uid: 'u1',
      name: 'solo',
      namespace: 'default',
      fleet: 'default',
      state: 'flying',
      controller: 'Pod',
    });
    const rc = shipOf(pod({ owner: { kind: 'ReplicationController', name: 'rc', uid: 'rc-1' } }));
    assert.equal(rc.controller, 'ReplicationController');
    assert.equal(rc.controllerUid, 'rc-1');
  });

  it("in an attendee's cluster every game pod flies in the attendee's fleet, whatever its player label", () => {
    const ship = shipOf(
      pod({
        uid: 'u1',
        labels: { game: 'starwars', player: 'rey' },
        owner: { kind: 'ReplicationController', name: 'rc', uid: 'rc-1' },
      }),
      { cluster: 'finn', fleet: 'finn' },
    );
    assert.equal(ship.fleet, 'finn');
    assert.equal(ship.uid, 'finn/u1');
    assert.equal(ship.controllerUid, 'finn/rc-1');
  });

  it('ship ids are pod uids in the main cluster and cluster-qualified elsewhere, and read back', () => {
    assert.equal(shipId('main', 'u1'), 'u1');
    assert.deepEqual(podOfShip('u1'), { cluster: 'main', podUid: 'u1' });
    assert.equal(shipId('finn', 'u1'), 'finn/u1');
    assert.deepEqual(podOfShip('finn/u1'), { cluster: 'finn', podUid: 'u1' });
  });
});
